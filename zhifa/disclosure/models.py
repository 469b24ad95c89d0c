"""Publications (行政执法结果公示): one per issued decision.

draft (待审核) → published (已公示) → withdrawn (已撤下); held (默认不公示: warning-only penalties,
minors' cases) may still be approved. `source_text` is internal (unredacted); everything public
comes from `public_*` fields and `search_text` (the normalised public text the search runs on).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.scope import RestrictedManager

USER = settings.AUTH_USER_MODEL


class Publication(models.Model):
    class Kind(models.TextChoices):
        PENALTY = "penalty", _("行政处罚")
        PERMIT = "permit", _("行政许可")
        OTHER = "other", _("其他行政执法决定")

    class State(models.TextChoices):
        DRAFT = "draft", _("待审核")
        HELD = "held", _("默认不公示")
        PUBLISHED = "published", _("已公示")
        WITHDRAWN = "withdrawn", _("已撤下")

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="publication")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="publications")
    kind = models.CharField(_("决定类别"), max_length=10, choices=Kind.choices, default=Kind.PENALTY)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    hold_reason = models.CharField(_("默认不公示原因"), max_length=100, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("公示期限"), null=True, blank=True)
    due_note = models.CharField(_("期限说明"), max_length=200, blank=True)
    category = models.CharField(_("执法类别"), max_length=50, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    source_text = models.TextField(_("决定书原文（内部）"))
    spans = models.JSONField(_("隐去内容"), default=list, blank=True)
    public_title = models.CharField(_("公示标题"), max_length=300)
    public_target = models.CharField(_("公示对象"), max_length=200, blank=True)
    public_body = models.TextField(_("公示正文"))
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    approved_by = models.ForeignKey(USER, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("公示日期"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    withdrawal_ground = models.CharField(_("撤下事由"), max_length=20, blank=True)
    withdrawal_due_on = models.DateField(_("撤下期限"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("撤下说明（公开）"), max_length=300, blank=True)
    withdrawn_on = models.DateField(_("撤下日期"), null=True, blank=True)
    ledger_seq = models.BigIntegerField(_("公示日志序号"), null=True, blank=True)
    withdrawal_seq = models.BigIntegerField(_("撤下日志序号"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_unit_path = "case__unit"
    # Only public fields are fingerprinted into the (public) ledger entries.
    ledger_fields = ("entity", "kind", "state", "decision_number", "decided_on", "public_title", "public_target",
                     "public_body", "published_on", "withdrawal_reason", "withdrawn_on")

    class Meta:
        verbose_name = _("公示信息")
        verbose_name_plural = _("公示信息")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return self.public_title

    @property
    def is_public(self):
        return self.state == self.State.PUBLISHED


WITHDRAWAL_GROUNDS = {"changed": "决定被变更", "revoked": "决定被撤销", "illegal": "决定被确认违法",
                      "void": "决定被确认无效"}


class Complaint(models.Model):
    """咨询投诉 submitted on the public site: lands in the entity's queue with a due date; the
    submitter follows it with the tracking code. `contact` is private (never shown publicly)."""

    class Kind(models.TextChoices):
        CONSULT = "consult", _("咨询")
        COMPLAINT = "complaint", _("投诉举报")

    class State(models.TextChoices):
        RECEIVED = "received", _("已受理")
        ANSWERED = "answered", _("已答复")

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="complaints")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    content = models.TextField(_("内容"))
    contact = models.CharField(_("联系方式（不公开）"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RECEIVED)
    received_on = models.DateField(_("收到日期"))
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(USER, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {"unit_head": "entity"}}

    class Meta:
        verbose_name = _("咨询投诉")
        verbose_name_plural = _("咨询投诉")
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tracking_code}"

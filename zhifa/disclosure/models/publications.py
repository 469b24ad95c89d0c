"""Publications (行政执法结果公示): one per issued decision.

draft (待审核) → published (已公示) → withdrawn (已撤下); held (默认不公示: warning-only penalties,
minors' cases) may still be approved. `source_text` is internal (unredacted); everything public
comes from `public_*` fields and `search_text` (the normalised public text the search runs on).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedJSONField, EncryptedTextField
from zhifa.common.scope import RestrictedManager
from zhifa.disclosure import choices
from zhifa.legalcal.pending import show

USER = settings.AUTH_USER_MODEL


class Publication(models.Model):
    Kind = choices.PublicationKind
    State = choices.PublicationState
    ExpiryCause = choices.ExpiryCause

    # None for a permit decision (行政许可, zhifa/permits: the permit points to its publication).
    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="publication", null=True, blank=True)
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="publications")
    kind = models.CharField(_("决定类别"), max_length=10, choices=Kind.choices, default=Kind.PENALTY)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    hold_reason = models.CharField(_("默认不公示原因"), max_length=100, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("公示期限"), null=True, blank=True)
    due_note = models.CharField(_("期限说明"), max_length=200, blank=True)
    # The year whose holiday arrangement a pending due date waits for (待定期限); None once computed.
    due_pending_year = models.PositiveSmallIntegerField(_("公示期限待定（待录入年度）"), null=True, blank=True)
    category = models.CharField(_("执法类别"), max_length=50, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_amount = models.DecimalField(_("没收金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_label = models.CharField(_("没收种类"), max_length=30, blank=True,
                                          help_text=_("没收违法所得、没收非法财物"))
    source_text = EncryptedTextField(_("决定书原文（内部）"))  # SM4 at rest: it holds ID numbers
    spans = EncryptedJSONField(_("隐去内容"), default=list, blank=True)
    public_title = models.CharField(_("公示标题"), max_length=300)
    public_target = models.CharField(_("公示对象"), max_length=200, blank=True)
    public_body = models.TextField(_("公示正文"))
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    # Segmented words + every character, space separated (zhifa/disclosure/search.py indexes it).
    search_tokens = models.TextField(_("分词检索文本"), blank=True, editable=False)
    approved_by = models.ForeignKey(USER, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("公示日期"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    withdrawal_ground = models.CharField(_("撤下事由"), max_length=20, blank=True)
    withdrawal_due_on = models.DateField(_("撤下期限"), null=True, blank=True)
    withdrawal_due_from = models.DateField(_("撤下期限起算日"), null=True, blank=True)
    withdrawal_due_pending_year = models.PositiveSmallIntegerField(_("撤下期限待定（待录入年度）"), null=True,
                                                                   blank=True)
    withdrawal_reason = models.CharField(_("撤下说明（公开）"), max_length=300, blank=True)
    withdrawn_on = models.DateField(_("撤下日期"), null=True, blank=True)
    ledger_seq = models.BigIntegerField(_("公示日志序号"), null=True, blank=True)
    withdrawal_seq = models.BigIntegerField(_("撤下日志序号"), null=True, blank=True)
    # 公示期限 (zhifa.disclosure.expiry): last day of public view, fixed at approval.
    public_until = models.DateField(_("公示截止日期"), null=True, blank=True, db_index=True)
    period_rule = models.CharField(_("公示期限依据"), max_length=100, blank=True)
    expired_on = models.DateField(_("停止公示日期"), null=True, blank=True)
    expiry_cause = models.CharField(_("停止公示原因"), max_length=16, choices=ExpiryCause.choices, blank=True)
    expiry_seq = models.BigIntegerField(_("停止公示日志序号"), null=True, blank=True)
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
        # The public count (public.published_count: published and not past public_until) as an index-only
        # scan: at a million rows the table scan took 0.57 s on every miss of its one-minute cache.
        indexes = [models.Index(fields=["public_until"], name="pub_published_until",
                                condition=models.Q(state="published"))]

    def __str__(self):
        return self.public_title

    @property
    def withdrawal_due_display(self) -> str:
        return show(self.withdrawal_due_on, self.withdrawal_due_pending_year)

    @property
    def withdrawal_days(self) -> int:
        # Imported here: zhifa.disclosure.pipeline imports this module (cycle).
        from zhifa.disclosure.pipeline import withdrawal_days

        return withdrawal_days()

    @property
    def is_public(self):
        return self.state == self.State.PUBLISHED

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
        EXPIRED = "expired", _("已停止公示")  # publication period over, or approved credit repair

    class ExpiryCause(models.TextChoices):
        PERIOD = "period", _("公示期满")
        CREDIT_REPAIR = "credit_repair", _("信用修复")

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
    # The year whose holiday arrangement a pending due date waits for (待定期限); None once computed.
    due_pending_year = models.PositiveSmallIntegerField(_("公示期限待定（待录入年度）"), null=True, blank=True)
    category = models.CharField(_("执法类别"), max_length=50, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    source_text = models.TextField(_("决定书原文（内部）"))
    spans = models.JSONField(_("隐去内容"), default=list, blank=True)
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
        from zhifa.legalcal.pending import show

        return show(self.withdrawal_due_on, self.withdrawal_due_pending_year)

    @property
    def withdrawal_days(self) -> int:
        from zhifa.disclosure.pipeline import withdrawal_days

        return withdrawal_days()

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
        PENDING = "pending", _("待分派")
        RECEIVED = "received", _("已受理")
        DISPUTED = "disputed", _("管辖异议待重新分派")
        ANSWERED = "answered", _("已答复")

    class Source(models.TextChoices):
        PORTAL = "portal", _("门户网站")
        HOTLINE = "12345", _("12345热线")
        LETTER = "letter", _("来信")
        VISIT = "visit", _("来访")
        SUPERVISOR = "social", _("社会监督员")
        OTHER = "other", _("其他")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

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
    # Handling (issue 7 item 5): who registered it, where it came from, who assigned it, the reply's
    # feedback. `complainant` and `contact` are private: never on a public page or the public API.
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    source_ref = models.CharField(_("来源编号（如12345工单号）"), max_length=60, blank=True)
    complainant = models.CharField(_("投诉人（不公开）"), max_length=50, blank=True)
    due_note = models.CharField(_("期限说明"), max_length=200, blank=True)
    due_pending_year = models.PositiveSmallIntegerField(_("办理期限待定（待录入年度）"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField(_("分派日期"), null=True, blank=True)
    assigned_by = models.ForeignKey(USER, verbose_name=_("分派人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    feedback_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    feedback_on = models.DateField(_("评价日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # register: supervisors over their subtree (e.g. 12345 referrals), entity staff for their own entity;
    # assign (分派/改派): the justice bureau's supervisors only; handle (办理记录): the entity's staff;
    # change (答复, 管辖异议): the entity's heads.
    scope_rules = {"change": {"unit_head": "entity"},
                   "register": {"supervisor": "subtree", "agency_head": "entity", "unit_head": "entity",
                                "officer": "entity"},
                   "assign": {"supervisor": "subtree"},
                   "handle": {"agency_head": "entity", "unit_head": "entity", "officer": "entity"}}

    class Meta:
        verbose_name = _("咨询投诉")
        verbose_name_plural = _("咨询投诉")
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tracking_code}"


class ComplaintStep(models.Model):
    """One entry of a complaint's handling record (办理记录): who did what, when, with a note.
    The public status page shows kind, date and entity only, never the note."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("登记")
        ASSIGN = "assign", _("分派")
        REASSIGN = "reassign", _("改派")
        DISPUTE = "dispute", _("提出管辖异议")
        HANDLE = "handle", _("办理")
        ANSWER = "answer", _("答复")
        FEEDBACK = "feedback", _("评价")

    complaint = models.ForeignKey(Complaint, verbose_name=_("咨询投诉"), on_delete=models.PROTECT,
                                  related_name="steps")
    kind = models.CharField(_("环节"), max_length=10, choices=Kind.choices)
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("办理主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    on = models.DateField(_("日期"))
    by = models.ForeignKey(USER, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    by_name = models.CharField(_("经办人姓名"), max_length=60, blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "complaint__entity"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


from zhifa.disclosure.models_repair import CreditRepair  # noqa: E402,F401  (信用修复)
from zhifa.disclosure.models_reports import AnnualReport  # noqa: E402,F401  (年度统计年报)

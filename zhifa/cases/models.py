"""Cases (执法办案): the case, its parties, officers, timeline, deadlines and procedural records.

Rows are written only by the actions in zhifa.cases.actions (one transaction per transition);
the state machine itself is declared in zhifa.cases.machine.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import BlindIndexField, EncryptedCharField
from zhifa.common.identifiers import validate_credit_code, validate_id_number, validate_phone
from zhifa.common.scope import RestrictedManager, RestrictedQuerySet

USER = settings.AUTH_USER_MODEL
MONEY = dict(max_digits=14, decimal_places=2)


class Kind(models.TextChoices):
    PENALTY_GENERAL = "penalty_general", _("行政处罚（一般程序）")
    PENALTY_SIMPLE = "penalty_simple", _("行政处罚（简易程序）")
    INSPECTION = "inspection", _("行政检查")
    COERCIVE = "coercive", _("行政强制（查封、扣押）")


class Source(models.TextChoices):
    INSPECTION = "inspection", _("监督检查")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("上级交办/有关部门移送")
    TRANSFER = "transfer", _("其他机关移交")
    MONITORING = "monitoring", _("电子技术监控设备")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    LIMIT_ACTIVITY = "limit_activity", _("限制开展生产经营活动")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    CLOSE = "close", _("责令关闭")
    RESTRICT_PRACTICE = "restrict_practice", _("限制从业")


# Penalties that carry the right to a hearing whatever the amount (行政处罚法 Art. 63 (三)(四)).
HEARING_KINDS = {PenaltyKind.LOWER_QUALIFICATION, PenaltyKind.REVOKE_LICENCE, PenaltyKind.SUSPEND_BUSINESS,
                 PenaltyKind.CLOSE, PenaltyKind.RESTRICT_PRACTICE, PenaltyKind.LIMIT_ACTIVITY}


# The states a case ends in (machine.TERMINAL_STATES): the partial indexes below cover the others.
TERMINAL_STATES = ("archived", "closed", "not_filed", "revoked", "transferred", "recorded", "not_approved")
OPEN_CASE = ~Q(state__in=TERMINAL_STATES)


class CaseQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(OPEN_CASE)


class Case(models.Model):
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="cases")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("承办机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("案件类别"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=30, default="", blank=True, db_index=True)
    number = models.CharField(_("案件编号"), max_length=60, blank=True, db_index=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    title = models.CharField(_("案由"), max_length=300)
    field = models.CharField(_("执法领域"), max_length=50, blank=True)
    source = models.CharField(_("案件来源"), max_length=16, choices=Source.choices, default=Source.INSPECTION)
    source_detail = models.CharField(_("来源说明"), max_length=500, blank=True)
    source_case = models.ForeignKey("self", verbose_name=_("来源案件"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="derived_cases")
    violation_on = models.DateField(_("违法行为发生（终了）日"), null=True, blank=True)
    violation_continuing = models.BooleanField(_("违法行为有连续或继续状态"), default=False)
    harms_life_health_finance = models.BooleanField(_("涉及生命健康安全、金融安全且有危害后果"), default=False)
    discovered_on = models.DateField(_("发现日期"), null=True, blank=True)
    limitation_warning = models.CharField(_("时效提示"), max_length=300, blank=True)
    limitation_reason = models.TextField(_("超过时效仍予立案的理由"), blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    power_items = models.ManyToManyField("powers.PowerItem", verbose_name=_("权责清单事项"), blank=True,
                                         related_name="cases")
    legal_basis = models.TextField(_("法律依据"), blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    # Proposed (拟) and decided penalty.
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    discretion_level = models.CharField(_("裁量档位"), max_length=10, blank=True)
    discretion_reason = models.TextField(_("偏离裁量基准的理由"), blank=True)
    discretion_deviations = models.JSONField(_("偏离裁量基准情况"), default=list, blank=True)
    illegal_gains = models.DecimalField(_("违法所得（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), null=True, blank=True, **MONEY)
    confiscation_amount = models.DecimalField(_("没收金额（元）"), null=True, blank=True, **MONEY)
    proposed_on = models.DateField(_("拟处理意见日期"), null=True, blank=True)
    no_penalty = models.BooleanField(_("不予行政处罚"), default=False)
    # Rights and hearing.
    rights_notice_served_on = models.DateField(_("事先告知送达日期"), null=True, blank=True)
    notice_includes_hearing = models.BooleanField(_("告知听证权利"), default=False)
    statement_received_on = models.DateField(_("收到陈述申辩日期"), null=True, blank=True)
    statement_text = models.TextField(_("陈述申辩意见"), blank=True)
    statement_waived = models.BooleanField(_("明确放弃陈述申辩"), default=False)
    hearing_requested = models.BooleanField(_("要求听证"), default=False)
    hearing_requested_on = models.DateField(_("要求听证日期"), null=True, blank=True)
    hearing_waived = models.BooleanField(_("放弃听证"), default=False)
    hearing_notified_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_scheduled_on = models.DateField(_("听证举行日期"), null=True, blank=True)
    hearing_chair = models.ForeignKey("orgs.Officer", verbose_name=_("听证主持人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="chaired_hearings")
    hearing_held_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证笔录摘要"), blank=True)
    # Flags for legal review (Art. 58) and collective discussion (Art. 57).
    major_public_interest = models.BooleanField(_("涉及重大公共利益"), default=False)
    complex = models.BooleanField(_("情节复杂/疑难复杂"), default=False)
    major_violation = models.BooleanField(_("重大违法行为"), default=False)
    law_requires_review = models.BooleanField(_("法律法规规定应当法制审核"), default=False)
    # Decision, service, execution.
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField(_("决定书送达日期"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=50, blank=True)
    # Both go to the treasury (罚没收入): paid_amount is the fine (with any Art. 72 surcharge),
    # confiscation_paid the 没收违法所得; each payment's item is in its CaseEvent payload.
    paid_amount = models.DecimalField(_("已缴罚款（元）"), default=0, **MONEY)
    confiscation_paid = models.DecimalField(_("已缴没收违法所得（元）"), default=0, **MONEY)
    paid_on = models.DateField(_("缴纳日期"), null=True, blank=True)
    execution_note = models.TextField(_("执行情况"), blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    # The archive (归档): 卷内目录 (the documents filed), 备考表 (the archivist's note), 保管期限.
    archive_contents = models.JSONField(_("卷内目录"), default=list, blank=True)
    archive_note = models.TextField(_("备考表"), blank=True)
    retention_period = models.CharField(_("保管期限"), max_length=10, blank=True)
    # Exits.
    exit_reason = models.TextField(_("不予立案/撤销/移送理由"), blank=True)
    transfer_kind = models.CharField(_("移送类别"), max_length=20, blank=True, choices=[
        ("agency", _("移送有管辖权的行政机关")), ("crime", _("涉嫌犯罪移送公安/司法机关"))])
    transfer_to = models.CharField(_("接收机关"), max_length=120, blank=True)
    # Inspection result.
    inspection_result = models.TextField(_("检查结果"), blank=True)
    problems_found = models.BooleanField(_("发现问题"), default=False)
    # Suspension (中止) in progress.
    suspended = models.BooleanField(_("中止中"), default=False)
    last_action_on = models.DateField(_("最近办理日期"), null=True, blank=True)
    # Derived: the earliest running deadline's due date, kept by the engine and
    # refresh_deadlines so the work queue is an index scan (see docs/benchmarks.md).
    next_due_on = models.DateField(_("最近期限"), null=True, blank=True, editable=False)
    # Derived: the entity's region path (orgs.Region.path), so a supervisor's scope (the region
    # subtree) is a prefix match on the case row, not a join through entity and region (issue 23).
    region_path = models.CharField(_("区划路径"), max_length=60, blank=True, default="", editable=False)
    version = models.PositiveIntegerField(_("版本"), default=0)
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = models.Manager.from_queryset(CaseQuerySet)()
    scope_entity_path = "entity"
    scope_unit_path = "unit"
    scope_region_path = "region_path"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["entity", "state"]),
                   # The work queue and the lists read open cases only: partial indexes stay the size
                   # of the open caseload however many closed cases accumulate.
                   models.Index(fields=["next_due_on", "id"], name="case_open_next_due", condition=OPEN_CASE),
                   models.Index(fields=["entity", "next_due_on", "id"], name="case_open_entity_due",
                                condition=OPEN_CASE),
                   # A supervisor's subtree: region_path LIKE 'prefix%' (pattern ops on PostgreSQL).
                   models.Index(fields=["region_path", "next_due_on", "id"], name="case_open_region_due",
                                condition=OPEN_CASE, opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"]),
                   models.Index(fields=["region_path", "id"], name="case_region_id",
                                opclasses=["varchar_pattern_ops", "int8_ops"])]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")

    def __str__(self):
        return f"{self.number or '（未编号）'} {self.title}"

    def save(self, *args, **kwargs):
        if self.entity_id and not self.region_path:
            self.region_path = region_path_of(self.entity)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "region_path"}
        super().save(*args, **kwargs)

    @property
    def state_label(self):
        from zhifa.cases.machine import state_label

        return state_label(self.kind, self.state)


def region_path_of(entity) -> str:
    """The region path a case of `entity` carries (Case.region_path)."""
    region = entity._state.fields_cache.get("region")
    if region is not None:
        return region.path
    from zhifa.orgs.models import Region

    return Region.objects.filter(pk=entity.region_id).values_list("path", flat=True).first() or ""


def sync_region_paths(entity=None) -> int:
    """Recompute Case.region_path (all cases, or one entity's) after an entity or region moved."""
    from django.db.models import OuterRef, Subquery

    from zhifa.orgs.models import Entity

    qs = Case.objects.all() if entity is None else Case.objects.filter(entity=entity)
    path = Entity.objects.filter(pk=OuterRef("entity_id")).values("region__path")[:1]
    return qs.update(region_path=Subquery(path))


class Party(models.Model):
    class PartyKind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORG = "org", _("法人或其他组织")

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("当事人类别"), max_length=10, choices=PartyKind.choices)
    name = models.CharField(_("姓名/名称"), max_length=200)
    # Personal data, encrypted at rest (SM4) with blind indexes for exact look-ups (zhifa/common/fields.py).
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, validators=[validate_id_number])
    id_number_bidx = BlindIndexField(source="id_number", kind="id_number")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True,
                                   validators=[validate_credit_code])
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    address = EncryptedCharField(_("住所/地址"), max_length=200, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    phone_bidx = BlindIndexField(source="phone", kind="phone")
    is_minor = models.BooleanField(_("未成年人"), default=False)

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.PartyKind.PERSON and not self.id_number:
            raise ValidationError({"id_number": _("自然人当事人必须填写身份证号")})
        if self.kind == self.PartyKind.ORG and not self.credit_code:
            raise ValidationError({"credit_code": _("法人或其他组织当事人必须填写统一社会信用代码")})
        if self.kind == self.PartyKind.ORG and not self.legal_representative:
            raise ValidationError({"legal_representative": _("法人或其他组织当事人必须填写法定代表人或负责人")})


class CaseOfficer(models.Model):
    class OfficerRole(models.TextChoices):
        LEAD = "lead", _("主办")
        ASSIST = "assist", _("协办")

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="officers")
    officer = models.ForeignKey("orgs.Officer", verbose_name=_("执法人员"), on_delete=models.PROTECT,
                                related_name="case_roles")
    role = models.CharField(_("承办角色"), max_length=10, choices=OfficerRole.choices)
    assigned_on = models.DateField(_("指派日期"))
    active = models.BooleanField(_("在办"), default=True)
    removed_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        ordering = ["case_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], condition=models.Q(active=True),
                                               name="case_officer_active_unique")]
        verbose_name = _("承办人员")
        verbose_name_plural = _("承办人员")

    def __str__(self):
        return f"{self.officer.name}（{self.get_role_display()}）"


class Recusal(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="recusals")
    officer = models.ForeignKey("orgs.Officer", verbose_name=_("回避人员"), on_delete=models.PROTECT,
                                related_name="recusals")
    reason = models.TextField(_("回避理由"))
    applied_by_party = models.BooleanField(_("当事人申请"), default=False)
    decided_by = models.ForeignKey(USER, verbose_name=_("决定人（行政机关负责人）"), on_delete=models.PROTECT,
                                   related_name="+")
    decision = models.CharField(_("决定"), max_length=10,
                                choices=[("approved", _("准予回避")), ("refused", _("不予回避"))])
    decided_on = models.DateField(_("决定日期"))

    class Meta:
        ordering = ["case_id", "decided_on"]
        verbose_name = _("回避决定")
        verbose_name_plural = _("回避决定")


class CaseEvent(models.Model):
    """The case timeline: one row per transition, never changed."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("操作"), max_length=40)
    label = models.CharField(_("操作名称"), max_length=60)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30)
    actor = models.ForeignKey(USER, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT,
                              related_name="+")
    on = models.DateField(_("办理日期"))
    time = models.DateTimeField(_("记录时间"), auto_now_add=True)
    reason = models.TextField(_("理由/意见"), blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("办案记录")
        verbose_name_plural = _("办案记录")

    def save(self, *args, **kwargs):
        if self.pk:
            raise RuntimeError("CaseEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("CaseEvent is append-only")


class Deadline(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", _("计时中")
        PAUSED = "paused", _("已中止计时")
        MET = "met", _("已按期完成")
        BREACHED = "breached", _("已超期")
        CANCELLED = "cancelled", _("已不适用")

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("期限类别"), max_length=30)
    label = models.CharField(_("期限名称"), max_length=60)
    basis = models.CharField(_("依据"), max_length=100)
    started_on = models.DateField(_("起算日"))
    base_days = models.PositiveIntegerField(_("法定期限（日）"))
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    due_on = models.DateField(_("届满日"), null=True, blank=True)
    known = models.BooleanField(_("日历已知"), default=True)
    unknown_reason = models.CharField(_("无法计算原因"), max_length=200, blank=True)
    # The year whose holiday arrangement a pending due date waits for (待定期限); None once known.
    unknown_year = models.PositiveSmallIntegerField(_("待录入节假日安排的年度"), null=True, blank=True,
                                                    db_index=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RUNNING,
                             db_index=True)
    paused_days = models.PositiveIntegerField(_("中止天数"), default=0)
    paused_from = models.DateField(_("中止起始"), null=True, blank=True)
    extended_days = models.PositiveIntegerField(_("延长天数"), default=0)
    extension_ref = models.CharField(_("延长批准"), max_length=200, blank=True)
    met_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["case_id", "due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"]),
                   models.Index(fields=["case", "state", "due_on"], name="deadline_case_state_due")]
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")

    def __str__(self):
        return f"{self.label}（{self.due_display}）"

    @property
    def due_display(self) -> str:
        """'2027-01-08', or '待定：需录入2027年节假日安排' while the calendar lacks that year."""
        from zhifa.legalcal.pending import label

        return f"{self.due_on:%Y-%m-%d}" if self.known and self.due_on else label(self.unknown_year)


class Extension(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("延长天数"))
    reason = models.TextField(_("延长理由"))
    approved_by = models.ForeignKey(USER, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("批准方式"), max_length=16, choices=[
        ("head", _("行政机关负责人批准")), ("collective", _("集体讨论决定"))])
    discussion = models.ForeignKey("CollectiveDiscussion", verbose_name=_("集体讨论"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("批准日期"))

    class Meta:
        ordering = ["case_id", "approved_on"]
        verbose_name = _("办案期限延长")
        verbose_name_plural = _("办案期限延长")


class Suspension(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="suspensions")
    from_date = models.DateField(_("中止日期"))
    to_date = models.DateField(_("恢复日期"), null=True, blank=True)
    reason = models.TextField(_("中止理由"))

    class Meta:
        ordering = ["case_id", "from_date"]
        verbose_name = _("案件中止")
        verbose_name_plural = _("案件中止")

    @property
    def days(self):
        return (self.to_date - self.from_date).days if self.to_date else None


class SimpleRecord(models.Model):
    """简易程序 (当场处罚): the on-the-spot decision and its 备案 with the agency (Art. 52)."""

    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="simple")
    decided_at_place = models.CharField(_("处罚地点"), max_length=200)
    decided_on = models.DateField(_("处罚日期"))
    certificate_shown = models.BooleanField(_("已出示执法证件"), default=True)
    delivered_on_spot = models.BooleanField(_("当场交付决定书"), default=True)
    party_refused_to_sign = models.BooleanField(_("当事人拒绝签收"), default=False)
    collected_on_spot = models.BooleanField(_("当场收缴罚款"), default=False)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("当场处罚记录")
        verbose_name_plural = _("当场处罚记录")


class Seizure(models.Model):
    """查封、扣押 (行政强制法 Arts. 24-28)."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="seizures")
    number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    measure = models.CharField(_("措施"), max_length=10, choices=[("seal", _("查封")), ("seize", _("扣押"))])
    items = models.JSONField(_("查封扣押清单"), default=list)
    requested_by = models.ForeignKey(USER, verbose_name=_("提请人"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    requested_on = models.DateField(_("提请日期"), null=True, blank=True)
    # Empty until the head approves in their queue (approve_seizure); rows from before keep theirs.
    approved_by = models.ForeignKey(USER, verbose_name=_("批准人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    period_days = models.PositiveIntegerField(_("期限（日）"), default=30)
    extended = models.BooleanField(_("已延长"), default=False)
    extended_days = models.PositiveIntegerField(_("延长天数"), default=0)
    extended_by = models.ForeignKey(USER, verbose_name=_("延长批准人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    released_on = models.DateField(_("解除日期"), null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("查封扣押")
        verbose_name_plural = _("查封扣押")


class LegalReview(models.Model):
    class Outcome(models.TextChoices):
        AGREE = "agree", _("同意")
        PROBLEMS = "problems", _("存在问题")

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(USER, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("审核意见"), max_length=10, choices=Outcome.choices, blank=True)
    opinion = models.TextField(_("审核意见书"), blank=True)
    submitted_on = models.DateField(_("提交日期"))
    decided_on = models.DateField(_("审核日期"), null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")


class CollectiveDiscussion(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="discussions")
    chaired_by = models.ForeignKey(USER, verbose_name=_("主持人（行政机关负责人）"), on_delete=models.PROTECT,
                                   related_name="+")
    participants = models.TextField(_("参加人员"))
    conclusion = models.TextField(_("讨论结论"))
    held_on = models.DateField(_("讨论日期"))

    class Meta:
        ordering = ["case_id", "held_on", "id"]
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")


class CaseConfig(models.Model):
    """Per-entity case-handling settings (national defaults when absent)."""

    entity = models.OneToOneField("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.CASCADE,
                                  related_name="case_config")
    review_all_general = models.BooleanField(_("一般程序处罚案件一律法制审核"), default=False)

    class Meta:
        verbose_name = _("办案设置")
        verbose_name_plural = _("办案设置")


class NumberCounter(models.Model):
    """Last number issued per entity, document type and year (numbering.py)."""

    entity = models.ForeignKey("orgs.Entity", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "doc_type", "year"], name="number_counter_unique")]
        verbose_name = _("文书编号计数")
        verbose_name_plural = _("文书编号计数")

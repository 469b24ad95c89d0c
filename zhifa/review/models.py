"""重大执法决定法制审核: the review catalogue (versioned, per entity), submission packets (every
version kept), the reviewer's checklist opinion, the handler's objection, the structured record of
a collective discussion, legal-adviser opinions and in-app notices.

The case core keeps LegalReview / CollectiveDiscussion (zhifa.cases.models); rows here hang off
them. Written only by zhifa.review.actions and the case transitions' effects.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.scope import RestrictedManager

USER = settings.AUTH_USER_MODEL
MONEY = dict(max_digits=14, decimal_places=2)

# 国办发〔2018〕118号 (十三): what the legal review examines.
CHECKLIST = [
    ("subject", "执法主体是否合法，执法人员是否具备执法资格"),
    ("procedure", "执法程序是否合法"),
    ("facts", "案件事实是否清楚，证据是否合法充分"),
    ("law", "适用法律、法规、规章是否准确，裁量基准运用是否适当"),
    ("powers", "执法是否超越执法机关法定权限"),
    ("documents", "执法文书是否完备、规范"),
    ("crime", "违法行为是否涉嫌犯罪、需要移送司法机关"),
]
CHECKLIST_LABELS = dict(CHECKLIST)

PACKET_FIELDS = [
    ("draft_decision", "拟作出的处理决定"),
    ("facts", "违法事实"),
    ("evidence_list", "证据清单"),
    ("legal_basis", "法律依据"),
    ("discretion_reasoning", "裁量理由"),
    ("procedure_record", "程序履行情况"),
]
PACKET_LABELS = dict(PACKET_FIELDS)


class Catalogue(models.Model):
    """法制审核目录清单 of one entity; every edit is a new version, the latest one applies."""

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="review_catalogues")
    version = models.PositiveIntegerField(_("版本"))
    fine_threshold_citizen = models.DecimalField(_("公民罚没款数额标准（元）"), null=True, blank=True, **MONEY)
    fine_threshold_org = models.DecimalField(_("法人或其他组织罚没款数额标准（元）"), null=True, blank=True, **MONEY)
    revoke_licence = models.BooleanField(_("吊销许可证件、降低资质等级"), default=True)
    suspend_or_close = models.BooleanField(_("责令停产停业、责令关闭、限制从业"), default=True)
    hearing_held = models.BooleanField(_("经过听证程序"), default=True)
    public_interest = models.BooleanField(_("涉及重大公共利益或社会稳定风险"), default=True)
    complex = models.BooleanField(_("案情疑难复杂、涉及多个法律关系"), default=True)
    suspected_crime = models.BooleanField(_("涉嫌犯罪需移送"), default=True)
    all_general = models.BooleanField(_("一般程序处罚案件一律法制审核"), default=False)
    review_days = models.PositiveSmallIntegerField(_("审核期限（工作日）"), default=10)
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("修订人"), null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"

    class Meta:
        ordering = ["entity_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["entity", "version"], name="review_catalogue_version")]
        verbose_name = _("法制审核目录清单")
        verbose_name_plural = _("法制审核目录清单")

    def __str__(self):
        return f"{self.entity} 法制审核目录清单 第{self.version}版"


class CaseFlags(models.Model):
    """Facts the catalogue reads that the case core does not hold."""

    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE,
                                related_name="review_flags")
    suspected_crime = models.BooleanField(_("涉嫌犯罪"), default=False)
    social_risk = models.BooleanField(_("存在社会稳定风险"), default=False)

    class Meta:
        verbose_name = _("审核标记")
        verbose_name_plural = _("审核标记")


class MajorFlag(models.Model):
    """The catalogue marked the case major (once per catalogue version and set of reasons)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="major_flags")
    catalogue_version = models.PositiveIntegerField(_("目录清单版本"), null=True)
    reasons = models.JSONField(_("重大执法决定情形"), default=list)
    state = models.CharField(_("案件环节"), max_length=30)
    flagged_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("重大执法决定标记")
        verbose_name_plural = _("重大执法决定标记")


class Packet(models.Model):
    """送审材料: one version per submission; never changed afterwards."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="packets")
    version = models.PositiveIntegerField(_("送审版本"))
    review = models.OneToOneField("cases.LegalReview", verbose_name=_("法制审核"), null=True,
                                  on_delete=models.PROTECT, related_name="packet")
    draft_decision = models.TextField(_("拟作出的处理决定"))
    facts = models.TextField(_("违法事实"))
    evidence_list = models.TextField(_("证据清单"))
    evidence_ids = models.JSONField(_("证据记录编号"), default=list)
    legal_basis = models.TextField(_("法律依据"))
    discretion_reasoning = models.TextField(_("裁量理由"))
    procedure_record = models.TextField(_("程序履行情况"))
    correction_note = models.TextField(_("补正说明"), blank=True)
    case_fingerprint = models.CharField(_("案件内容指纹"), max_length=64)
    catalogue_version = models.PositiveIntegerField(_("适用目录清单版本"), null=True)
    major_reasons = models.JSONField(_("重大执法决定情形"), default=list)
    # The proposed penalty as submitted (kinds, amounts): what 同意 agrees to; the decision must match it.
    penalty = models.JSONField(_("拟处罚内容"), default=dict, blank=True)
    submitted_by = models.ForeignKey(USER, verbose_name=_("送审人"), on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("送审日期"))

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"

    class Meta:
        ordering = ["case_id", "version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="review_packet_version")]
        verbose_name = _("送审材料")
        verbose_name_plural = _("送审材料")

    def __str__(self):
        return f"送审材料第{self.version}版"


class Opinion(models.Model):
    """The reviewer's checklist and written opinion on one packet version (法制审核意见书)."""

    review = models.OneToOneField("cases.LegalReview", verbose_name=_("法制审核"), on_delete=models.PROTECT,
                                  related_name="checklist_opinion")
    packet = models.ForeignKey(Packet, verbose_name=_("送审材料"), on_delete=models.PROTECT, related_name="opinions")
    items = models.JSONField(_("审核事项"), default=dict)
    outcome = models.CharField(_("审核意见"), max_length=10)
    opinion = models.TextField(_("审核意见"))
    corrections = models.TextField(_("需补正或纠正的问题"), blank=True)
    reviewer = models.ForeignKey(USER, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("审核日期"))
    document = models.ForeignKey("documents.GeneratedDocument", verbose_name=_("法制审核意见书"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")

    ledger_fields = ("review", "packet", "items", "outcome", "opinion", "corrections", "reviewer", "decided_on")

    class Meta:
        ordering = ["review_id"]
        verbose_name = _("法制审核意见")
        verbose_name_plural = _("法制审核意见")


class Objection(models.Model):
    """The handler's disagreement with a 存在问题 opinion (leads to collective discussion)."""

    review = models.ForeignKey("cases.LegalReview", verbose_name=_("法制审核"), on_delete=models.PROTECT,
                               related_name="objections")
    text = models.TextField(_("异议理由"))
    raised_by = models.ForeignKey(USER, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("提出日期"))

    class Meta:
        ordering = ["review_id", "id"]
        verbose_name = _("承办人异议")
        verbose_name_plural = _("承办人异议")


class DiscussionRecord(models.Model):
    """集体讨论笔录: attendees and each one's view, minutes, why it was held."""

    class Trigger(models.TextChoices):
        DISAGREEMENT = "disagreement", _("对法制审核意见有异议")
        ART57 = "art57", _("情节复杂或重大违法行为（第五十七条）")
        OTHER = "other", _("其他")

    discussion = models.OneToOneField("cases.CollectiveDiscussion", verbose_name=_("集体讨论"),
                                      on_delete=models.PROTECT, related_name="record")
    trigger = models.CharField(_("讨论事由"), max_length=16, choices=Trigger.choices)
    review = models.ForeignKey("cases.LegalReview", verbose_name=_("所涉法制审核"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="discussion_records")
    attendees = models.JSONField(_("参加人员及意见"), default=list)
    minutes = models.TextField(_("讨论记录"))

    class Meta:
        verbose_name = _("集体讨论笔录")
        verbose_name_plural = _("集体讨论笔录")


class AdviserOpinion(models.Model):
    """法律顾问/公职律师 written opinion on a difficult case."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="adviser_opinions")
    adviser = models.ForeignKey("orgs.LegalAdviser", verbose_name=_("法律顾问/公职律师"), on_delete=models.PROTECT,
                                related_name="+")
    question = models.TextField(_("咨询事项"))
    opinion = models.TextField(_("书面意见"))
    given_on = models.DateField(_("出具日期"))
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")

    objects = RestrictedManager()
    scope_entity_path = "case__entity"

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("法律顾问意见")
        verbose_name_plural = _("法律顾问意见")


class Notice(models.Model):
    """In-app notice (站内提醒)."""

    user = models.ForeignKey(USER, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="review_notices")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, on_delete=models.CASCADE,
                             related_name="+")
    text = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read = models.BooleanField(_("已读"), default=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("站内提醒")
        verbose_name_plural = _("站内提醒")

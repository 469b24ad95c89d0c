"""The disclosure app's vocabulary in one place: the choices of its models (each model keeps them
under its old name, e.g. `Publication.State` is `PublicationState`) and the fixed lists its rules
and pages name."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# ---- publications (行政执法结果公示) ----

class PublicationKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    PERMIT = "permit", _("行政许可")
    OTHER = "other", _("其他行政执法决定")
    INSPECTION = "inspection", _("行政检查结果")
    COERCIVE = "coercive", _("行政强制决定")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("待审核")
    HELD = "held", _("默认不公示")
    PUBLISHED = "published", _("已公示")
    WITHDRAWN = "withdrawn", _("已撤下")
    EXPIRED = "expired", _("已停止公示")  # publication period over, or approved credit repair


class ExpiryCause(models.TextChoices):
    PERIOD = "period", _("公示期满")
    CREDIT_REPAIR = "credit_repair", _("信用修复")


# Why a published decision must come down (撤下), and how its timeliness is labelled.
WITHDRAWAL_GROUNDS = {"changed": "决定被变更", "revoked": "决定被撤销", "illegal": "决定被确认违法",
                      "void": "决定被确认无效"}
# The statutory grounds on which a published decision may be taken down (撤下公示): the four of
# 行政处罚法 art. 48 (and SAMR 公示规定 art. 11) above, information the law exempts from disclosure
# (政府信息公开条例 arts. 14–16: state or commercial secrets, privacy), and wrong content to be
# corrected (SAMR 公示规定 art. 12). Nothing else takes a decision off the portal.
WITHDRAW_GROUNDS = {**WITHDRAWAL_GROUNDS,
                    "not_disclosable": "依法不予公开的情形（国家秘密、商业秘密、个人隐私等）",
                    "erroneous": "公示内容有误需更正"}
TIMELINESS_LABELS = {"on_time": "按时", "late": "逾期公示", "missing": "逾期未公示", "pending": "待公示",
                     "held": "默认不公示"}


# ---- 咨询投诉 ----

class ComplaintKind(models.TextChoices):
    CONSULT = "consult", _("咨询")
    COMPLAINT = "complaint", _("投诉举报")


class ComplaintState(models.TextChoices):
    PENDING = "pending", _("待分派")
    RECEIVED = "received", _("已受理")
    DISPUTED = "disputed", _("管辖异议待重新分派")
    ANSWERED = "answered", _("已答复")


class ComplaintSource(models.TextChoices):
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


class ComplaintStepKind(models.TextChoices):
    REGISTER = "register", _("登记")
    ASSIGN = "assign", _("分派")
    REASSIGN = "reassign", _("改派")
    DISPUTE = "dispute", _("提出管辖异议")
    HANDLE = "handle", _("办理")
    ANSWER = "answer", _("答复")
    FEEDBACK = "feedback", _("评价")


# A complaint still waiting for its answer; the sources staff may register (the portal registers itself).
COMPLAINT_OPEN_STATES = (ComplaintState.PENDING, ComplaintState.RECEIVED, ComplaintState.DISPUTED)
COMPLAINT_STAFF_SOURCES = [source for source in ComplaintSource.values if source != ComplaintSource.PORTAL]


# ---- 信用修复 ----

class CreditRepairState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不予批准")


class ApplicantKind(models.TextChoices):
    PARTY = "party", _("当事人申请")
    STAFF = "staff", _("执法机关依职权")


class CreditRepairChannel(models.TextChoices):
    STAFF = "staff", _("窗口登记")
    PORTAL = "portal", _("网上申请")


# Penalties after which a publication may not be stopped early (市场监督管理行政处罚信息公示规定 Art. 14).
SEVERE_PENALTIES = {"suspend_business": "责令停产停业", "limit_activity": "限制开展生产经营活动",
                    "restrict_practice": "限制从业", "lower_qualification": "降低资质等级",
                    "revoke_licence": "吊销许可证件", "close": "责令关闭"}

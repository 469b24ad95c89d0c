"""Every choice list and code of the supervision app, in one place (the models name them as
`Alert.Kind`, `SupervisionOrder.State`, … — the same classes).

    alerts and orders      AlertKind, AlertSeverity (ALERT_SEVERITY), AlertState, OrderKind, OrderState, ORDER_NUMBER_CODES
    案卷评查               RoundState, ReviewState, ReviewHow, ReviewGrade, CATEGORIES
    社会监督               SupervisorKind, SupervisorState, LeadState
    专项监督               CampaignState, CampaignCaseState, CAMPAIGN_CHECKLIST
    重大行政处罚备案审查   FilingState, FilingOpinion, FILING_CHECKLIST, FILING_DAYS, FILING_REVIEW_DAYS
    争议协调               CoordinationKind, CoordinationState, COORDINATION_FOLLOW_UP_DAYS
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


# ---- alerts (预警) and supervision orders (督办 / 整改通知) ----------------------------------------
class AlertKind(models.TextChoices):
    DEADLINE_LAPSED = "deadline_lapsed", _("法定期限已超期")
    DEADLINE_DUE = "deadline_due", _("法定期限即将届满")
    CERTIFICATE = "certificate", _("执法证过期或即将过期仍在办案")
    TRAINING = "training", _("培训学时不足")
    REVIEWERS = "reviewers", _("法制审核人员低于5%")
    DISCRETION = "discretion", _("处罚偏离裁量基准")
    SIMILAR_OUTLIER = "similar_outlier", _("处罚与同类案件明显偏离")
    REPEATED_INSPECTION = "repeated_inspection", _("多部门重复检查")
    IDLE = "idle", _("案件长期未办理")
    ORDER_OVERDUE = "order_overdue", _("督办/整改逾期未答复")
    ANNUAL_REPORT = "annual_report", _("年度统计年报逾期未公开")
    COMPLAINT_OVERDUE = "complaint_overdue", _("投诉举报逾期未办结")
    SOCIAL_LEAD = "social_lead", _("社会监督员反映问题")
    PUBLICATION_OVERDUE = "publication_overdue", _("执法决定逾期未公示")
    WITHDRAWAL_OVERDUE = "withdrawal_overdue", _("公示信息逾期未撤下")
    FILING_UNFILED = "filing_unfiled", _("重大行政处罚决定逾期未备案")
    FILING_UNREVIEWED = "filing_unreviewed", _("重大行政处罚备案逾期未审查")
    COORDINATION_OVERDUE = "coordination_overdue", _("协调决定逾期未承接")


class AlertSeverity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


# Why these levels: a lapsed statutory period, an officer acting without a valid certificate, an
# unanswered supervision order or complaint and a record left published past its term are breaches
# already happening; the others warn or concern staffing and reports.
ALERT_SEVERITY = {
    AlertKind.DEADLINE_LAPSED: AlertSeverity.HIGH, AlertKind.CERTIFICATE: AlertSeverity.HIGH,
    AlertKind.ORDER_OVERDUE: AlertSeverity.HIGH, AlertKind.COMPLAINT_OVERDUE: AlertSeverity.HIGH,
    AlertKind.WITHDRAWAL_OVERDUE: AlertSeverity.HIGH, AlertKind.FILING_UNFILED: AlertSeverity.HIGH,
    AlertKind.FILING_UNREVIEWED: AlertSeverity.MEDIUM, AlertKind.COORDINATION_OVERDUE: AlertSeverity.HIGH,
    AlertKind.DEADLINE_DUE: AlertSeverity.MEDIUM, AlertKind.DISCRETION: AlertSeverity.MEDIUM,
    AlertKind.SIMILAR_OUTLIER: AlertSeverity.MEDIUM,
    AlertKind.IDLE: AlertSeverity.MEDIUM, AlertKind.PUBLICATION_OVERDUE: AlertSeverity.MEDIUM,
    AlertKind.SOCIAL_LEAD: AlertSeverity.MEDIUM, AlertKind.REPEATED_INSPECTION: AlertSeverity.MEDIUM,
    AlertKind.TRAINING: AlertSeverity.LOW, AlertKind.REVIEWERS: AlertSeverity.LOW,
    AlertKind.ANNUAL_REPORT: AlertSeverity.LOW,
}
SEVERITY_RANK = {AlertSeverity.HIGH: 0, AlertSeverity.MEDIUM: 1, AlertSeverity.LOW: 2}


class AlertState(models.TextChoices):
    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    ASSIGNED = "assigned", _("已分派")
    CLOSED = "closed", _("已关闭")


class OrderKind(models.TextChoices):
    DUBAN = "duban", _("督办通知")
    RECTIFY = "rectify", _("整改通知")
    SUGGESTION = "suggestion", _("执法监督建议书")
    DECISION = "decision", _("执法监督决定书")


class OrderState(models.TextChoices):
    OPEN = "open", _("待答复")
    REPLIED = "replied", _("已答复")


# kind → the type code in an order's document number (机关代字 + code + 〔year〕 + n + 号)
ORDER_NUMBER_CODES = {"duban": "督", "rectify": "整改", "suggestion": "监建", "decision": "监决"}


# ---- 案卷评查 (case-file review) -----------------------------------------------------------------
class RoundState(models.TextChoices):
    OPEN = "open", _("评查中")
    FINISHED = "finished", _("已完成")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("待评查")
    SUBMITTED = "submitted", _("已提交")


class ReviewHow(models.TextChoices):
    RANDOM = "random", _("随机抽取")
    MANUAL = "manual", _("指定选取")


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


# The categories of a rubric's items (the 118号 checklist).
CATEGORIES = [("subject", _("主体")), ("procedure", _("程序")), ("evidence", _("事实证据")),
              ("law", _("法律适用")), ("discretion", _("裁量")), ("documents", _("文书")), ("archive", _("归档"))]


# ---- 社会监督 (social supervisors and their leads) -----------------------------------------------
class SupervisorKind(models.TextChoices):
    CITIZEN = "citizen", _("市民")
    LAWYER = "lawyer", _("律师")
    JOURNALIST = "journalist", _("新闻记者")
    NPC = "npc", _("人大代表")
    CPPCC = "cppcc", _("政协委员")
    EXPERT = "expert", _("专家学者")
    ENTERPRISE = "enterprise", _("企业代表")
    OTHER = "other", _("其他")


class SupervisorState(models.TextChoices):
    ACTIVE = "active", _("在任")
    ENDED = "ended", _("已解聘")


class LeadState(models.TextChoices):
    NEW = "new", _("待处理")
    COMPLAINT = "complaint", _("已转投诉办理")
    ALERT = "alert", _("已转预警")
    ORDER = "order", _("已发督办")
    CLOSED = "closed", _("已办结")


# ---- 重大行政处罚备案审查 (major penalty decisions filed with the supervising justice bureau) ----------
class FilingState(models.TextChoices):
    PENDING = "pending", _("待报送备案")
    FILED = "filed", _("已报送，待审查")
    REVIEWED = "reviewed", _("已审查")


class FilingOpinion(models.TextChoices):
    RECORD = "record", _("予以备案")
    PROBLEM = "problem", _("存在问题，责令纠正")


# What the bureau examines in a filed decision (国办发〔2018〕118号 (十三) and the filing itself).
FILING_CHECKLIST = [
    ("subject", _("执法主体合法，执法人员具备执法资格")),
    ("procedure", _("程序合法：告知、听证、法制审核、集体讨论依法履行")),
    ("facts", _("事实清楚，证据确凿充分")),
    ("law", _("适用法律、法规、规章准确")),
    ("discretion", _("处罚种类和幅度符合裁量基准")),
    ("documents", _("执法文书完备、规范")),
    ("timely", _("按期报送备案，材料齐全")),
]
FILING_CHECKLIST_LABELS = dict(FILING_CHECKLIST)

# Defaults of the periods (working days), each bureau may set its own (FilingPeriods): the
# decision is filed within FILING_DAYS of being made, and the bureau reviews within FILING_REVIEW_DAYS.
FILING_DAYS = 15
FILING_REVIEW_DAYS = 20


# ---- 专项监督 (supervision campaigns) ---------------------------------------------------------------
class CampaignState(models.TextChoices):
    OPEN = "open", _("进行中")
    FINISHED = "finished", _("已完成")


class CampaignCaseState(models.TextChoices):
    PENDING = "pending", _("待检查")
    DONE = "done", _("已检查")


# The points a campaign checks in each sampled case unless it names its own.
CAMPAIGN_CHECKLIST = ["执法主体和执法人员资格合法", "立案、调查、告知、听证等程序合法", "事实清楚、证据充分",
                      "适用法律和裁量基准正确", "执法文书规范、送达合法", "执法全过程记录完整", "处罚决定按期公示"]


# ---- 争议协调 (coordination of disputes between entities, beyond 管辖争议 of a transfer) ---------------
class CoordinationKind(models.TextChoices):
    CROSS_FIELD = "cross_field", _("跨领域执法争议")
    CROSS_REGION = "cross_region", _("跨区域执法争议")
    TOWNSHIP = "township", _("乡镇综合执法争议")
    JURISDICTION = "jurisdiction", _("管辖争议")
    OTHER = "other", _("其他执法争议")


class CoordinationState(models.TextChoices):
    OPEN = "open", _("待各方陈述意见")
    DECIDED = "decided", _("已协调决定，待承接")
    TAKEN = "taken", _("已承接")


# Default period (calendar days) within which the entity the bureau decides on takes the matter on.
COORDINATION_FOLLOW_UP_DAYS = 10

"""Choice lists and fixed values of 双随机、一公开 (the models expose them as RosterObject.Risk …)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectKind(models.TextChoices):
    MARKET = "market", _("市场主体")
    PRODUCT = "product", _("产品")
    PROJECT = "project", _("项目")
    SITE = "site", _("场所")
    OTHER = "other", _("其他")


class KeyKind(models.TextChoices):
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    ID_NUMBER = "id_number", _("身份证号")
    OTHER = "other", _("其他编号")


class Risk(models.TextChoices):
    """信用风险分类: A–D (A 低风险 … D 高风险); 高/中高/中/低 map onto them on import."""

    A = "A", _("A类（低风险）")
    B = "B", _("B类（中风险）")
    C = "C", _("C类（中高风险）")
    D = "D", _("D类（高风险）")


# 高/中高/中/低 as typed in the spreadsheets of the provinces that grade that way.
RISK_WORDS = {"低": "A", "中": "B", "中高": "C", "高": "D", "A": "A", "B": "B", "C": "C", "D": "D",
              "A类": "A", "B类": "B", "C类": "C", "D类": "D"}


class SnapshotKind(models.TextChoices):
    OBJECTS = "objects", _("检查对象名录库")
    INSPECTORS = "inspectors", _("执法检查人员名录库")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报上级备案")
    ACKNOWLEDGED = "acknowledged", _("上级已确认备案")


class DrawState(models.TextChoices):
    COMMITTED = "committed", _("已承诺，待公开随机值")
    DRAWN = "drawn", _("已抽取")


class Source(models.TextChoices):
    DRAND = "drand", _("drand 公共随机信标（quicknet）")
    LOTTERY = "lottery", _("公开彩票开奖号码")


class TaskResult(models.TextChoices):
    """检查结果 as published on 国家企业信用信息公示系统."""

    NO_PROBLEM = "no_problem", _("未发现问题")
    NOT_PUBLICISED = "not_publicised", _("未按规定公示应当公示的信息")
    UNREACHABLE = "unreachable", _("通过登记的住所（经营场所）无法联系")
    CORRECTED = "corrected", _("发现问题已责令改正")
    OBSTRUCTED = "obstructed", _("不配合检查情节严重")
    DEREGISTERED = "deregistered", _("已注销或被吊销营业执照/已迁出")
    PROBLEM_CASE = "problem_case", _("发现问题，已转立案查处")


PROBLEM_RESULTS = {TaskResult.NOT_PUBLICISED, TaskResult.CORRECTED, TaskResult.OBSTRUCTED, TaskResult.PROBLEM_CASE}
# 一公开: results are published within this many working days after the check ends (default 20).
PUBLISH_WITHIN_WORKING_DAYS = 20


class RecusalState(models.TextChoices):
    PENDING = "pending", _("待决定")
    APPROVED = "approved", _("准予回避，已重新抽取")
    REFUSED = "refused", _("不予回避")

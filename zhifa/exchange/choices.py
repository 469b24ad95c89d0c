"""The exchange's tables, operations and states, and the national codes it writes."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Table(models.TextChoices):
    # 互联网+监管 监管行为: 行政检查 and 行政处罚 records; 双公示 行政处罚 (信用中国 / 信用信息公示).
    JGXW_XZJC = "jgxw_xzjc", _("监管行为·行政检查")
    JGXW_XZCF = "jgxw_xzcf", _("监管行为·行政处罚")
    SGS_XZCF = "sgs_xzcf", _("双公示·行政处罚")
    # The provincial platform's table family (行政执法综合管理监督信息系统, 省级平台): its own feed.
    SJ_ZFZT = "sj_zfzt", _("省级平台·执法主体")
    SJ_ZFRY = "sj_zfry", _("省级平台·执法人员")
    SJ_ZFSX = "sj_zfsx", _("省级平台·执法事项")
    SJ_JCDX = "sj_jcdx", _("省级平台·检查对象")
    SJ_XZCF = "sj_xzcf", _("省级平台·行政处罚")
    SJ_XZQZ = "sj_xzqz", _("省级平台·行政强制")
    SJ_XZJC = "sj_xzjc", _("省级平台·行政检查")


class Feed(models.TextChoices):
    NATIONAL = "national", _("互联网+监管／双公示")
    PROVINCIAL = "provincial", _("省级行政执法平台")


FEED_TABLES: dict[str, list[str]] = {
    Feed.NATIONAL: [Table.JGXW_XZJC, Table.JGXW_XZCF, Table.SGS_XZCF],
    Feed.PROVINCIAL: [Table.SJ_ZFZT, Table.SJ_ZFRY, Table.SJ_ZFSX, Table.SJ_JCDX, Table.SJ_XZCF, Table.SJ_XZQZ,
                      Table.SJ_XZJC],
}


def feed_of(table: str) -> str:
    return Feed.PROVINCIAL if table.startswith("sj_") else Feed.NATIONAL


class Operation(models.TextChoices):
    INSERT = "i", _("新增")
    UPDATE = "u", _("更新")
    DELETE = "d", _("删除")


class RowState(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    REFUSED = "refused", _("校验未通过")  # never left the platform: a validator refused it
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("被退回")  # the receiving system's acceptance file rejected it


class NoticeState(models.TextChoices):
    RECORDED = "recorded", _("已登记缴款")
    REFUSED = "refused", _("未登记")


# 检查结果 (行政检查): the codes of the 监管行为 standard as this platform writes them.
INSPECTION_RESULT = {False: ("1", "未发现问题"), True: ("2", "发现问题")}
# 行政相对人类别: 1 法人及非法人组织, 2 自然人.
PARTY_CATEGORY = {"org": "1", "person": "2"}
# 处罚类别 codes of the 双公示 行政处罚 standard.
PENALTY_CODES = {
    "warning": "01", "fine": "02", "confiscate_gains": "03", "confiscate_property": "03",
    "suspend_licence": "04", "revoke_licence": "04", "lower_qualification": "04", "suspend_business": "05",
    "limit_activity": "05", "close": "05", "restrict_practice": "06", "criticism": "07",
}

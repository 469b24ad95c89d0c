"""The staff header: a few menus by role, each link shown only to users who may open it.

Who may open a page is decided by its view; the predicates here mirror those checks so the header
never offers a link that answers 403 (tests/site/test_nav.py opens every shown link as each role).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from zhifa.common.roles import Role, is_audit_admin, is_security_admin

ANY = None


def _roles(*roles):
    return lambda u: u.is_superuser or u.role in roles


def _supervisor(u):
    return u.is_superuser or u.role == Role.SUPERVISOR


def _bureau(u):
    """A justice bureau's supervisors and head (zhifa.supervision.views.powerlist.may_open)."""
    return u.is_superuser or bool(u.entity_id and u.entity.is_justice_bureau
                                  and u.role in (Role.SUPERVISOR, Role.AGENCY_HEAD))


def _staff(u):
    return u.is_staff


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    may: object = ANY  # callable(user) -> bool; ANY = every signed-in user
    query: str = ""


MENUS: tuple[tuple[str, tuple[Link, ...]], ...] = (
    ("办案", (
        Link("我的待办", "cases-queue"),
        Link("现场执法", "records-field", _roles(Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)),
        Link("案件", "cases-list"),
        Link("一户式", "records-target"),
        Link("行政许可", "permits-index"),
        Link("执法指挥", "dispatch-desk"),
        Link("我的任务", "dispatch-mine", _roles(Role.OFFICER, Role.UNIT_HEAD)),
        Link("移送", "transfers-index"),
        Link("双随机抽查", "inspections-index"),
        Link("法定期限计算", "calendar-deadline"),
    )),
    ("法制审核", (
        Link("法制审核待办", "review-queue"),
        Link("法制审核目录清单", "review-catalogue"),
        Link("法制审核人员配备", "review-staffing"),
        Link("案卷评查", "casefile-mine", _roles(Role.LEGAL_REVIEWER)),
    )),
    ("基础数据", (
        Link("执法主体", "entities-list"),
        Link("执法人员", "officers-list"),
        Link("执法证", "certificates-list"),
        Link("权责清单", "power-items-list"),
        Link("抽查事项", "inspection-items-list"),
        Link("服务指南", "service-guides-list"),
        Link("流程图", "flowcharts-list"),
        Link("裁量基准", "discretion-benchmarks-list"),
        Link("法规库", "discretion-laws"),
        Link("执法规范", "discretion-norms"),
    )),
    ("监督", (
        Link("执法监督", "supervision-home", _supervisor),
        Link("预警", "supervision-alerts"),
        Link("督办通知", "supervision-orders", _roles(Role.SUPERVISOR, Role.AGENCY_HEAD)),
        Link("重大处罚备案", "supervision-filings", _roles(Role.SUPERVISOR, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER)),
        Link("咨询投诉", "disclosure-complaints"),
        Link("监督线索", "social-leads", _supervisor),
        Link("社会监督员", "social-registry", _supervisor),
        Link("监督权责清单", "supervision-powers", _bureau),
        Link("案卷评查", "casefile-home", _supervisor),
        Link("专项监督", "supervision-campaigns", _supervisor),
        Link("争议协调", "supervision-coordinations", _roles(Role.SUPERVISOR, Role.AGENCY_HEAD, Role.UNIT_HEAD)),
        Link("评议考核", "appraisal-home", _supervisor),
        Link("执法人员考核", "appraisal-officers", _roles(Role.SUPERVISOR, Role.AGENCY_HEAD, Role.UNIT_HEAD)),
        Link("统计报表", "supervision-stats", _supervisor),
        Link("类案偏离", "discretion-outliers", _roles(Role.SUPERVISOR, Role.AGENCY_HEAD)),
        Link("统计年报", "disclosure-reports", _supervisor),
        Link("数据交换", "exchange-home", _roles(Role.SUPERVISOR, Role.ADMIN)),
    )),
    ("系统", (
        Link("系统管理", "admin:index", _staff),
        Link("审计日志", "audit-log", is_audit_admin),
        Link("等保自查", "security-selfcheck", lambda u: is_security_admin(u) or is_audit_admin(u)),
        Link("全部API令牌", "account-tokens", is_security_admin, "?all=1"),
        Link("账号安全", "account-index"),
        Link("通知设置", "notify-preferences"),
    )),
)


def menus_for(user, path: str = "") -> list[dict]:
    """[{label, links: [{label, url, current}], current}] of the menus with at least one link."""
    out = []
    for label, links in MENUS:
        shown = []
        for link in links:
            if link.may is not ANY and not link.may(user):
                continue
            url = reverse(link.url_name) + link.query
            shown.append({"label": link.label, "url": url, "current": bool(path) and path == url.split("?")[0]})
        if shown:
            out.append({"label": label, "links": shown, "current": any(x["current"] for x in shown)})
    return out


def unread_notices(user) -> int:
    from zhifa.review.models import Notice

    return Notice.objects.filter(user=user, read=False).count()


def header(request):
    """Context processor: the staff menus and the unread-notice count of the signed-in user."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated) or request.path.startswith("/gs/"):
        return {}
    return {"staff_menus": menus_for(user, request.path), "unread_notices": unread_notices(user)}

"""Demo data of 执法指挥 (after the apps' other demo steps, so complaints, alerts, draw tasks and
campaigns exist to dispatch from): simple region outlines (示意边界) of the main county and its towns,
stored as GeoJSON-like geometry since the platform has no surveyed boundaries; and tasks in every
state — one on site with the officer's reported position, one finished, one returned, one overdue
and escalated to the unit head by the same sweep the scheduler runs."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.registry import demo_steps
from zhifa.common.roles import Role
from zhifa.dispatch import actions, geo, sources
from zhifa.dispatch.choices import LimitUnit, SourceKind
from zhifa.dispatch.models import DispatchTask, RegionOutline

OUTLINE_SOURCE = "演示数据（示意边界，非勘界成果）"
CENTRES = {"520502": (105.30, 27.30)}  # 七星关区, roughly; other counties are placed beside it


def seed_outlines(region, *, acting_user) -> dict:
    """The region's outline and its children's, tiled (only where none is stored yet)."""
    from zhifa.orgs.models import Region

    children = list(Region.objects.filter(parent=region).order_by("code"))
    centre = CENTRES.get(region.code, (105.30 + (int(region.code) % 97) * 0.01, 27.30))
    parent, shapes = geo.demo_outlines([c.code for c in children], centre=centre, seed=f"zhifa-{region.code}")
    made = {}
    if not RegionOutline.objects.filter(region=region).exists():
        made[region.code] = actions.do_save_outline(region, parent, acting_user=acting_user, source=OUTLINE_SOURCE)
    for child, shape in zip(children, shapes):
        if not RegionOutline.objects.filter(region=child).exists():
            made[child.code] = actions.do_save_outline(child, shape, acting_user=acting_user, source=OUTLINE_SOURCE)
    return made


def _first_source(kind, user, entity) -> str:
    found = sources.candidates(kind, user=user, entity=entity, limit=1)
    return found[0][0] if found else ""


def _at(region, dx=0.0, dy=0.0):
    row = RegionOutline.objects.filter(region=region).first()
    if row is None:
        return None, None
    lon, lat = geo.centroid(row.geometry)
    return f"{lat + dy:.6f}", f"{lon + dx:.6f}"


def seed_demo_tasks(entity, *, users, admin, now=None, log=None) -> list[DispatchTask]:
    from zhifa.orgs.models import Region

    log = log or (lambda msg: None)
    now = now or timezone.now()
    if DispatchTask.objects.filter(entity=entity).exists():
        return []
    head, unithead, officer = users.get("head"), users.get("unithead"), users.get("officer")
    if not (head and officer and admin):
        log("  dispatch: 缺少演示账号，跳过")
        return []
    seed_outlines(entity.region, acting_user=admin)
    towns = list(Region.objects.filter(parent=entity.region).order_by("code")) or [entity.region]
    town = lambda i: towns[i % len(towns)]  # noqa: E731
    second = unithead if unithead and unithead.role == Role.UNIT_HEAD else officer
    made: list[DispatchTask] = []

    def dispatch(hours_ago, **data):
        lat, lon = _at(data["region"], *data.pop("offset", (0.0, 0.0)))
        data.update(region=data["region"].pk, latitude=lat, longitude=lon)
        task = actions.do_dispatch(data, acting_user=head, entity=entity, now=now - dt.timedelta(hours=hours_ago))
        made.append(task)
        return task

    try:
        with transaction.atomic():
            complaint = _first_source(SourceKind.COMPLAINT, head, entity)
            t = dispatch(2, title="核查投诉举报反映的问题" if complaint else "核查群众反映的餐馆后厨卫生问题",
                         source_kind=SourceKind.COMPLAINT if complaint else "text",
                         source_id=complaint, assignee=officer, limit_unit=LimitUnit.HOURS, limit_amount=4,
                         place=f"{town(0).name}洪山路美食街", region=town(0),
                         instructions="现场核查反映的问题，拍照取证，必要时责令改正。")
            actions.do_accept(t, acting_user=officer, now=now - dt.timedelta(hours=1, minutes=50))
            lat, lon = _at(town(0), 0.004, -0.003)
            actions.do_arrive(t, acting_user=officer, latitude=lat, longitude=lon, accuracy=25, source="gps",
                              place="洪山路美食街12号", now=now - dt.timedelta(hours=1, minutes=20))

            t = dispatch(6, title="夜市占道经营巡查", source_kind="text", assignee=officer,
                         limit_unit=LimitUnit.HOURS, limit_amount=2, place=f"{town(1).name}夜市", region=town(1),
                         offset=(-0.01, 0.006), instructions="巡查夜市占道经营、油烟扰民情况，劝导整改并记录。")
            actions.do_accept(t, acting_user=officer, now=now - dt.timedelta(hours=5, minutes=40))

            alert = _first_source(SourceKind.ALERT, head, entity)
            dispatch(0.5, title="处理预警：核实案件办理情况", source_kind=SourceKind.ALERT if alert else "text",
                     source_id=alert, assignee=second, limit_unit=LimitUnit.WORKING_DAYS, limit_amount=3,
                     place=f"{town(2).name}", region=town(2), offset=(0.006, 0.004))

            draw = _first_source(SourceKind.DRAW, head, entity)
            campaign = _first_source(SourceKind.CAMPAIGN, head, entity)
            kind, sid = ((SourceKind.DRAW, draw) if draw else (SourceKind.CAMPAIGN, campaign) if campaign
                         else ("text", ""))
            t = dispatch(26, title="校园周边食品经营户检查", source_kind=kind, source_id=sid, assignee=officer,
                         limit_unit=LimitUnit.WORKING_DAYS, limit_amount=1, place=f"{town(3).name}第一小学周边",
                         region=town(3), offset=(0.003, -0.005))
            actions.do_accept(t, acting_user=officer, now=now - dt.timedelta(hours=25))
            lat, lon = _at(town(3), 0.003, -0.005)
            actions.do_arrive(t, acting_user=officer, latitude=lat, longitude=lon, place="第一小学东门",
                              now=now - dt.timedelta(hours=24))
            actions.do_finish(t, acting_user=officer, result="检查经营户6家，发现1家超范围经营，已责令改正并登记线索。",
                              now=now - dt.timedelta(hours=22))

            t = dispatch(8, title="核查无证经营线索", source_kind="text", assignee=officer,
                         limit_unit=LimitUnit.HOURS, limit_amount=8, place=f"{town(4).name}客运站", region=town(4))
            actions.do_return(t, acting_user=officer, reason="该线索属交通运输部门管辖，建议移交交通运输局处理。",
                              now=now - dt.timedelta(hours=7))

            escalated = actions.do_escalate_overdue(now=now)
    except ActionRefused as e:
        log(f"  dispatch: 执法指挥演示数据未生成（{e.message}）")
        return []
    log(f"  dispatch: 区划边界{RegionOutline.objects.count()}个（示意），指挥调度任务{len(made)}件，"
        f"超时上报{len(escalated)}件")
    return made


@demo_steps.register("dispatch", order=70)  # after inspections (draw tasks), the campaign, complaints and alerts
def dispatch_step(demo) -> None:
    """执法指挥: region outlines (示意), tasks in every state, one overdue and escalated."""
    seed_demo_tasks(demo.main_entity, users=demo.users, admin=demo.admin, log=demo.log)

"""Demo data for transfers and case guidance, made through the actions (called by the seed after
the demo cases): an accepted and a coordinated transfer to another bureau of the county, a
pending 两法衔接 report whose 3-working-day decision period has lapsed, a referral to
discipline inspection and a published guiding case made from a closed demo case."""
from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from zhifa.cases import actions as CA
from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.identifiers import make_credit_code
from zhifa.common.registry import demo_steps
from zhifa.common.roles import Role
from zhifa.legalcal.periods import CalendarUnknown
from zhifa.orgs.models import Entity, Officer, User

logger = logging.getLogger(__name__)
RECEIVER_LOGIN = "receiverhead"


def _receiver(entity):
    qs = Entity.objects.filter(region=entity.region, is_active=True, is_justice_bureau=False).exclude(pk=entity.pk)
    return qs.filter(name__contains="生态环境").first() or qs.order_by("name").first()


def _head_of(receiver, admin, password):
    from zhifa.orgs import actions as org_actions

    head = User.objects.filter(entity=receiver, role=Role.AGENCY_HEAD, is_active=True).first()
    return head or org_actions.do_create_user(username=RECEIVER_LOGIN, password=password, role=Role.AGENCY_HEAD,
                                              entity=receiver, display_name="罗永明", acting_user=admin)


def _register(entity, officer_user, title, party, facts, on):
    me = officer_user.officer
    other = Officer.objects.filter(entity=entity, status="active").exclude(pk=me.pk).order_by("pk").first()
    return CA.do_register_case({"entity": entity, "unit": officer_user.unit, "title": title, "source": "complaint",
                                "violation_on": on - dt.timedelta(days=10), "discovered_on": on, "facts": facts},
                               acting_user=officer_user, parties=[party], officers=[(me, "lead"), (other, "assist")],
                               on=on)


def seed_demo_transfers(entity, *, users, admin, password, log=None):
    log = log or (lambda msg: None)
    today = timezone.localdate()
    try:
        _agency(entity, users, admin, password, today, log)
        _crime(entity, users, today)
        _discipline(entity, users, today)
        _guidance(entity, users, log)
    except (ActionRefused, CalendarUnknown) as e:  # a demo never stops the seed; say what was left out
        logger.warning("演示移送数据未完整生成：%s", e)
        log(f"  警告：演示移送数据未完整生成（{getattr(e, 'message', e)}）")


def _agency(entity, users, admin, password, today, log):
    from zhifa.transfers import actions as transfer_actions

    receiver = _receiver(entity)
    if receiver is None:
        return
    rhead = _head_of(receiver, admin, password)
    party = {"kind": "org", "name": "毕节市七星关区清源洗车场",
             "credit_code": make_credit_code("520502", "MA6GQ2LX", authority="9"),
             "legal_representative": "黄德明", "address": "贵州省毕节市七星关区碧海街道麻园路12号"}
    on = today - dt.timedelta(days=6)
    case = _register(entity, users["officer"], "毕节市七星关区清源洗车场未经处理排放洗车废水案", party,
                     "群众投诉当事人洗车废水直接排入市政雨水管网，现场核查属实，属于生态环境部门管辖的水污染防治事项。", on)
    CA.do_transfer(case, transfer_kind="agency", transfer_to=receiver.name, acting_user=users["head"],
                   expected_version=case.version, on=on + dt.timedelta(days=1),
                   reason="当事人行为涉嫌违反《中华人民共和国水污染防治法》，依法应由生态环境主管部门管辖。")
    t = case.agency_transfers.get()
    officers = list(Officer.objects.filter(entity=receiver, status="active").order_by("pk")[:2])
    transfer_actions.do_accept_transfer(t, acting_user=rhead, note="案件材料及证据清单已收到", open_case=len(officers) == 2,
                         officers=list(zip(officers, ("lead", "assist"))), on=on + dt.timedelta(days=2))
    party2 = {"kind": "org", "name": "毕节市七星关区佳美装饰材料经营部",
              "credit_code": make_credit_code("520502", "MA6HD8TR", authority="9"),
              "legal_representative": "肖海波", "address": "贵州省毕节市七星关区洪山街道建设路88号"}
    case2 = _register(entity, users["officer"], "毕节市七星关区佳美装饰材料经营部露天焚烧废弃包装物案", party2,
                      "巡查发现当事人在店外空地焚烧废弃包装物，产生大量烟尘。", on)
    CA.do_transfer(case2, transfer_kind="agency", transfer_to=receiver.name, acting_user=users["head"],
                   expected_version=case2.version, on=on + dt.timedelta(days=1),
                   reason="露天焚烧产生烟尘污染，属大气污染防治事项，依法应由生态环境主管部门管辖。")
    t2 = case2.agency_transfers.get()
    transfer_actions.do_refuse_transfer(t2, acting_user=rhead, on=on + dt.timedelta(days=3),
                         reason="城区露天焚烧由城市管理部门依相对集中行政处罚权管辖，不属本局职责。")
    sup = users.get("supervisor")
    if sup is not None:
        transfer_actions.do_coordinate(t2, acting_user=sup, entity=receiver, on=on + dt.timedelta(days=5),
                        reason="经查本区相对集中行政处罚权目录，露天焚烧废弃包装物仍由生态环境部门管辖，由接收机关依法处理。")
    log(f"  transfers: 移送{receiver.name} 2 件（登录 {rhead.username} 查看收到的移送）")


def _crime(entity, users, today):
    from zhifa.legalcal import periods
    from zhifa.transfers import crime

    case = (Case.objects.filter(entity=entity, state="investigating", suspended=False)
            .exclude(crime_transfers__isnull=False).order_by("pk").first())
    if case is None:
        return
    me = users["officer"].officer
    team = [me] + list(Officer.objects.filter(pk__in=case.officers.filter(active=True).values("officer_id"))
                       .exclude(pk=me.pk)[:1])
    if len(team) < 2:
        return
    # Reported 5 working days ago: the head's 3-working-day period has lapsed (a supervision alert).
    # Counted back from the last day the calendar knows when this year is not entered yet (early January).
    known = periods.known_years()
    reported = today if today.year in known else dt.date(max((y for y in known if y < today.year),
                                                             default=today.year), 12, 31)
    for _ in range(5):
        reported -= dt.timedelta(days=1)
        while not periods.is_working_day(reported):
            reported -= dt.timedelta(days=1)
    crime.do_report_crime(case, acting_user=users["officer"], team=team, police_name="毕节市公安局七星关分局",
                      on=max(reported, case.last_action_on or reported),
                      report_text="经专案组核实，当事人生产的食品经检验菌落总数严重超标，已销售货值金额约6.8万元，"
                                  "涉嫌构成《中华人民共和国刑法》第一百四十三条规定的生产、销售不符合安全标准的食品罪，"
                                  "建议移送公安机关。")


def _discipline(entity, users, today):
    from zhifa.transfers import actions as transfer_actions

    sup = users.get("supervisor")
    officer = Officer.objects.filter(entity=entity, status="active").exclude(user=users["officer"]).order_by("pk").first()
    if sup is None or officer is None:
        return
    transfer_actions.do_refer_discipline(acting_user=sup, officer=officer, organ="毕节市七星关区纪委监委", on=today,
                          facts="群众举报该执法人员在检查中向经营者索要财物，经执法监督核查存在线索，依规移送。")


def _guidance(entity, users, log):
    from zhifa.guidance import actions as guidance_actions

    sup = users.get("citysupervisor") or users.get("supervisor")
    case = Case.objects.filter(entity=entity, state__in=guidance_actions.CLOSED, kind="penalty_general").order_by("pk").first()
    if sup is None or case is None:
        return
    g = guidance_actions.do_select_guidance(case, acting_user=sup)
    g = guidance_actions.do_edit_guidance(g, acting_user=sup, title=f"{case.field or '市场监管'}领域：{case.title[:60]}", body=g.body,
                           key_points="当事人积极配合调查并及时改正的，可依照裁量基准从轻处罚，但应在决定书中说明从轻的事实和理由。",
                           significance="明确从轻处罚情节的认定与说理要求，统一辖区同类案件的裁量尺度。")
    g = guidance_actions.do_publish_guidance(g, acting_user=sup)
    log(f"  guidance: 指导案例第{g.number}号已发布（/gs/guidance/）")


@demo_steps.register("transfers", order=30)
def transfers_step(demo) -> None:
    """移送、两法衔接、违纪线索、案例指导 through their actions."""
    if demo.cases:
        seed_demo_transfers(demo.main_entity, users=demo.users, admin=demo.admin, password=demo.password,
                            log=demo.log)

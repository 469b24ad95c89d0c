"""Demo 争议协调, made through the actions, between the demo entity (a county department) and a town
government of the same county (乡镇综合执法) — the town's head is an account without a usable password:

  1. 乡镇综合执法: who deals with unlicensed food stalls at the town market — positions of both, the county
     justice bureau gives it to the town, the town takes it on within the period;
  2. 跨领域: a decision given to the demo entity and not yet taken on, past its period (an alert);
  3. 跨领域, brought by the supervisor this week, waiting for the town's position.
Dates: the last weeks, ending today."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.common.roles import Role
from zhifa.orgs import actions as org_actions
from zhifa.orgs.models import Entity, Region, User
from zhifa.supervision.actions import coordination as coord_actions


def _town_head(town, admin):
    user = User.objects.filter(entity=town, role=Role.AGENCY_HEAD).first()
    return user or org_actions.do_create_user(username=f"head{town.region.code}", password=None, role=Role.AGENCY_HEAD,
                                              entity=town, display_name=f"{town.region.name}负责人", acting_user=admin)


def seed_demo_coordination(entity, *, users, admin, log=None):
    log = log or (lambda msg: None)
    head, sup = users.get("head"), users.get("supervisor")
    town = (Entity.objects.filter(region__parent=entity.region, region__level=Region.Level.TOWN, is_active=True,
                                  is_justice_bureau=False).order_by("region__code").first())
    if head is None or sup is None or town is None:
        log("  coordination: 缺少负责人、监督演示账号或乡镇主体，未生成争议协调")
        return []
    town_head = _town_head(town, admin)
    today = timezone.localdate()
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731 - a date n days ago

    first = coord_actions.do_open_coordination(
        acting_user=head, kind="township", parties=[entity, town], on=day(24),
        title=f"{town.region.name}集贸市场流动摊贩销售无证食品的查处职责",
        description="县局认为该镇已承接食品摊贩监管的赋权事项，镇政府认为涉及食品安全的查处仍属县局职责，双方意见不一。")
    coord_actions.do_submit_position(first, acting_user=head, on=day(23), position=(
        "依据县政府赋予乡镇部分县级行政执法权限的决定，食品摊贩的日常监管和一般违法行为查处已下放乡镇，应由镇政府承办。"))
    coord_actions.do_submit_position(first, acting_user=town_head, on=day(21), position=(
        "本镇综合行政执法办公室仅承接占道经营等事项，无证食品涉及抽样检验，专业性强，建议由县局查处。"))
    coord_actions.do_decide_coordination(first, acting_user=sup, entity=town, follow_up_days=10, on=day(18), decision=(
        "经审查赋权决定目录，“对食品摊贩未经备案从事经营的处罚”已赋予乡镇，由镇政府承办；需要抽样检验的，"
        "县局提供技术支持。"))
    coord_actions.do_take_on(first, acting_user=town_head, on=day(12),
                             note="已登记案源3件，综合行政执法办公室已对摊贩开展检查，县局派员协助抽样。")

    second = coord_actions.do_open_coordination(
        acting_user=sup, kind="cross_field", parties=[entity, town], on=day(20),
        title="校园周边小卖部销售“三无”辣条的监管职责",
        description="12345热线转办投诉，县局与镇政府均认为不属于本单位职责。")
    coord_actions.do_submit_position(second, acting_user=town_head, on=day(19),
                                     position="产品质量问题属市场监管领域，乡镇未获赋权，应由县局查处。")
    coord_actions.do_submit_position(second, acting_user=head, on=day(18),
                                     position="涉事小卖部位于该镇，建议由镇政府先行处置，县局予以指导。")
    coord_actions.do_decide_coordination(second, acting_user=sup, entity=entity, follow_up_days=7, on=day(15), decision=(
        "销售不符合食品安全标准的食品属《食品安全法》规定的市场监管职责，未赋予乡镇，由县局承办。"))

    third = coord_actions.do_open_coordination(
        acting_user=sup, kind="cross_field", parties=[entity, town], on=day(3),
        title="农村自建房改作民宿未取得食品经营许可的查处",
        description="涉及食品经营许可与农村建房管理两个领域。")
    coord_actions.do_submit_position(third, acting_user=head, on=day(2),
                                     position="未取得食品经营许可从事餐饮服务的，由本局查处；房屋用途变更不属本局职责。")
    log(f"  coordination: 争议协调 3 件（已承接、逾期未承接、待陈述意见），乡镇：{town.name}")
    return [first, second, third]

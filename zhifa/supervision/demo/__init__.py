"""The supervision app's demo steps (zhifa.common.registry.demo_steps; run by `zhifa seed`)."""
from __future__ import annotations

from zhifa.common.registry import demo_steps
from zhifa.supervision.actions.reports import seed_demo_reports
from zhifa.supervision.demo.campaign import seed_demo_campaign
from zhifa.supervision.demo.casefile import seed_demo_casefile
from zhifa.supervision.demo.coordination import seed_demo_coordination
from zhifa.supervision.demo.filing import seed_demo_filings
from zhifa.supervision.demo.officers import seed_demo_officers
from zhifa.supervision.demo.orders import seed_demo_orders
from zhifa.supervision.demo.powerlist import seed_demo_powerlist
from zhifa.supervision.demo.social import seed_complaints_and_social


@demo_steps.register("annual_reports", order=20)
def annual_reports_step(demo) -> None:
    """年度统计年报 of the demo entity, generated and published."""
    if demo.cases:
        seed_demo_reports(demo.main_entity, head=demo.users["head"], log=demo.log)


@demo_steps.register("casefile", order=40)
def casefile_step(demo) -> None:
    """案卷评查 (a finished round) and 评议考核 results."""
    if demo.cases:
        seed_demo_casefile(demo.main_entity, users=demo.users, log=demo.log)


@demo_steps.register("orders", order=50)
def orders_step(demo) -> None:
    """督办通知书 (replied) and 执法监督建议书 with their documents."""
    if demo.cases:
        seed_demo_orders(demo.main_entity, users=demo.users, log=demo.log)


@demo_steps.register("complaints_social", order=60)
def complaints_social_step(demo) -> None:
    """投诉举报 in every state and 社会监督员 with leads (not at 毕节 scale: it stays fast)."""
    if demo.scale.name != "bijie":
        seed_complaints_and_social(main=demo.main_entity, supervisor=demo.users.get("supervisor"),
                                   head=demo.users.get("head"), officer=demo.users.get("officer"), log=demo.log)


@demo_steps.register("major_filings", order=55)
def major_filings_step(demo) -> None:
    """重大行政处罚备案审查: the demo entity's major decisions filed and reviewed (予以备案; a second one 责令纠正)."""
    if demo.cases:
        seed_demo_filings(demo.main_entity, users=demo.users, log=demo.log)


@demo_steps.register("supervision_powers", order=56)
def supervision_powers_step(demo) -> None:
    """监督权责清单 of the county and the city justice bureau, confirmed and published."""
    seed_demo_powerlist(admin=demo.admin, supervisors=[demo.users.get("supervisor"), demo.users.get("citysupervisor")],
                        log=demo.log)


@demo_steps.register("campaign", order=57)
def campaign_step(demo) -> None:
    """专项监督: a finished campaign over the demo entity's decided cases (one problem, its 整改通知 answered)."""
    if demo.cases:
        seed_demo_campaign(demo.main_entity, users=demo.users, log=demo.log)


@demo_steps.register("coordination", order=58)
def coordination_step(demo) -> None:
    """争议协调: the demo entity and a town government (乡镇综合执法, 跨领域): decided and taken on, overdue, open."""
    seed_demo_coordination(demo.main_entity, users=demo.users, admin=demo.admin, log=demo.log)


@demo_steps.register("officers", order=59)
def officers_step(demo) -> None:
    """执法人员管理: a certificate suspended and one withdrawn (with reasons), training of every tier, officer findings."""
    seed_demo_officers(demo.main_entity, users=demo.users, admin=demo.admin, log=demo.log)

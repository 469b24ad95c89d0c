"""The demo step: outlines (示意) for the county and its towns, tasks in every state, one escalated."""
from tests import factories
from zhifa.dispatch.demo import seed_demo_tasks
from zhifa.dispatch.models import DispatchTask, RegionOutline


def test_the_demo_step(world):
    county = world["regions"]["county"]
    for i, name in enumerate(("市西街道", "市东街道", "大新桥街道", "洪山街道", "观音桥街道"), start=1):
        factories.region(f"520502{i:03d}", name, 4, county)
    users = {"head": world["head"], "unithead": world["unit_head"], "officer": world["officer"]}
    made = seed_demo_tasks(world["smj"], users=users, admin=world["admin"])
    assert len(made) == 5
    assert RegionOutline.objects.filter(region__path__startswith=county.path).count() == 6
    states = set(DispatchTask.objects.filter(entity=world["smj"]).values_list("state", flat=True))
    assert states == {"dispatched", "accepted", "on_site", "done", "returned"}
    escalated = DispatchTask.objects.get(title="夜市占道经营巡查")
    assert escalated.escalation_level == 1 and escalated.escalated_to == world["unit_head"]
    assert seed_demo_tasks(world["smj"], users=users, admin=world["admin"]) == []  # once

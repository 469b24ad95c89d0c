"""The 双随机 demo of `zhifa seed`: rosters, the 2026 plan, a finished draw (committed before a
recorded drand round, drawn, tasks done, results published within the statutory period) and a
draw committed to a future round; the finished draw does not depend on the day the seed runs."""
import datetime as dt
import json

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings

from zhifa.inspections import algorithm as alg
from zhifa.inspections import demo
from zhifa.inspections.kit import kit_bytes, kit_for, latest_drawn
from zhifa.inspections.models import Draw, Plan, RosterObject, Task
from zhifa.inspections.verify_draw import check

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _seed(day):
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.site.demo import seed

    with time_machine.travel(day, tick=False):
        seed_from_chinesecalendar()
        periods.clear_cache()
        return seed("county")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from zhifa.legalcal import periods

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST,
                                                        DATA_DIR=tmp_path_factory.mktemp("demo-data")):
        with transaction.atomic():
            builder = _seed(dt.datetime(2026, 12, 7, 9, 30, tzinfo=demo.CN))
            draw = Draw.objects.get(beacon_round=demo.DEMO_ROUND)
            yield {"builder": builder, "draw": draw, "kit": kit_for(draw)}
            transaction.set_rollback(True)
    periods.clear_cache()


def test_the_demo_has_rosters_an_acknowledged_plan_and_a_finished_draw(seeded):
    draw = seeded["draw"]
    assert RosterObject.objects.filter(entity=draw.entity).count() == 240
    assert draw.object_snapshot.count == 240 and draw.inspector_snapshot.count >= 2
    assert draw.batch.plan.state == Plan.State.ACKNOWLEDGED and draw.batch.plan.year == demo.YEAR
    assert draw.state == Draw.State.DRAWN and draw.published and draw.selected_count > 0
    commitment = json.loads(draw.commitment)
    assert commitment["draw_date"] == "2026-09-11" and commitment["source"]["round"] == demo.DEMO_ROUND
    # The second batch: committed at seeding time to a round still to come.
    live = Draw.objects.exclude(pk=draw.pk).get()
    assert live.state == Draw.State.COMMITTED and live.beacon_round > demo.DEMO_ROUND


def test_every_task_is_done_and_published_within_the_period(seeded):
    draw = seeded["draw"]
    tasks = list(Task.objects.filter(draw=draw).select_related("case"))
    assert len(tasks) == draw.selected_count
    for t in tasks:
        assert t.result and t.done_on and t.done_on <= draw.batch.ends_on
        assert t.published_on and t.published_on <= t.publish_due_on, (t.published_on, t.publish_due_on)
        assert t.case.state == "result_recorded"
    assert {t.result for t in tasks} >= {"no_problem", "corrected"}
    from zhifa.inspections.alerts import overdue_tasks, undrawn_batches, unpublished_results

    today = dt.date(2026, 12, 7)
    assert not overdue_tasks(today).exists() and not unpublished_results(today).exists()
    assert not undrawn_batches(today).filter(pk=draw.batch_id).exists()


def test_the_demo_draw_verifies_and_is_the_latest_kit(seeded):
    results = check(seeded["kit"])
    assert all(ok for ok, _ in results), [t for ok, t in results if not ok]
    assert latest_drawn().pk == seeded["draw"].pk
    assert kit_bytes(seeded["draw"]) == json.dumps(seeded["kit"], ensure_ascii=False, indent=1,
                                                    sort_keys=True).encode("utf-8")


def test_the_demo_draw_is_on_the_portal(seeded):
    draw = seeded["draw"]
    page = Client().get(f"/gs/sjs/{draw.pk}/").content.decode()
    assert draw.seed in page and "发现问题已责令改正" in page
    assert Client().get(f"/gs/sjs/{draw.pk}/kit/").status_code == 200


def test_the_finished_draw_does_not_depend_on_the_day_of_seeding(seeded):
    """The roster file, the draw date, the beacon round and every date of the cycle are pinned: seeded on
    2026-12-07 here, the cycle is dated September–October 2026 and the roster is what any other day
    makes (the inspectors' snapshot follows the demo officers' certificates, which the foundation dates
    from the day of seeding, as the rest of the seed does)."""
    import random

    import openpyxl

    draw, kit = seeded["draw"], seeded["kit"]
    files = []
    for day in (dt.datetime(2026, 11, 2, tzinfo=demo.CN), dt.datetime(2028, 6, 30, tzinfo=demo.CN)):
        with time_machine.travel(day, tick=False):
            book = openpyxl.load_workbook(demo.roster_file(draw.entity.region.code, 240, random.Random(19)))
            files.append([list(row) for row in book.active.iter_rows(values_only=True)])
    assert files[0] == files[1]
    assert kit["commitment"]["objects"]["root"] == alg.root(kit["objects"])
    tasks = Task.objects.filter(draw=draw)
    assert {t.done_on.year for t in tasks} == {2026} and max(t.published_on for t in tasks) < dt.date(2026, 11, 1)
    assert draw.committed_at < dt.datetime.fromtimestamp(alg.round_time(demo.DEMO_ROUND), dt.UTC) < draw.drawn_at

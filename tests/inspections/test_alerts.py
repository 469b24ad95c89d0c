"""Overdue 双随机 work in the supervision alerts (through the alert_checks registry) and the
object's 双随机 history on the 一户式 page (through target_sections)."""
from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from tests.inspections import helpers as H
from zhifa.inspections import actions as A
from zhifa.inspections.alerts import inspection_lapses
from zhifa.inspections.models import Task
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert

RECORD_DAY = dt.datetime(2026, 9, 15, 10, tzinfo=H.CN)


def keys(today):
    return {f.key: f for f in inspection_lapses(today)}


def test_overdue_results_and_late_publication_are_alerts(d):
    cw, draw = d["cw"], d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
    due = draw.batch.ends_on
    assert not [k for k in keys(due) if k.startswith("sjs_task:")]         # on the due date: not yet late
    late = keys(due + dt.timedelta(days=1))
    assert {f"sjs_task:{t.pk}" for t in tasks} <= set(late)
    assert late[f"sjs_task:{tasks[0].pk}"].kind == "deadline_lapsed" and late[f"sjs_task:{tasks[0].pk}"].case_id
    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in tasks if handlers & set(t.inspectors.all()))
    officer = next(o for o in task.inspectors.all() if o in handlers)
    with time_machine.travel(RECORD_DAY, tick=False):
        task = A.do_record_task_result(task, result=Task.Result.NO_PROBLEM, note="未发现问题", acting_user=officer.user)
    after_due = task.publish_due_on + dt.timedelta(days=1)
    found = keys(after_due)
    assert f"sjs_task:{task.pk}" not in found
    assert found[f"sjs_publish:{task.pk}"].kind == "publication_overdue"
    assert f"sjs_publish:{task.pk}" not in keys(task.publish_due_on)
    recompute_alerts(after_due)
    assert Alert.objects.filter(key=f"sjs_publish:{task.pk}", kind="publication_overdue").exclude(state="closed").exists()
    with time_machine.travel(RECORD_DAY, tick=False):
        A.do_publish_results(draw, acting_user=cw["unit_head"])
    recompute_alerts(after_due)
    assert Alert.objects.get(key=f"sjs_publish:{task.pk}").state == "closed"


def test_a_batch_never_drawn_is_an_alert(d):
    cw = d["cw"]
    with time_machine.travel(H.BEFORE, tick=False):
        plan = A.do_create_plan(entity=cw["smj"], year=2026, title="未抽取的计划", acting_user=cw["unit_head"])
        batch = A.do_add_batch(plan, acting_user=cw["unit_head"], name="第一批", items=[d["item"]],
                               strata=[{"level": "A", "count": 1}], starts_on=dt.date(2026, 9, 14),
                               ends_on=dt.date(2026, 9, 30))
        A.do_file_plan(plan, acting_user=cw["head"])
        A.do_acknowledge_plan(plan, acting_user=cw["sup_city"])
    assert f"sjs_undrawn:{batch.pk}" not in keys(dt.date(2026, 9, 30))
    assert keys(dt.date(2026, 10, 1))[f"sjs_undrawn:{batch.pk}"].entity_id == cw["smj"].pk
    assert f"sjs_undrawn:{d['batch'].pk}" not in keys(dt.date(2027, 1, 1))       # drawn


def test_one_household_page_shows_the_inspection_history(d):
    cw, draw = d["cw"], d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
    key = tasks[0].object_key
    c = Client()
    c.force_login(cw["unit_head"])
    html = c.get(f"/records/target/?key={key}").content.decode()
    assert "双随机抽查记录（1）" in html and d["plan"].title in html and "信用风险等级" in html
    from tests.factories import user
    from zhifa.common.roles import Role

    outsider = Client()
    outsider.force_login(user(Role.AGENCY_HEAD, cw["zy"], None, "zyhead"))
    assert "双随机抽查记录" not in outsider.get(f"/records/target/?key={key}").content.decode()


def test_figures_count_results_problems_and_coverage(d):
    from zhifa.inspections.figures import figures

    cw, draw = d["cw"], d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in tasks if handlers & set(t.inspectors.all()))
    officer = next(o for o in task.inspectors.all() if o in handlers)
    with time_machine.travel(RECORD_DAY, tick=False):
        A.do_record_task_result(task, result=Task.Result.CORRECTED, note="已责令改正", acting_user=officer.user)
        A.do_publish_results(draw, acting_user=cw["unit_head"])
    [row] = figures(cw["unit_head"], dt.date(2026, 9, 16))
    assert row["draws"] == 1 and row["tasks"] == len(tasks) and row["done"] == 1 and row["overdue"] == 0
    assert row["problem_pct"] == "100.0%" and row["on_time_pct"] == "100.0%"
    assert row["coverage_pct"] == f"{len(tasks) * 100 / 40:.1f}%"
    assert figures(cw["sup_city"], dt.date(2026, 9, 16))[0]["tasks"] == len(tasks)   # the level above sees them
    c = Client()
    c.force_login(cw["unit_head"])
    assert "抽查统计" in c.get("/inspections/").content.decode()

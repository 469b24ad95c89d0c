"""双随机 figures on the supervision home (common.registry.supervision_sections): plans, draws, tasks
done and overdue, results published on time, for the supervisor's region; supervision never
imports the inspections app."""
from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from tests.inspections import helpers as H
from zhifa.common.registry import supervision_sections
from zhifa.inspections import actions as A
from zhifa.inspections.figures import region_figures
from zhifa.inspections.models import Task
from zhifa.supervision import figures as sup_figures

RECORD_DAY = dt.datetime(2026, 9, 15, 10, tzinfo=H.CN)
PUBLISH_DAY = dt.datetime(2026, 9, 18, 10, tzinfo=H.CN)


def test_the_section_is_registered_by_inspections_alone():
    assert {e.key: e.module for e in supervision_sections.entries()} == {"inspections": "zhifa.inspections.figures"}


def _cycle(d):
    cw, draw = d["cw"], d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in tasks if handlers & set(t.inspectors.all()))
    officer = next(o for o in task.inspectors.all() if o in handlers)
    with time_machine.travel(RECORD_DAY, tick=False):
        A.do_record_task_result(task, result=Task.Result.CORRECTED, note="已责令改正", acting_user=officer.user)
    with time_machine.travel(PUBLISH_DAY, tick=False):
        A.do_publish_results(draw, acting_user=cw["unit_head"])
    return tasks


def test_region_figures_count_plans_draws_tasks_and_on_time_publication(d):
    cw = d["cw"]
    tasks = _cycle(d)
    sup = cw["sup_county"]
    region = sup_figures.home_region(sup)
    figs = region_figures(sup, dt.date(2026, 11, 2), region)
    t = figs["total"]
    assert (t["plans"], t["filed"], t["drawn"], t["waiting"]) == (1, 1, 1, 0)
    assert (t["tasks"], t["done"], t["published"], t["on_time"], t["problems"]) == (len(tasks), 1, 1, 1, 1)
    assert t["overdue"] == len(tasks) - 1          # the batch ended on 2026-10-30
    assert t["on_time_pct"] == "100.0%" and t["problem_pct"] == "100.0%"
    assert [r["entity"] for r in figs["rows"]] == [cw["smj"].name]
    assert region_figures(sup, dt.date(2026, 9, 20), region)["total"]["overdue"] == 0
    assert region_figures(sup, dt.date(2026, 9, 20), region, 2027)["rows"] == []


def test_the_supervision_home_shows_them(d):
    cw = d["cw"]
    tasks = _cycle(d)
    client = Client()
    client.force_login(cw["sup_county"])
    with time_machine.travel(dt.datetime(2026, 9, 20, 10, tzinfo=H.CN), tick=False):
        page = client.get("/supervision/").content.decode()
    assert 'data-testid="section-inspections"' in page and "双随机、一公开" in page
    assert f'data-testid="sjs-done">1/{len(tasks)}<' in page and 'data-testid="sjs-on-time">1/1<' in page
    with time_machine.travel(dt.datetime(2026, 9, 20, 10, tzinfo=H.CN), tick=False):
        assert 'section-inspections' not in client.get("/supervision/?year=2025").content.decode()


def test_nothing_from_outside_the_region(d):
    cw = d["cw"]
    _cycle(d)
    city = cw["sup_city"]
    assert region_figures(city, dt.date(2026, 9, 20), sup_figures.home_region(city))["total"]["drawn"] == 1
    assert region_figures(city, dt.date(2026, 9, 20), cw["df"].region)["rows"] == []

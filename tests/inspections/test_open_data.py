"""开放数据 of 双随机: published draws and their published results as CSV and JSON, with the
verify-draw instructions on the portal pages; nothing unpublished goes out."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import time_machine
from django.test import Client

from tests.inspections import helpers as H
from zhifa.inspections import actions as A
from zhifa.inspections.models import Task
from zhifa.inspections.verify_draw import check


def test_published_draws_and_results_download(d):
    cw, draw = d["cw"], d["draw"]
    anon = Client()
    assert json.loads(anon.get("/gs/sjs/data.json").content)["rows"] == []
    assert anon.get(f"/gs/sjs/{draw.pk}/results.csv").status_code == 404       # not published
    assert anon.get("/gs/sjs/data.xml").status_code == 404
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
        A.do_publish_draw(draw, acting_user=cw["unit_head"])
    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in tasks if handlers & set(t.inspectors.all()))
    officer = next(o for o in task.inspectors.all() if o in handlers)
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, tzinfo=H.CN), tick=False):
        A.do_record_task_result(task, result=Task.Result.CORRECTED, note="已责令改正", acting_user=officer.user)
    data = json.loads(anon.get("/gs/sjs/data.json").content)
    assert [r["id"] for r in data["rows"]] == [draw.pk] and data["rows"][0]["seed"] == draw.seed
    kit = json.loads(anon.get(data["rows"][0]["kit_url"].replace("http://testserver", "")).content)
    assert all(ok for ok, _ in check(kit))
    rows = json.loads(anon.get(f"/gs/sjs/{draw.pk}/results.json").content)["rows"]
    assert len(rows) == draw.selected_count and not any(r["result"] for r in rows)   # result not yet published
    with time_machine.travel(dt.datetime(2026, 9, 16, 10, tzinfo=H.CN), tick=False):
        A.do_publish_results(draw, acting_user=cw["unit_head"])
    rows = json.loads(anon.get(f"/gs/sjs/{draw.pk}/results.json").content)["rows"]
    mine = next(r for r in rows if r["key"] == task.object_key)
    assert mine["result"] == "发现问题已责令改正" and mine["published_on"] == "2026-09-16" and mine["inspectors"]
    text = anon.get(f"/gs/sjs/{draw.pk}/results.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[1][:3] == ["draw_id", "level", "name"] and len(table) == 2 + draw.selected_count
    page = anon.get(f"/gs/sjs/{draw.pk}/").content.decode()
    assert "如何核验抽取" in page and "zhifa verify-draw" in page and f"/gs/sjs/{draw.pk}/results.csv" in page
    assert "/gs/sjs/data.csv" in anon.get("/gs/sjs/").content.decode()


def test_portal_finds_one_enterprise_and_one_entity(d):
    cw, draw = d["cw"], d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
        A.do_publish_draw(draw, acting_user=cw["unit_head"])
    key = tasks[0].object_key
    anon = Client()
    html = anon.get(f"/gs/sjs/?key={key}").content.decode()
    assert f"{key} 的双随机抽查（1）" in html and "检查中" in html
    assert "请输入18位有效的统一社会信用代码" in anon.get("/gs/sjs/?key=123").content.decode()
    assert "共 1 次抽取" in anon.get(f"/gs/sjs/?entity={cw['smj'].pk}").content.decode()
    assert "共 0 次抽取" in anon.get(f"/gs/sjs/?entity={cw['hbj'].pk}").content.decode()

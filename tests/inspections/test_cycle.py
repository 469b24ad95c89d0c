"""The staff cycle as users meet it, through the pages: plan → batch → 备案 → commit → reveal →
tasks → 回避 (a replayable re-draw) → results → publication; and the rules of 回避."""
from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from tests.inspections import helpers as H
from zhifa.common.actions import ActionRefused
from zhifa.inspections import actions as A
from zhifa.inspections import algorithm as alg
from zhifa.inspections.kit import kit_for
from zhifa.inspections.models import Draw, Plan, Recusal, Task
from zhifa.inspections.verify_draw import check

RECORD_DAY = dt.datetime(2026, 9, 15, 10, tzinfo=H.CN)


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def page(c, url, data=None):
    r = c.post(url, data or {}, follow=True) if data is not None else c.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode()


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, (e.value.rule, e.value.message)
    return e.value


def test_full_cycle_through_the_staff_pages(d):
    cw = d["cw"]
    head, sup = client(cw["unit_head"]), client(cw["sup_city"])
    with time_machine.travel(H.BEFORE, tick=False):
        assert "新建抽查工作计划" in page(head, "/inspections/")
        html = page(head, "/inspections/plans/new/", {"year": "2026", "title": "食品经营第二次抽查计划"})
        plan = Plan.objects.get(title="食品经营第二次抽查计划")
        assert "添加抽查批次" in html and d["item"].code in html
        url = f"/inspections/plans/{plan.pk}/"
        batch = {"name": "第四季度批次", "items": [str(d["item"].pk)], "ratio_A": "120", "starts_on": "2026-09-14",
                 "ends_on": "2026-10-30", "window_days": "0", "inspectors_per_object": "2"}
        assert "不超过100%" in page(head, url + "batches/new/", batch)          # batch.ratio, nothing added
        assert not plan.batches.exists()
        batch.update(ratio_A="", count_A="3", ratio_D="50")
        page(head, url + "batches/new/", batch)
        assert plan.batches.get().strata == [{"level": "A", "count": 3}, {"level": "D", "ratio": "50"}]
        page(head, url + "file/", {})
        assert "确认备案" in page(sup, url)
        page(sup, url + "acknowledge/", {"note": "同意备案"})
        b = plan.batches.get()
        html = page(head, f"/inspections/batches/{b.pk}/commit/", {"source": "drand", "beacon_round": str(H.ROUND2)})
        assert "已承诺并记入执法日志" in html
    draw = Draw.objects.get(batch=b)
    with time_machine.travel(H.AFTER, tick=False):
        assert "签名核验未通过" in page(head, f"/inspections/draws/{draw.pk}/reveal/", {"signature": H.SIGNATURE})
        page(head, f"/inspections/draws/{draw.pk}/reveal/", {"signature": H.SIGNATURE2})
        draw.refresh_from_db()
        assert draw.state == "drawn"
        page(head, f"/inspections/draws/{draw.pk}/tasks/", {})
    tasks = list(Task.objects.filter(draw=draw))
    assert len(tasks) == draw.selected_count > 0
    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in tasks if handlers & set(t.inspectors.all()))
    team = list(task.inspectors.all())
    officer = next(o for o in team if o in handlers)
    with time_machine.travel(RECORD_DAY, tick=False):
        html = page(client(officer.user), f"/inspections/tasks/{task.pk}/")
        assert "申报回避" in html
        page(client(officer.user), f"/inspections/tasks/{task.pk}/recusal/",
             {"officer": str(officer.pk), "reason": "与该企业负责人系近亲属"})
        rec = Recusal.objects.get(task=task)
        assert "待决定的回避申请" in page(head, "/inspections/")
        page(head, f"/inspections/recusals/{rec.pk}/decide/", {"approve": "1"})
    rec.refresh_from_db()
    assert rec.state == "approved" and rec.index == 1 and rec.replacement not in team
    new_team = set(task.inspectors.all())
    assert officer not in new_team and rec.replacement in new_team and len(new_team) == 2
    assert set(task.case.officers.filter(active=True).values_list("officer", flat=True)) == {o.pk for o in new_team}
    # The re-draw is replayable: the kit names it and verify-draw recomputes it; a changed one fails.
    kit = kit_for(draw)
    assert kit["recusals"] == [{"index": 1, "key": task.object_key, "officer": officer.pk, "on": "2026-09-15",
                                "replacement": rec.replacement_id}]
    assert all(ok for ok, _ in check(kit)), check(kit)
    bad = copy.deepcopy(kit)
    others = [r["officer"] for r in kit["inspectors"] if r["officer"] not in {o.pk for o in team} | {rec.replacement_id}]
    bad["recusals"][0]["replacement"] = others[0] if others else 0
    assert not all(ok for ok, _ in check(bad))
    # Results: recorded by one of the new team on a phone page, then published on the portal.
    recorder = rec.replacement
    from zhifa.common.roles import Role

    # Give the re-drawn inspector an officer's sign-in (a phone) when they have none, or only another role's
    # (which of the roster is re-drawn depends on the database's order: on PostgreSQL it was a reviewer's).
    if recorder.user_id is None or recorder.user.role != Role.OFFICER or not recorder.user.is_active:
        from tests.factories import system_admin, user
        from zhifa.orgs import actions as org_actions

        org_actions.do_update_officer(recorder, {"user": user(Role.OFFICER, recorder.entity, recorder.unit)},
                                      acting_user=system_admin())
        recorder.refresh_from_db()
    with time_machine.travel(RECORD_DAY, tick=False):
        page(client(recorder.user), f"/inspections/tasks/{task.pk}/",
             {"result": Task.Result.NO_PROBLEM, "note": "现场检查未发现问题"})
        task.refresh_from_db()
        assert task.result == "no_problem"
        assert Client().get(f"/gs/sjs/{draw.pk}/").status_code == 404
        page(head, f"/inspections/draws/{draw.pk}/results/", {})
    task.refresh_from_db()
    draw.refresh_from_db()
    assert task.published_on == dt.date(2026, 9, 15) and draw.published
    public = Client().get(f"/gs/sjs/{draw.pk}/").content.decode()
    assert "未发现问题" in public and f"{officer.name}回避，重新抽取{rec.replacement.name}" in public
    plan_page = page(client(cw["unit_head"]), f"/inspections/plans/{plan.pk}/")
    assert 'class="done"' in plan_page and "回避" in plan_page


def test_unpublished_results_stay_off_the_portal(d):
    cw = d["cw"]
    draw = d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
        A.do_publish_draw(draw, acting_user=cw["unit_head"])
        refused("results.none", A.do_publish_results, draw, acting_user=cw["unit_head"])
    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in tasks if handlers & set(t.inspectors.all()))
    officer = next(o for o in task.inspectors.all() if o in handlers)
    with time_machine.travel(RECORD_DAY, tick=False):
        A.do_record_task_result(task, result=Task.Result.UNREACHABLE, note="登记住所无人", acting_user=officer.user)
    assert "无法联系" not in Client().get(f"/gs/sjs/{draw.pk}/").content.decode()
    with time_machine.travel(RECORD_DAY, tick=False):
        assert A.do_publish_results(draw, acting_user=cw["unit_head"]) == 1
    assert "无法联系" in Client().get(f"/gs/sjs/{draw.pk}/").content.decode()


def test_recusal_rules(d):
    cw = d["cw"]
    draw = d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
    task = next(t for t in tasks if cw["h1"] in t.inspectors.all() or cw["h2"] in t.inspectors.all())
    team = list(task.inspectors.all())
    member = next(o for o in (cw["h1"], cw["h2"]) if o in team)
    outsider = next(o for o in (cw["h1"], cw["h2"], cw["h3"]) if o not in team)
    other = next(o for o in team if o != member)
    with time_machine.travel(RECORD_DAY, tick=False):
        refused("recusal.declarant", A.do_declare_recusal, task, officer=other, reason="x", acting_user=member.user)
        refused("recusal.not_on_team", A.do_declare_recusal, task, officer=outsider, reason="x",
                acting_user=cw["unit_head"])
        refused("recusal.reason", A.do_declare_recusal, task, officer=member, reason=" ", acting_user=member.user)
        rec = A.do_declare_recusal(task, officer=member, reason="曾在该企业任职", acting_user=member.user)
        refused("recusal.pending", A.do_declare_recusal, task, officer=member, reason="同上", acting_user=member.user)
        refused("recusal.head_decides", A.do_decide_recusal, rec, approve=True, acting_user=outsider.user)
        rec = A.do_decide_recusal(rec, approve=False, acting_user=cw["unit_head"])
        assert rec.state == "refused" and rec.replacement is None and member in task.inspectors.all()
        refused("recusal.state", A.do_decide_recusal, rec, approve=True, acting_user=cw["unit_head"])
        A.do_record_task_result(task, result=Task.Result.NO_PROBLEM, note="未发现问题", acting_user=member.user)
        refused("recusal.task_open", A.do_declare_recusal, task, officer=member, reason="x", acting_user=member.user)
        # The unit head declares for an inspector of another task; the agency head decides (Art. 43).
        task2 = next(t for t in tasks if t.pk != task.pk)
        away = task2.inspectors.first()
        again = A.do_declare_recusal(task2, officer=away, reason="系该企业股东", acting_user=cw["unit_head"])
        again = A.do_decide_recusal(again, approve=True, acting_user=cw["head"])
        assert again.replacement and away not in task2.inspectors.all() and again.replacement in task2.inspectors.all()


def test_replacement_is_refused_when_no_one_is_left():
    inspectors = [{"officer": i, "cert_expires": "2030-01-01"} for i in (1, 2, 3)]
    result = {"seed": "00" * 32, "strata": [{"level": "A", "objects": [{"key": "K", "inspectors": [1, 2]}]}]}
    commitment = {"exclusions": {"recusals": [[3, "K"]]}}
    with pytest.raises(alg.DrawError) as e:
        alg.replay_recusals(commitment, result, inspectors, [{"index": 1, "key": "K", "officer": 1, "on": "2026-09-15"}])
    assert e.value.rule == "recusal.no_replacement"
    commitment = {"exclusions": {"recusals": []}}
    assert alg.replay_recusals(commitment, result, inspectors,
                               [{"index": 1, "key": "K", "officer": 1, "on": "2026-09-15"}]) == [3]
    assert json.dumps(result)  # unchanged input


def test_recusal_and_results_publication_over_the_api(d):
    from tests.api.conftest import ApiClient

    cw, draw = d["cw"], d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
    handlers = {cw["h1"], cw["h2"], cw["h3"]}
    task = next(t for t in tasks if handlers & set(t.inspectors.all()))
    officer = next(o for o in task.inspectors.all() if o in handlers)
    r = ApiClient(officer.user).post(f"/inspections/tasks/{task.pk}/recusals", {"officer": officer.pk, "reason": ""})
    assert r.status_code in (409, 422) and r.json()["rule"] == "recusal.reason"
    r = ApiClient(officer.user).post(f"/inspections/tasks/{task.pk}/recusals",
                                     {"officer": officer.pk, "reason": "曾在该企业任职"})
    assert r.status_code == 201, r.content
    rec = r.json()
    r = ApiClient(cw["unit_head"]).post(f"/inspections/recusals/{rec['id']}/decide", {"approve": True})
    assert r.status_code == 200 and r.json()["state"] == "approved" and r.json()["replacement_id"]
    r = ApiClient(cw["unit_head"]).post(f"/inspections/draws/{draw.pk}/results/publish", {})
    assert r.status_code in (409, 422) and r.json()["rule"] == "results.none"
    from zhifa.ledger.drift import check_row_drift
    from zhifa.ledger.verify import check_subjects

    drift = [x for x in list(check_subjects()) + list(check_row_drift())
             if "inspections" in x.where or "inspections" in x.detail]
    assert drift == []

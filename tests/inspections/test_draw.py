"""双随机、一公开: roster import, plan and 备案, commit → reveal → draw, the kit and verify-draw,
tasks as 行政检查 cases; every refusal names its rule."""
from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys

import pytest
import time_machine

from tests.inspections import helpers as H
from zhifa.common.actions import ActionRefused
from zhifa.inspections import actions as A
from zhifa.inspections import algorithm as alg
from zhifa.inspections.kit import kit_for
from zhifa.inspections.models import Draw, RosterObject, Task
from zhifa.inspections.verify_draw import check


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, (e.value.rule, e.value.message)
    return e.value


# ---- roster -------------------------------------------------------------------------------------

def test_import_reports_each_bad_row_and_writes_nothing(d):
    cw = d["cw"]
    rows = H.roster_rows(3, start=100)
    rows[1][0] = "91520502MA6DL2KX4X"            # wrong check character
    rows[2][-3] = "极高"                           # not a risk level
    before = RosterObject.objects.count()
    report = A.do_import_roster(H.roster_file(rows), entity=cw["smj"], acting_user=cw["unit_head"])
    assert [(e.row, e.column) for e in report.errors] == [(3, "统一社会信用代码/身份证号"), (4, "信用风险等级")]
    assert "校验位" in report.errors[0].message
    assert RosterObject.objects.count() == before


def test_import_updates_existing_rows_and_maps_chinese_risk_words(d):
    cw = d["cw"]
    rows = H.roster_rows(1)
    rows[0][8] = "高"
    report = A.do_import_roster(H.roster_file(rows), entity=cw["smj"], acting_user=cw["unit_head"])
    assert report.ok and report.created == 0
    obj = RosterObject.objects.get(entity=cw["smj"], key=rows[0][0])
    assert obj.risk == "D" and obj.version == 2


def test_invalid_credit_code_refused_on_entry(d):
    cw = d["cw"]
    refused("roster.credit_code", A.do_save_object, {"entity": cw["smj"], "key": "91520502MA6DL2KX4X", "name": "某公司"},
            acting_user=cw["unit_head"])


# ---- plans -------------------------------------------------------------------------------------

def test_ratio_above_100_percent_refused(d):
    cw = d["cw"]
    plan = A.do_create_plan(entity=cw["smj"], year=2027, title="计划", acting_user=cw["unit_head"])
    e = refused("batch.ratio", A.do_add_batch, plan, acting_user=cw["unit_head"], name="一", items=[d["item"]],
                strata=[{"level": "A", "ratio": "120"}], starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 4, 1))
    assert "100%" in e.message


def test_batch_item_must_be_a_published_inspection_item_of_the_entity(d):
    cw = d["cw"]
    plan = A.do_create_plan(entity=cw["smj"], year=2027, title="计划", acting_user=cw["unit_head"])
    refused("batch.item", A.do_add_batch, plan, acting_user=cw["unit_head"], name="一", items=[],
            strata=[{"level": "A", "ratio": "5"}], starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 4, 1))


def test_acknowledgement_only_by_the_level_above(d):
    cw = d["cw"]
    plan = A.do_create_plan(entity=cw["smj"], year=2027, title="计划", acting_user=cw["unit_head"])
    A.do_add_batch(plan, acting_user=cw["unit_head"], name="一", items=[d["item"]], strata=[{"level": "A", "ratio": "5"}],
                   starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 12, 1))
    A.do_file_plan(plan, acting_user=cw["head"])
    refused("plan.level_above", A.do_acknowledge_plan, plan, acting_user=cw["sup_county"])
    assert A.do_acknowledge_plan(plan, acting_user=cw["sup_city"]).state == "acknowledged"


# ---- the draw ---------------------------------------------------------------------------------

def test_draw_is_ledgered_before_the_round_and_recomputable(d):
    draw = Draw.objects.get(pk=d["draw"].pk)
    assert draw.state == "drawn" and draw.reveal["randomness"] == H.RANDOMNESS
    commitment = json.loads(draw.commitment)
    assert commitment["source"] == {"kind": "drand", "chain_hash": alg.QUICKNET_CHAIN_HASH, "round": H.ROUND}
    levels = {s["level"]: s for s in draw.result["strata"]}
    # 10 % of A rounds up, B is a count, D is half; C is not drawn at all.
    assert set(levels) == {"A", "B", "D"} and levels["B"]["count"] == 2
    assert levels["D"]["count"] == -(-levels["D"]["eligible"] // 2)
    for _, key, inspectors in alg.selected(draw.result):
        assert len(set(inspectors)) == 2
        if key == H.roster_rows()[0][0]:
            assert d["cw"]["h1"].pk not in inspectors      # 回避
    kit = kit_for(draw)
    assert all(ok for ok, _ in check(kit)), check(kit)


def test_recently_inspected_objects_are_excluded(d):
    draw = Draw.objects.get(pk=d["draw"].pk)
    recent = {r[0] for r in H.roster_rows() if r[-1]}
    assert recent and not recent & {k for _, k, _ in alg.selected(draw.result)}


@pytest.mark.parametrize("change", ["row", "round", "algorithm", "result", "ledger"])
def test_verify_draw_fails_on_any_difference(d, change):
    kit = copy.deepcopy(kit_for(Draw.objects.get(pk=d["draw"].pk)))
    if change == "row":
        kit["objects"][3]["risk"] = "A" if kit["objects"][3]["risk"] != "A" else "B"
    elif change == "round":
        kit["commitment"]["source"]["round"] = H.ROUND2
        kit["reveal"] = {"round": H.ROUND2, "signature": H.SIGNATURE2}
    elif change == "algorithm":
        kit["commitment"]["algorithm"] = "zhifa-draw/2"
    elif change == "result":
        kit["result"]["strata"][0]["objects"][0]["inspectors"].reverse()
    else:
        entry = json.loads(kit["ledger_entry"])
        entry["time"] = "2026-09-12T01:00:00.000000Z"
        kit["ledger_entry"] = json.dumps(entry)
    assert not all(ok for ok, _ in check(kit))


def test_verify_draw_command_offline(d, tmp_path):
    path = tmp_path / "kit.json"
    kit = kit_for(Draw.objects.get(pk=d["draw"].pk))
    path.write_text(json.dumps(kit, ensure_ascii=False), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin"}  # no settings, no database
    ok = subprocess.run([sys.executable, "-m", "zhifa.cli", "verify-draw", str(path)], capture_output=True, text=True,
                        env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "核验通过" in ok.stdout
    kit["inspectors"][0]["name"] = "改名"
    path.write_text(json.dumps(kit, ensure_ascii=False), encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "zhifa.cli", "verify-draw", str(path)], capture_output=True, text=True,
                         env=env)
    assert bad.returncode == 1 and "✗" in bad.stdout and "Traceback" not in bad.stderr


def test_commit_needs_a_future_round(d):
    with time_machine.travel(H.AFTER, tick=False):
        refused("draw.future_value", A.do_commit_draw, d["batch"], acting_user=d["cw"]["unit_head"],
                source=Draw.Source.DRAND, beacon_round=H.ROUND)


def test_commit_needs_an_acknowledged_plan(d):
    cw = d["cw"]
    plan = A.do_create_plan(entity=cw["smj"], year=2027, title="计划", acting_user=cw["unit_head"])
    batch = A.do_add_batch(plan, acting_user=cw["unit_head"], name="一", items=[d["item"]],
                           strata=[{"level": "A", "ratio": "5"}], starts_on=dt.date(2026, 11, 1),
                           ends_on=dt.date(2026, 12, 1))
    with time_machine.travel(H.BEFORE, tick=False):
        refused("draw.plan_acknowledged", A.do_commit_draw, batch, acting_user=cw["unit_head"],
                source=Draw.Source.DRAND, beacon_round=H.ROUND)


def _commit(d, **kw):
    with time_machine.travel(H.BEFORE, tick=False):
        return A.do_commit_draw(d["batch"], acting_user=d["cw"]["unit_head"], **kw)


def test_reveal_before_commit_refused(d):
    refused("draw.reveal_before_commit", A.do_reveal_beacon, Draw(), signature=H.SIGNATURE,
            acting_user=d["cw"]["unit_head"])
    refused("draw.reveal_before_commit", A.do_reveal_beacon, d["draw"], signature=H.SIGNATURE,
            acting_user=d["cw"]["unit_head"])  # already drawn


def test_reveal_before_the_round_exists_refused(d):
    draw = _commit(d, source=Draw.Source.DRAND, beacon_round=H.ROUND)
    with time_machine.travel(H.BEFORE + dt.timedelta(hours=1), tick=False):
        refused("draw.value_not_yet", A.do_reveal_beacon, draw, signature=H.SIGNATURE, acting_user=d["cw"]["unit_head"])


@pytest.mark.parametrize("signature", [H.SIGNATURE2, "00" * 48, "zz", ""])
def test_bad_beacon_refused_and_nothing_drawn(d, signature):
    draw = _commit(d, source=Draw.Source.DRAND, beacon_round=H.ROUND)
    with time_machine.travel(H.AFTER, tick=False):
        refused("draw.beacon_invalid", A.do_reveal_beacon, draw, signature=signature, acting_user=d["cw"]["unit_head"])
    draw.refresh_from_db()
    assert draw.state == "committed" and not draw.result and not draw.seed


def test_lottery_two_users_must_agree(d):
    cw = d["cw"]
    draw = _commit(d, source=Draw.Source.LOTTERY, lottery_name="中国福利彩票双色球", lottery_issue="2026106",
                   lottery_draw_on=dt.date(2026, 9, 12))
    with time_machine.travel(H.AFTER, tick=False):
        A.do_enter_lottery(draw, value="03 07 12 19 25 31 + 09", acting_user=cw["unit_head"])
        refused("draw.lottery_second_user", A.do_enter_lottery, draw, value="03 07 12 19 25 31 + 09",
                acting_user=cw["unit_head"])
        refused("draw.lottery_mismatch", A.do_enter_lottery, draw, value="03 07 12 19 25 32 + 09", acting_user=cw["head"])
        draw.refresh_from_db()
        assert draw.state == "committed"
        draw = A.do_enter_lottery(draw, value="03  07 12 19 25 31 + 09", acting_user=cw["head"])
    assert draw.state == "drawn"
    assert all(ok for ok, _ in check(kit_for(draw)))


def test_expired_certificate_inspector_refused(d):
    from zhifa.orgs import actions as org_actions

    cw = d["cw"]
    with time_machine.travel(H.BEFORE, tick=False):
        snap = A.do_snapshot_inspectors(cw["smj"], acting_user=cw["unit_head"])
    cert = cw["h2"].certificates.get()
    org_actions.do_update_certificate(cert, {"expires_on": dt.date(2026, 9, 1), "issued_on": dt.date(2020, 1, 1)},
                                      acting_user=cw["admin"])
    e = refused("draw.inspector_certified", _commit, d, source=Draw.Source.DRAND, beacon_round=H.ROUND,
                inspector_snapshot=snap)
    assert cw["h2"].name in e.message


# ---- tasks -------------------------------------------------------------------------------------

def test_tasks_are_inspection_cases_with_results(d):
    cw = d["cw"]
    draw = d["draw"]
    with time_machine.travel(H.AFTER, tick=False):
        tasks = A.do_create_tasks(draw, acting_user=cw["unit_head"])
    assert len(tasks) == draw.selected_count
    task = next(t for t in tasks if cw["h1"] in t.inspectors.all() or cw["h2"] in t.inspectors.all())
    assert task.case.kind == "inspection" and task.case.state == "planned"
    officer = cw["h1"] if cw["h1"] in task.inspectors.all() else cw["h2"]
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, tzinfo=H.CN), tick=False):
        refused("task.result", A.do_record_task_result, task, result="bad", note="x", acting_user=officer.user)
        task = A.do_record_task_result(task, result=Task.Result.CORRECTED, note="现场检查发现过期食品，已责令改正",
                                       acting_user=officer.user)
    task.case.refresh_from_db()
    assert task.case.state == "result_recorded" and task.case.problems_found
    assert task.publish_due_on and task.publish_due_on > task.done_on
    assert task.roster_object.last_inspected_on == dt.date(2026, 9, 15)


def test_zhifa_verify_recomputes_draws_and_snapshots(d):
    from zhifa.inspections.models import RosterSnapshot
    from zhifa.inspections.verify import check_draws, check_snapshots

    assert list(check_snapshots()) == [] and list(check_draws()) == []
    snap = RosterSnapshot.objects.get(pk=d["draw"].object_snapshot_id)
    rows = snap.rows
    rows[0]["name"] = "被改动的名称"
    RosterSnapshot.objects.filter(pk=snap.pk).update(rows=rows)
    assert [x.kind for x in check_snapshots()] == ["inspections.snapshot_root"]
    assert {x.kind for x in check_draws()} == {"inspections.draw_recompute"}


def test_kit_command_writes_the_latest_draw(d, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "kit.json"
    call_command("inspections", "kit", "--latest", str(path))
    assert all(ok for ok, _ in check(json.loads(path.read_text(encoding="utf-8"))))


def test_pages_api_and_portal(d):
    from django.test import Client

    from tests.api.conftest import ApiClient

    cw = d["cw"]
    draw = d["draw"]
    head = Client()
    head.force_login(cw["unit_head"])
    assert head.get("/inspections/").status_code == 200
    page = head.get(f"/inspections/plans/{d['plan'].pk}/")
    assert page.status_code == 200 and draw.commitment_sha256 in page.content.decode()
    assert Client().get(f"/gs/sjs/{draw.pk}/").status_code == 404          # not yet published
    api = ApiClient(cw["unit_head"])
    assert api.get(f"/inspections/draws/{draw.pk}").json()["result_sha256"] == draw.result_sha256
    assert api.post(f"/inspections/draws/{draw.pk}/publish", {}).status_code == 200
    public = Client().get(f"/gs/sjs/{draw.pk}/").content.decode()
    assert "下载核验包" in public and draw.seed in public
    kit = json.loads(Client().get(f"/gs/sjs/{draw.pk}/kit/").content)
    assert all(ok for ok, _ in check(kit))
    assert Client().get("/api/v1/public/inspections").json()[0]["id"] == draw.pk
    refusal = api.post(f"/inspections/draws/{draw.pk}/reveal", {"signature": H.SIGNATURE})
    assert refusal.status_code in (409, 422) and refusal.json()["rule"] == "draw.reveal_before_commit"


def test_every_row_matches_its_latest_ledger_entry(d):
    from zhifa.ledger.verify import check_subjects

    with time_machine.travel(H.AFTER, tick=False):
        A.do_create_tasks(d["draw"], acting_user=d["cw"]["unit_head"])
    assert [x for x in check_subjects() if "inspections" in x.where or "inspections" in x.detail] == []


# ---- `zhifa verify-draw` on a tampered kit: exit 1, the failed check named ----------------------

def _verify_draw(kit, tmp_path):
    path = tmp_path / "kit.json"
    path.write_text(json.dumps(kit, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "zhifa.cli", "verify-draw", str(path)], capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"})  # no settings, no database


def _forge_commitment(kit):
    """A forger who also rewrites the commitment's hash and its ledger entry (the kit's copy of it)."""
    import hashlib

    from zhifa.ledger.pure import canonical_json

    digest = hashlib.sha256(canonical_json(kit["commitment"])).hexdigest()
    kit["commitment_sha256"] = digest
    entry = json.loads(kit["ledger_entry"])
    entry["data"]["commitment_sha256"] = digest
    kit["ledger_entry"] = json.dumps(entry, ensure_ascii=False)


TAMPER = {
    # a changed roster row: an object's credit risk, an inspector's certificate expiry
    "object_row": (lambda k: k["objects"][5].update(risk="A" if k["objects"][5]["risk"] != "A" else "C"),
                   "✗ 检查对象名录库快照"),
    "inspector_row": (lambda k: k["inspectors"][0].update(cert_expires="2030-01-01"), "✗ 执法检查人员名录库快照"),
    # a different beacon round: revealed for the committed round, or committed as well
    "round_revealed": (lambda k: k.update(reveal={"round": H.ROUND2, "signature": H.SIGNATURE2}),
                       f"✗ drand quicknet 第{H.ROUND}轮：揭示的轮次{H.ROUND2}不是承诺的第{H.ROUND}轮"),
    "round_committed": (lambda k: (k["commitment"]["source"].update(round=H.ROUND2),
                                   k.update(reveal={"round": H.ROUND2, "signature": H.SIGNATURE2})),
                        "✗ 承诺的SHA-256与执法日志中的承诺条目一致"),
    "round_forged": (lambda k: (k["commitment"]["source"].update(round=H.ROUND2),
                                k.update(reveal={"round": H.ROUND2, "signature": H.SIGNATURE2}), _forge_commitment(k)),
                     "✗ 重算的抽取结果与公布的结果不一致（种子不同）"),
    # a different algorithm version: unknown to the verifier, however consistent the rest is
    "algorithm": (lambda k: (k["commitment"].update(algorithm="zhifa-draw/2"), k["result"].update(algorithm="zhifa-draw/2"),
                             _forge_commitment(k)),
                  "✗ 抽取算法版本 zhifa-draw/2 为本工具支持的版本"),
    "algorithm_result": (lambda k: k["result"].update(algorithm="zhifa-draw/0"),
                         "✗ 重算的抽取结果与公布的结果不一致"),
}


@pytest.mark.parametrize("change", list(TAMPER))
def test_verify_draw_command_fails_on_a_changed_row_round_or_algorithm(d, change, tmp_path):
    kit = copy.deepcopy(kit_for(Draw.objects.get(pk=d["draw"].pk)))
    assert _verify_draw(kit, tmp_path).returncode == 0
    tamper, line = TAMPER[change]
    tamper(kit)
    out = _verify_draw(kit, tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert line in out.stdout and "核验未通过" in out.stdout and "Traceback" not in out.stderr, out.stdout

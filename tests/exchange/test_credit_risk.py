"""信用风险分类 of inspection objects imported from a file onto the 检查对象名录库 (RosterObject.risk, what the
random-inspection strata read): per-row Chinese errors naming the field, nothing written on any error,
idempotent, change-logged and ledgered; the draw of a new batch stratifies by the imported levels."""
import csv
import io

import pytest
import time_machine
from django.urls import reverse

from tests.inspections import helpers as H
from zhifa.common.models import ChangeLog
from zhifa.exchange.actions.imports import do_import_list
from zhifa.exchange.models import ListImport
from zhifa.inspections import actions as A
from zhifa.inspections import algorithm as alg
from zhifa.inspections.models import Draw, RosterObject


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    yield


@pytest.fixture
def roster(shared_cw):
    cw = shared_cw
    with time_machine.travel(H.BEFORE, tick=False):
        report = A.do_import_roster(H.roster_file(H.roster_rows()), entity=cw["smj"], acting_user=cw["unit_head"])
        assert report.ok, report.errors
        yield cw


def as_csv(rows, header=("统一社会信用代码/身份证号", "信用风险等级", "对象名称")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("gb18030")  # a province's export from Excel: GB18030 is accepted too


KEYS = [row[0] for row in H.roster_rows()]
UNKNOWN = H.make_credit_code("520502", "99999999", authority="9")


def test_credit_risk_levels_are_imported_onto_the_roster(roster):
    cw = roster
    # Objects 1–12 become D (高), object 13 keeps its level, one firm is not in any roster.
    same = RosterObject.objects.get(key=KEYS[12]).risk
    rows = [(key, "高", "") for key in KEYS[:12]] + [(KEYS[12], same, ""), (UNKNOWN, "A", "某公司")]
    data = as_csv(rows)
    preview = do_import_list("credit_risk", data, "信用风险分类.csv", acting_user=cw["sup_city"], preview=True)
    assert preview.ok, preview.errors
    assert RosterObject.objects.filter(key__in=KEYS[:12], risk="D").count() == 3  # the preview wrote nothing
    result = do_import_list("credit_risk", data, "信用风险分类.csv", acting_user=cw["sup_city"])
    assert result.ok, result.errors
    actions = [o.action for o in result.outcomes]
    assert actions.count("更新") == 9 and actions.count("未变化") == 4 and actions[-1] == "未匹配"
    assert RosterObject.objects.filter(key__in=KEYS[:12], risk="D").count() == 12
    obj = RosterObject.objects.get(key=KEYS[0])
    assert obj.version == 2  # a snapshot taken earlier keeps the old level
    log = ChangeLog.objects.filter(object_id=str(obj.pk), action="update").latest("id")
    assert log.after["risk"] == "D" and "信用风险分类" in log.reason
    record = ListImport.objects.get()
    assert (record.updated, record.unchanged, record.skipped) == (9, 4, 1)
    again = do_import_list("credit_risk", data, "信用风险分类.csv", acting_user=cw["sup_city"])
    assert [o.action for o in again.outcomes].count("更新") == 0


def test_bad_rows_name_the_field_and_nothing_is_written(roster):
    cw = roster
    bad = KEYS[1][:17] + ("0" if KEYS[1][17] != "0" else "1")
    result = do_import_list("credit_risk", as_csv([(KEYS[0], "D", ""), (bad, "A", ""), (KEYS[2], "E", "")]),
                            "x.csv", acting_user=cw["sup_city"])
    assert result.errors == [(3, "统一社会信用代码/身份证号（DXBM）：统一社会信用代码校验位错误"),
                             (4, "信用风险等级（XYFXDJ）：应为A、B、C、D或低、中、中高、高")]
    assert RosterObject.objects.get(key=KEYS[0]).version == 1 and not ListImport.objects.exists()


def test_a_new_batch_draws_its_strata_from_the_imported_levels(roster):
    cw = roster
    with time_machine.travel(H.BEFORE, tick=False):
        result = do_import_list("credit_risk", as_csv([(key, "D", "") for key in KEYS[:20]]), "risk.csv",
                                acting_user=cw["sup_city"])
        assert result.ok, result.errors
        item = H.inspection_item(cw)
        _plan, batch = H.acknowledged_plan(cw, item, strata=[{"level": "D", "ratio": "100"}])
        draw = A.do_commit_draw(batch, acting_user=cw["unit_head"], source=Draw.Source.DRAND, beacon_round=H.ROUND)
    with time_machine.travel(H.AFTER, tick=False):
        draw = A.do_reveal_beacon(draw, signature=H.SIGNATURE, acting_user=cw["unit_head"])
    recent = {row[0] for row in H.roster_rows() if row[-1]}  # inspected within the batch's 60-day window
    d_level = set(RosterObject.objects.filter(entity=cw["smj"], risk="D").values_list("key", flat=True))
    assert d_level >= set(KEYS[:20])
    stratum = next(s for s in draw.result["strata"] if s["level"] == "D")
    assert stratum["eligible"] == len(d_level - recent) == stratum["count"]
    assert {key for _level, key, _inspectors in alg.selected(draw.result)} == d_level - recent


def test_the_new_batch_form_shows_each_stratum_with_its_imported_size(roster, client):
    cw = roster
    with time_machine.travel(H.BEFORE, tick=False):
        do_import_list("credit_risk", as_csv([(key, "D", "") for key in KEYS[:20]]), "risk.csv",
                       acting_user=cw["sup_city"])
        H.inspection_item(cw)
        plan = A.do_create_plan(entity=cw["smj"], year=2026, title="2026年度抽查计划", acting_user=cw["unit_head"])
        client.force_login(cw["unit_head"])
        page = client.get(reverse("inspections-plan", args=[plan.pk])).content.decode()
    sizes = {level: RosterObject.objects.filter(entity=cw["smj"], risk=level).count() for level in "ABCD"}
    assert sizes["D"] >= 20
    for level, n in sizes.items():
        assert f"{level}类<span class=\"muted\">（名录库{n}个）</span>" in page

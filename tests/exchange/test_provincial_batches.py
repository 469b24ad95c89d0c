"""The provincial platform's feed on the case world: its own incremental batches (the same envelope, files,
manifest and reconciliation as the national feed, its own change-log window), every record validated, nothing
sent twice, a change sent as an update and a subject gone as a deletion; the acceptance file imported back;
the national feed untouched by it."""
import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command

from tests.builders import COERCIVE, INSPECTION, case_at
from tests.disclosure.conftest import decided_case
from zhifa.common.actions import ActionRefused
from zhifa.common.identifiers import make_credit_code
from zhifa.exchange.actions.batches import do_build_batch, do_import_acceptance, files, reconciliation
from zhifa.exchange.models import Batch
from zhifa.inspections.actions.roster import do_save_object
from zhifa.orgs import actions as orgs
from zhifa.powers.models import PowerItem

CODE = "52050201040001"
NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.date(2026, 9, 1)
FIRM = make_credit_code("520502", "66600001", authority="9")


@pytest.fixture
def cw(shared_cw):
    with time_machine.travel(NOW, tick=False):
        PowerItem.objects.filter(pk=shared_cw["item"].pk).update(supervision_code=CODE)
        yield shared_cw


def provincial(cw):
    return do_build_batch(DAY, acting_user=cw["admin"], feed="provincial")


def by_key(batch):
    return {(r.table, r.key): r for r in batch.rows.all()}


def test_a_provincial_batch_carries_the_seven_tables_and_passes_its_validators(cw):
    decided = decided_case(cw)
    inspected = case_at(cw, "closed", kind=INSPECTION, problems_found=True)
    coercive = case_at(cw, "closed", kind=COERCIVE)
    obj = do_save_object({"entity": cw["smj"], "key": FIRM, "name": "毕节市某某商贸有限公司", "risk": "C"},
                         acting_user=cw["unit_head"])
    batch = provincial(cw)
    rows = by_key(batch)
    assert batch.feed == "provincial" and len(batch.number) == 17
    assert [r.reason for r in batch.rows.filter(state="refused")] == []
    seizure = coercive.seizures.get()
    expected = {("sj_zfzt", f"entity:{cw['smj'].pk}"), ("sj_zfry", f"officer:{cw['h1'].pk}"),
                ("sj_zfsx", f"power:{cw['item'].lineage}"), ("sj_jcdx", f"object:{obj.pk}"),
                ("sj_xzcf", f"case:{decided.pk}"), ("sj_xzjc", f"case:{inspected.pk}"),
                ("sj_xzqz", f"seizure:{seizure.pk}")}
    assert expected <= set(rows)
    assert {t for t, _k in rows} == {t for t, _k in expected}
    assert rows[("sj_jcdx", f"object:{obj.pk}")].record["XYFXDJ"] == "C"
    assert rows[("sj_zfsx", f"power:{cw['item'].lineage}")].record["JGSXBM"] == CODE
    assert rows[("sj_xzqz", f"seizure:{seizure.pk}")].record["QZCS"] in ("1", "2")
    assert all(r.record["cd_batch"] == batch.number and r.operation == "i" for r in rows.values())
    manifest = json.loads(files(batch)["manifest.json"])
    assert manifest["feed"] == "provincial" and set(manifest["counts"]) == {
        "sj_zfzt", "sj_zfry", "sj_zfsx", "sj_jcdx", "sj_xzcf", "sj_xzqz", "sj_xzjc"}
    assert "sj_zfzt.json" in files(batch) and "jgxw_xzcf.json" not in files(batch)
    assert [r["table"] for r in reconciliation(batch)][0] == "sj_zfzt"
    # The national feed keeps its own window and tables: the same changes, its own records only.
    national = do_build_batch(DAY, acting_user=cw["admin"])
    assert set(national.rows.values_list("table", flat=True)) <= {"jgxw_xzcf", "jgxw_xzjc", "sgs_xzcf"}
    assert set(national.counts) == {"jgxw_xzcf", "jgxw_xzjc", "sgs_xzcf"}


def test_nothing_twice_a_change_is_an_update_and_a_subject_gone_is_a_deletion(cw):
    obj = do_save_object({"entity": cw["smj"], "key": FIRM, "name": "毕节市某某商贸有限公司", "risk": "B"},
                         acting_user=cw["unit_head"])
    provincial(cw)
    assert provincial(cw).rows.count() == 0
    do_save_object({"risk": "D"}, obj=obj, acting_user=cw["unit_head"])
    orgs.do_update_entity(cw["smj"], {"address": "七星关区洪山路100号"}, acting_user=cw["admin"])
    rows = by_key(provincial(cw))
    assert set(rows) == {("sj_jcdx", f"object:{obj.pk}"), ("sj_zfzt", f"entity:{cw['smj'].pk}")}
    assert rows[("sj_jcdx", f"object:{obj.pk}")].operation == "u"
    assert rows[("sj_jcdx", f"object:{obj.pk}")].record["XYFXDJ"] == "D"
    assert rows[("sj_zfzt", f"entity:{cw['smj'].pk}")].record["BGDZ"] == "七星关区洪山路100号"
    do_save_object({"is_active": False}, obj=obj, acting_user=cw["unit_head"])
    gone = provincial(cw).rows.get()
    assert (gone.operation, gone.state, gone.record["DXBM"], gone.record["cd_operation"]) == ("d", "sent", FIRM, "d")
    assert provincial(cw).rows.count() == 0


def test_a_refused_record_stays_and_is_sent_once_fixed(cw):
    cert = cw["h1"].certificates.get()
    orgs.do_update_certificate(cert, {"fields": "市场监管"}, acting_user=cw["admin"])
    type(cert).objects.filter(pk=cert.pk).update(number="C-1")  # a number the provincial platform cannot take
    cert.refresh_from_db()
    orgs.do_update_certificate(cert, {"fields": "食品安全"}, acting_user=cw["admin"])
    first = provincial(cw)
    row = first.rows.get(key=f"officer:{cw['h1'].pk}")
    assert row.state == "refused" and row.reason.startswith("执法证号（ZFZH）：执法证号应为8-20位")
    assert json.loads(files(first)["rejected.json"])[0]["reason"] == row.reason
    assert not provincial(cw).rows.filter(key=f"officer:{cw['h1'].pk}").exists()
    type(cert).objects.filter(pk=cert.pk).update(number="52050226000001")
    fixed = provincial(cw).rows.get(key=f"officer:{cw['h1'].pk}")
    assert fixed.state == "sent" and fixed.operation == "i" and fixed.record["ZFZH"] == "52050226000001"


def test_acceptance_reconciles_a_provincial_batch(cw, tmp_path):
    decided_case(cw)
    batch = provincial(cw)
    rows = list(batch.rows.exclude(state="refused"))
    answer = {"cd_batch": batch.number, "results": [{"cd_id": r.cd_id, "status": "accepted"} for r in rows[1:]]
              + [{"cd_id": rows[0].cd_id, "status": "rejected", "reason": "主体编码重复"}]}
    with pytest.raises(ActionRefused):
        do_import_acceptance(batch, b"{}", acting_user=cw["admin"])
    batch = do_import_acceptance(batch, json.dumps(answer).encode(), acting_user=cw["admin"])
    recon = {r["table"]: r for r in reconciliation(batch)}
    assert sum(r["accepted"] for r in recon.values()) == len(rows) - 1
    assert recon[rows[0].table]["rejected"] == 1 and sum(r["awaiting"] for r in recon.values()) == 0
    call_command("exchange", "batch", "--date", "2026-09-01", "--out", str(tmp_path), "--feed", "provincial")
    latest = Batch.objects.latest("id")
    assert latest.feed == "provincial" and (tmp_path / latest.number / "sj_zfzt.json").exists()


def test_staff_page_builds_a_provincial_batch(cw, client):
    client.force_login(cw["admin"])
    response = client.post("/exchange/build/", {"day": "2026-09-01", "feed": "provincial"})
    batch = Batch.objects.get()
    assert response.status_code == 302 and batch.feed == "provincial"
    page = client.get(f"/exchange/batch/{batch.pk}/").content.decode()
    assert "省级平台·执法主体" in page and "省级平台·行政强制" in page
    assert "省级行政执法平台" in client.get("/exchange/").content.decode()
    assert client.post("/exchange/build/", {"day": "2026-09-01", "feed": "x"}).status_code == 409

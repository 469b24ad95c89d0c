"""Exchange batches on the case world: a day's batch passes its validators; nothing is sent twice; a row
failing a validator is refused with its reason and sent once fixed; the acceptance file is imported
back (and a wrong one refused); the credit feed follows publication and credit repair; the 缴款书 and
the bank's signed, idempotent payment notice; the staff page and the command."""
import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.builders import INSPECTION, case_at, take
from tests.disclosure.conftest import decided_case
from zhifa.common.actions import ActionRefused
from zhifa.disclosure.actions import credit_repair as repair_actions
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.documents.context import case_data, compose
from zhifa.exchange.actions.batches import do_build_batch, do_import_acceptance, files
from zhifa.exchange.actions.payments import sign
from zhifa.exchange.models import Batch, PaymentNotice, PaymentSlip, Row
from zhifa.exchange.verify import batch_manifests
from zhifa.powers.models import PowerItem

CODE = "52050201040001"
NOW = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.date(2026, 9, 1)


@pytest.fixture
def cw(shared_cw):
    with time_machine.travel(NOW, tick=False):  # the change log's times, hence the day's window
        yield shared_cw


@pytest.fixture
def coded(cw):
    PowerItem.objects.filter(pk=cw["item"].pk).update(supervision_code=CODE)
    return cw


def refused(rule, fn, *a, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*a, **kw)
    assert e.value.rule == rule, e.value.message
    return e.value


def batch(cw, day=DAY):
    return do_build_batch(day, acting_user=cw["admin"])


def test_a_days_batch_passes_its_validators_and_nothing_is_sent_twice(coded):
    cw = coded
    decided = decided_case(cw)
    inspected = case_at(cw, "closed", kind=INSPECTION, problems_found=True)
    inspected.power_items.add(cw["item"])  # the 检查事项 (plan_inspection takes none)
    first = batch(cw)
    sent = {(r.table, r.key): r for r in first.rows.all()}
    assert {("jgxw_xzcf", f"case:{decided.pk}"), ("jgxw_xzjc", f"case:{inspected.pk}")} <= set(sent)
    assert [r.reason for r in first.rows.filter(state="refused")] == []
    row = sent[("jgxw_xzcf", f"case:{decided.pk}")]
    assert row.state == "sent" and row.operation == "i" and row.record["cd_batch"] == first.number
    assert row.record["JCSSQDBM"][:18] == decided.entity.credit_code and row.record["JGSXBM"] == CODE
    assert row.record["XZQHDM"] == "520502" and len(first.number) == 17
    manifest = json.loads(files(first)["manifest.json"])
    assert manifest["cd_batch"] == first.number and set(manifest["files"]) >= {"jgxw_xzcf.json", "rejected.json"}
    # The next batch: nothing changed, nothing sent again; a change of the record goes as an update.
    assert batch(cw).rows.count() == 0
    take(cw, decided, "serve_decision")  # changes the case, not the record: skipped
    assert not batch(cw).rows.exists()
    type(decided).objects.filter(pk=decided.pk).update(decision_number="七市监罚决〔2026〕99号")
    from zhifa.common.actions import log_change
    log_change(type(decided).objects.get(pk=decided.pk), "update", acting_user=cw["admin"], reason="test")
    third = batch(cw)
    assert [(r.operation, r.key) for r in third.rows.all()] == [("u", f"case:{decided.pk}")]
    assert Batch.objects.values("number").distinct().count() == 4


def test_a_row_failing_a_validator_is_refused_with_its_reason_then_sent_when_fixed(cw):
    case = decided_case(cw)
    first = batch(cw)
    row = first.rows.get(key=f"case:{case.pk}")
    assert row.state == "refused" and "监管事项目录编码应为14位数字" in row.reason
    assert json.loads(files(first)["rejected.json"])[0]["reason"] == row.reason
    assert row.record not in json.loads(files(first)["jgxw_xzcf.json"])["records"]
    assert first.counts["jgxw_xzcf"] == {"sent": 0, "refused": 1, "accepted": 0, "rejected": 0}
    assert not batch(cw).rows.filter(key=f"case:{case.pk}").exists()  # the same refusal is not repeated
    PowerItem.objects.filter(pk=cw["item"].pk).update(supervision_code=CODE)
    fixed = batch(cw).rows.get(key=f"case:{case.pk}")
    assert fixed.state == "sent" and fixed.operation == "i"  # never sent before: an insert


def test_acceptance_file_is_imported_back_and_a_wrong_one_is_refused(coded):
    cw = coded
    decided_case(cw)
    case_at(cw, "closed", kind=INSPECTION).power_items.add(cw["item"])
    b = batch(cw)
    rows = list(b.rows.all())
    answer = {"cd_batch": b.number, "results": [
        {"cd_id": rows[0].cd_id, "status": "accepted"},
        {"cd_id": rows[1].cd_id, "status": "rejected", "reason": "行政相对人编码重复"}]}
    refused("exchange.acceptance", do_import_acceptance, b, b"not json", acting_user=cw["admin"])
    refused("exchange.acceptance", do_import_acceptance, b, json.dumps({**answer, "cd_batch": "1"}).encode(),
            acting_user=cw["admin"])
    bad = {**answer, "results": answer["results"] + [{"cd_id": "unknown", "status": "accepted"}]}
    e = refused("exchange.acceptance", do_import_acceptance, b, json.dumps(bad).encode(), acting_user=cw["admin"])
    assert "unknown" in e.message and not Row.objects.filter(batch=b, state="accepted").exists()  # all or nothing
    refused("exchange.role", do_import_acceptance, b, json.dumps(answer).encode(), acting_user=cw["officer"])
    b = do_import_acceptance(b, json.dumps(answer, ensure_ascii=False).encode(), acting_user=cw["admin"])
    totals = {k: sum(c[k] for c in b.counts.values()) for k in ("sent", "accepted", "rejected")}
    assert totals == {"sent": 2, "accepted": 1, "rejected": 1} and b.reconciled_at is not None
    assert Row.objects.get(cd_id=rows[1].cd_id).reason == "行政相对人编码重复"
    assert list(batch_manifests()) == []  # the acceptance changes no file of the batch
    Row.objects.filter(pk=rows[0].pk).update(record={**rows[0].record, "FKJE": "1.00"})
    assert [d.kind for d in batch_manifests()] == ["exchange.batch_manifest"]


def test_credit_feed_follows_publication_and_credit_repair(coded):
    cw = coded
    pub = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    queued = Row.objects.get(table="sgs_xzcf", key=f"publication:{pub.pk}")
    assert queued.state == "queued" and queued.operation == "i" and queued.record["CF_JGDM"] == pub.entity.credit_code
    first = batch(cw)
    assert first.rows.get(pk=queued.pk).state == "sent"
    repair = repair_actions.do_request_repair(pub, acting_user=cw["head"], on=dt.date(2026, 8, 1), reason="已整改到位",
                                              applicant="张建国", fulfilled=True, harm_removed=True, no_repeat=True,
                                              not_listed=True)
    repair_actions.do_approve_repair(repair, acting_user=cw["head"], note="符合条件", on=dt.date(2026, 8, 5))
    out = Row.objects.filter(table="sgs_xzcf", key=f"publication:{pub.pk}").latest("id")
    assert out.operation == "d" and out.state == "queued"
    second = batch(cw)
    assert second.rows.get(pk=out.pk).state == "sent" and second.counts["sgs_xzcf"]["sent"] == 1


def test_a_withdrawal_before_sending_sends_nothing(coded):
    cw = coded
    pub = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="原决定已被撤销")
    assert not Row.objects.filter(table="sgs_xzcf", key=f"publication:{pub.pk}").exists()


def notice(client, body: dict, key=None):
    raw = json.dumps(body).encode()
    return client.post("/exchange/bank/notice/", raw, content_type="application/json",
                       HTTP_X_ZHIFA_SIGNATURE=sign(raw, key))


@override_settings(ZHIFA_PAYMENT_HMAC_KEY="bank-test-key")
def test_bank_notice_records_the_payment_once_and_refuses_a_bad_signature_or_overpayment(cw, client):
    case = case_at(cw, "served", penalty={"penalty_kinds": ["fine"], "fine_amount": "1000"})
    slip = PaymentSlip.objects.get(case=case)
    assert len(slip.number) == 20 and slip.number.startswith("5205022026")
    data = case_data(case, on=DAY)
    assert data["extensions"]["exchange"]["payment_slip"] == slip.number  # printed on the 决定书 (履行方式和期限)
    assert slip.number in compose("penalty_decision", data, {}, number="X", today=DAY)[0]["performance"][0]
    body = {"transaction_id": "T001", "slip_number": slip.number, "amount": "600.00", "paid_on": "2026-04-28"}
    bad = notice(client, body, key="wrong-key")
    assert bad.status_code == 403 and bad.json()["rule"] == "payment.signature"
    assert not PaymentNotice.objects.exists()
    ok = notice(client, body)
    assert ok.status_code == 200 and ok.json()["state"] == "recorded" and not ok.json()["repeated"]
    case.refresh_from_db()
    assert case.paid_amount == Decimal("600.00") and case.state == "executing"
    again = notice(client, body)
    assert again.status_code == 200 and again.json()["repeated"]
    case.refresh_from_db()
    assert case.paid_amount == Decimal("600.00")  # nothing recorded twice
    changed = notice(client, {**body, "amount": "601.00"})
    assert changed.status_code == 422 and changed.json()["rule"] == "payment.notice"
    over = notice(client, {**body, "transaction_id": "T002", "amount": "500.00"})
    assert over.status_code == 409 and over.json()["rule"] == "payment.not_over"
    assert PaymentNotice.objects.get(transaction_id="T002").state == "refused"
    unknown = notice(client, {**body, "transaction_id": "T003", "slip_number": "1" * 20})
    assert unknown.status_code == 409 and "不存在" in unknown.json()["message"]
    garbled = notice(client, {"amount": "x"})
    assert garbled.status_code == 422 and garbled.json()["field"] == "transaction_id"


def test_staff_page_and_command(coded, client, tmp_path):
    cw = coded
    decided_case(cw)
    client.force_login(cw["officer"])
    assert client.get("/exchange/").status_code == 404
    client.force_login(cw["admin"])
    assert client.post("/exchange/build/", {"day": "2026-13-01"}).status_code == 422
    response = client.post("/exchange/build/", {"day": "2026-09-01"})
    b = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchange/batch/{b.pk}/"
    page = client.get(f"/exchange/batch/{b.pk}/").content.decode()
    assert b.number in page and "监管行为·行政处罚" in page
    assert client.get(f"/exchange/batch/{b.pk}/files/jgxw_xzcf.json").status_code == 200
    upload = tmp_path / "answer.json"
    upload.write_text("{}")
    with upload.open("rb") as f:
        refusal = client.post(f"/exchange/batch/{b.pk}/accept/", {"file": f})
    assert refusal.status_code == 409 and "回执文件" in refusal.content.decode()
    call_command("exchange", "batch", "--date", "2026-09-01", "--out", str(tmp_path))
    second = Batch.objects.latest("id")
    assert (tmp_path / second.number / "manifest.json").exists() and second.rows.count() == 0
    with pytest.raises(CommandError, match="--date"):
        call_command("exchange", "batch", "--date", "22.04.2026", "--out", str(tmp_path))


def test_a_random_inspection_takes_the_code_of_its_batch_items_power_item(coded):
    from types import SimpleNamespace

    from tests.inspections.helpers import inspection_item
    from zhifa.exchange.records import catalogue_code
    from zhifa.powers.models import InspectionItem

    cw = coded
    item = inspection_item(cw)
    InspectionItem.objects.filter(pk=item.pk).update(power_item_code=cw["item"].code)
    batch = SimpleNamespace(items=InspectionItem.objects.filter(pk=item.pk))
    case = SimpleNamespace(power_items=SimpleNamespace(all=list), entity_id=cw["smj"].pk,
                           inspection_task=SimpleNamespace(draw=SimpleNamespace(batch=batch)))
    assert catalogue_code(case) == CODE
    assert catalogue_code(SimpleNamespace(power_items=SimpleNamespace(all=list), entity_id=cw["smj"].pk)) == ""

"""Record items: registration, detection from bytes, corrections as versions, access log,
destruction with retention and approval — each rule refuses with its name."""
import datetime as dt
import io

import pytest
from django.utils import timezone

from tests import factories
from tests.builders import ARCHIVE_EXTRA
from tests.cases.helpers import v
from tests.records.conftest import add, jpeg, wav
from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused
from zhifa.documents.archive import generate_missing
from zhifa.ledger.models import LedgerEntry
from zhifa.records import actions as record_actions
from zhifa.records.models import AccessLog, Destruction, RecordItem, RecordVersion


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, (e.value.rule, e.value.message)
    return e.value


def test_add_photo_detects_kind_from_bytes_and_ledgers_it(cw):
    case = factories.case(cw)
    before = LedgerEntry.objects.count()
    item = add(cw, case, data=jpeg(), filename="现场.pdf", proves="货架上的过期食品", place="某超市",
               latitude="27.3", longitude="105.28", device="执法记录仪")
    assert item.kind == "photo" and item.current.blob.mime == "image/jpeg"
    assert item.target_key == case.parties.first().id_number
    assert [c["name"] for c in item.current.collectors] == ["刘一", "陈二"]
    assert item.current.collectors[0]["cert"]
    types = list(LedgerEntry.objects.filter(seq__gte=before).values_list("event_type", flat=True))
    assert "record.added" in types and "record.version" in types
    assert LedgerEntry.objects.filter(case_id=case.pk, event_type="record.version").exists()


def test_text_record_and_audio(cw):
    case = factories.case(cw)
    t = add(cw, case, text="问：你是否清楚……\n答：清楚。", title="询问笔录")
    a = add(cw, case, data=wav(), title="询问录音")
    assert (t.kind, a.kind) == ("text", "audio")


def test_bad_content_refused_and_nothing_stored(cw):
    case = factories.case(cw)
    refused("blob.empty", add, cw, case, data=io.BytesIO(b""))
    refused("blob.type_not_allowed", add, cw, case, data=io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200))
    refused("records.content", add, cw, case, text="   ")
    assert not RecordItem.objects.exists()


def test_who_may_record(cw):
    case = factories.case(cw)
    refused("records.actor_in_case", add, cw, case, user=cw["u3"])  # an officer not on the case
    refused("scope", add, cw, case, user=cw["o_hbj"].user or factories.user("officer", cw["hbj"]))
    refused("records.actor_in_case", add, cw, case, user=cw["rev"])
    assert add(cw, case, user=cw["unit_head"]).pk


def test_metadata_rules(cw):
    case = factories.case(cw)
    refused("records.collectors", add, cw, case, collectors=[])
    refused("records.collectors", add, cw, case, collectors=[cw["o_hbj"]])
    refused("records.captured_not_future", add, cw, case, captured_at=timezone.now() + dt.timedelta(days=1))
    refused("records.coordinates", add, cw, case, latitude="27.3")
    refused("records.coordinates", add, cw, case, latitude="95", longitude="105")
    refused("validation", add, cw, case, title=" ")


def test_correction_is_a_new_version_and_keeps_the_old(cw):
    case = factories.case(cw)
    item = add(cw, case, title="现场照片")
    first = item.current
    refused("records.correction_reason", record_actions.do_correct_record, item, acting_user=cw["u1"], reason="", title="x")
    refused("records.correction_changes", record_actions.do_correct_record, item, acting_user=cw["u1"], reason="无变化")
    refused("records.kind_matches", record_actions.do_correct_record, item, acting_user=cw["u1"], reason="换文件",
            fileobj=wav())
    v2 = record_actions.do_correct_record(item, acting_user=cw["u1"], reason="名称写错", title="货架照片", fileobj=jpeg(2))
    item.refresh_from_db()
    assert (item.version_count, item.current, v2.number) == (2, v2, 2)
    first.refresh_from_db()
    assert first.title == "现场照片" and first.blob_id != v2.blob_id
    assert RecordVersion.objects.filter(item=item).count() == 2


def archived_inspection(cw):
    insp = case_actions.do_plan_inspection({"entity": cw["smj"], "unit": cw["smj_unit"], "title": "检查"},
                                parties=[factories.org_party()], officers=[(cw["h1"], "lead"), (cw["h2"], "assist")],
                                acting_user=cw["unit_head"], on=dt.date(2026, 3, 2))
    case_actions.do_start_inspection(insp, acting_user=cw["u1"], expected_version=v(insp), on=dt.date(2026, 3, 3))
    item = add(cw, insp)
    case_actions.do_record_inspection_result(insp, result="未发现问题", problems_found=False, acting_user=cw["u1"],
                                  expected_version=v(insp), on=dt.date(2026, 3, 3))
    case_actions.do_close(insp, acting_user=cw["u1"], expected_version=v(insp), on=dt.date(2026, 3, 4))
    generate_missing(insp, acting_user=cw["u1"], extra=ARCHIVE_EXTRA)
    case_actions.do_archive(insp, acting_user=cw["u1"], expected_version=v(insp), on=dt.date(2026, 3, 5))
    return insp, item


def test_archived_case_takes_no_more_records(cw):
    insp, item = archived_inspection(cw)
    refused("records.case_open", add, cw, insp)
    refused("records.case_open", record_actions.do_correct_record, item, acting_user=cw["u1"], reason="补正", title="新")


def test_sensitive_access_needs_a_reason_and_is_ledgered(cw):
    case = factories.case(cw)
    item = add(cw, case, sensitive=True)
    refused("records.access_reason", record_actions.do_log_access, item, acting_user=cw["head"])
    row = record_actions.do_log_access(item, acting_user=cw["head"], reason="审批前核查证据")
    assert row.reason == "审批前核查证据" and row.user_name
    assert LedgerEntry.objects.filter(event_type="record.accessed", case_id=case.pk).count() == 1
    plain = add(cw, case)
    record_actions.do_log_access(plain, acting_user=cw["sup_county"], action="download")
    assert AccessLog.objects.filter(case=case).count() == 2
    far_bureau = factories.entity(cw["regions"]["other_city"], "遵义市司法局", justice=True, short_code="遵司")
    refused("scope", record_actions.do_log_access, plain, acting_user=factories.user("supervisor", far_bureau))


def test_destruction_after_retention_with_another_heads_approval(cw):
    insp, item = archived_inspection(cw)
    refused("records.retention_elapsed", record_actions.do_request_destruction, item, acting_user=cw["u1"], reason="期满")
    later = dt.date(2040, 1, 1)
    d = record_actions.do_request_destruction(item, acting_user=cw["head"], reason="保管期限届满", today=later)
    assert d.retention_until == dt.date(2036, 3, 5)
    refused("records.destruction_pending", record_actions.do_request_destruction, item, acting_user=cw["u1"], reason="再申请",
            today=later)
    refused("records.destruction_approver", record_actions.do_decide_destruction, d, acting_user=cw["head"], approve=True,
            today=later)
    refused("records.destruction_approver", record_actions.do_decide_destruction, d, acting_user=cw["unit_head"], approve=True,
            today=later)
    head2 = factories.user("agency_head", cw["smj"])
    blob = item.current.blob
    record_actions.do_decide_destruction(d, acting_user=head2, approve=True, today=later)
    item.refresh_from_db()
    blob.refresh_from_db()
    assert item.destroyed_at and blob.destroyed_at
    assert Destruction.objects.get(pk=d.pk).state == "approved"
    assert RecordVersion.objects.filter(item=item).exists()  # the tombstone keeps the metadata
    assert LedgerEntry.objects.filter(event_type="record.destroyed", case_id=insp.pk).exists()
    refused("records.destroyed", record_actions.do_correct_record, item, acting_user=cw["head"], reason="x", title="y")


def test_destruction_keeps_bytes_shared_with_a_live_record(cw):
    insp, item = archived_inspection(cw)
    other = factories.case(cw)
    twin = add(cw, other, data=jpeg())  # the same bytes as `item`
    assert twin.current.blob_id == item.current.blob_id
    d = record_actions.do_request_destruction(item, acting_user=cw["head"], reason="期满", today=dt.date(2040, 1, 1))
    record_actions.do_decide_destruction(d, acting_user=factories.user("agency_head", cw["smj"]), approve=True,
                            today=dt.date(2040, 1, 1))
    twin.current.blob.refresh_from_db()
    assert twin.current.blob.destroyed_at is None

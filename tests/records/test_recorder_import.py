"""执法记录仪导入 (issue 20, item 6): a zip or a folder of recorder files into a case's records with
their capture times (sidecar metadata, the recorder's file name, the file time), idempotent on the
content's SHA-256; the management command and the staff form."""
import datetime as dt
import io
import json
import os
import zipfile

import pytest
from django.core.management import call_command

from tests import factories
from tests.records.conftest import jpeg, wav
from zhifa.common.actions import ActionRefused
from zhifa.ledger.models import LedgerEntry
from zhifa.records.models import RecordItem
from zhifa.records.recorder import do_import_recorder

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def card_zip(extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("DCIM/20260302_093000_DSJ0001.WAV", wav(1).getvalue())
        zf.writestr("DCIM/IMG_0002.JPG", jpeg(2).getvalue())
        zf.writestr("DCIM/IMG_0002.json", json.dumps({"captured_at": "2026-03-02T09:45:10+08:00",
                                                      "device": "DSJ-A8 0001", "latitude": 27.3, "longitude": 105.28,
                                                      "place": "某某食品店仓库"}))
        zf.writestr("DCIM/readme.txt", "not media")
        for name, data in extra:
            zf.writestr(name, data)
    buf.seek(0)
    return buf


def test_zip_import_keeps_capture_times_and_is_idempotent(cw):
    case = factories.case(cw)
    result = do_import_recorder(case, card_zip(), acting_user=cw["u1"], collectors=[cw["h1"], cw["h2"]])
    assert len(result.added) == 2 and not result.errors, result.errors
    by_name = {i.current.filename: i for i in RecordItem.objects.filter(case=case).select_related("current")}
    audio = by_name["20260302_093000_DSJ0001.WAV"]
    assert audio.kind == "audio" and audio.current.captured_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=CST)
    photo = by_name["IMG_0002.JPG"]
    assert photo.current.captured_at == dt.datetime(2026, 3, 2, 9, 45, 10, tzinfo=CST)
    assert photo.current.device == "DSJ-A8 0001" and photo.current.place == "某某食品店仓库"
    assert float(photo.current.latitude) == pytest.approx(27.3)
    again = do_import_recorder(case, card_zip(), acting_user=cw["u1"], collectors=[cw["h1"]])
    assert not again.added and len(again.skipped) == 2
    assert RecordItem.objects.filter(case=case).count() == 2
    entries = LedgerEntry.objects.filter(event_type="record.recorder_import", case_id=case.pk)
    assert entries.count() == 2
    assert json.loads(entries.order_by("seq").first().body)["data"]["added"] == sorted(i.pk for i in result.added)
    from tests.ledger.test_verify import run_verify

    code, out = run_verify()
    assert code == 0, out


def test_bad_source_and_bad_files_are_refused_by_name(cw):
    case = factories.case(cw)
    with pytest.raises(ActionRefused) as e:
        do_import_recorder(case, io.BytesIO(b"not a zip"), acting_user=cw["u1"], collectors=[cw["h1"]])
    assert e.value.rule == "records.recorder_source"
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("notes.txt", "x")
    with pytest.raises(ActionRefused) as e:
        do_import_recorder(case, empty, acting_user=cw["u1"], collectors=[cw["h1"]])
    assert e.value.rule == "records.recorder_source"
    with pytest.raises(ActionRefused) as e:
        do_import_recorder(case, card_zip(), acting_user=cw["u1"], collectors=[])
    assert e.value.rule == "records.collectors"
    future = card_zip(extra=[("DCIM/20991231_120000_DSJ0009.JPG", jpeg(9).getvalue())])
    result = do_import_recorder(case, future, acting_user=cw["u1"], collectors=[cw["h1"]])
    assert len(result.added) == 2 and [n for n, _m in result.errors] == ["DCIM/20991231_120000_DSJ0009.JPG"]


def test_command_imports_a_folder_with_file_times(cw, tmp_path):
    case = factories.case(cw)
    card = tmp_path / "card"
    card.mkdir()
    (card / "REC0001.WAV").write_bytes(wav(3).getvalue())
    when = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC).timestamp()
    os.utime(card / "REC0001.WAV", (when, when))
    out = io.StringIO()
    call_command("import-recorder", str(card), case=str(case.pk), user=cw["u1"].username,
                 collector=[cw["h1"].pk], stdout=out)
    assert "导入1个文件" in out.getvalue() and "文件修改时间" in out.getvalue()
    item = RecordItem.objects.get(case=case)
    assert item.current.captured_at == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    out = io.StringIO()
    call_command("import-recorder", str(card), case=str(case.pk), user=cw["u1"].username,
                 collector=[cw["h1"].pk], stdout=out)
    assert "跳过1个" in out.getvalue() and RecordItem.objects.filter(case=case).count() == 1


def test_staff_form_imports_an_uploaded_zip(cw, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = factories.case(cw)
    client.force_login(cw["u1"])
    page = client.get(f"/records/case/{case.pk}/recorder/")
    assert page.status_code == 200 and "导入执法记录仪文件" in page.content.decode()
    upload = SimpleUploadedFile("card.zip", card_zip().getvalue(), content_type="application/zip")
    r = client.post(f"/records/case/{case.pk}/recorder/", {"file": upload, "collectors": [cw["h1"].pk]})
    assert r.status_code == 200 and "导入2个文件" in r.content.decode(), r.content.decode()[-2000:]
    r = client.post(f"/records/case/{case.pk}/recorder/", {"collectors": [cw["h1"].pk]})
    assert r.status_code == 422 and "请选择执法记录仪文件" in r.content.decode()
    assert "导入执法记录仪文件" in client.get(f"/records/field/case/{case.pk}/").content.decode()

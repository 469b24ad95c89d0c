"""`zhifa verify` over real records: a flipped byte in a blob, an edited record row, an edited
document file, a moved version pointer — each reported; a clean database passes."""
import os

import pytest
from django.db import connection

from tests import factories
from tests.ledger.test_verify import kinds, run_verify
from tests.records.conftest import add
from zhifa.blobs.store import blob_store
from zhifa.ledger.appendonly import ledger_unlocked
from zhifa.records.models import RecordItem, RecordVersion


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def test_clean_records_pass(cw):
    case = factories.case(cw)
    add(cw, case)
    add(cw, case, text="询问笔录", title="笔录")
    code, out = run_verify()
    assert code == 0, out


def test_flipped_byte_in_a_blob(cw):
    case = factories.case(cw)
    item = add(cw, case)
    path = blob_store().path(item.current.blob_id)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[200] ^= 0x01
    path.write_bytes(bytes(data))
    code, out = run_verify()
    assert code == 1 and "blob.sha256_mismatch" in kinds(out), out


def test_edited_record_version_row(cw):
    case = factories.case(cw)
    item = add(cw, case, proves="在售过期食品")
    table = RecordVersion._meta.db_table
    with ledger_unlocked(), connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET proves = %s WHERE id = %s", ["（被改动）", item.current.pk])
    code, out = run_verify()
    assert code == 1 and f"records.recordversion:{item.current.pk}" in out, out


def test_edited_record_item_row(cw):
    case = factories.case(cw)
    item = add(cw, case)
    RecordItem.objects.filter(pk=item.pk).update(kind="video")
    code, out = run_verify()
    assert code == 1 and f"records.recorditem:{item.pk}" in out, out


def test_version_pointer_moved_back(cw):
    from zhifa.records.actions import do_correct_record

    case = factories.case(cw)
    item = add(cw, case)
    first = item.current
    do_correct_record(item, acting_user=cw["u1"], reason="更正", title="新名称")
    RecordItem.objects.filter(pk=item.pk).update(current=first)
    code, out = run_verify()
    assert code == 1 and "records.record_current" in kinds(out), out


def test_the_database_refuses_to_edit_versions_and_access_rows(cw):
    import pytest
    from django.db import DatabaseError, transaction

    case = factories.case(cw)
    item = add(cw, case)
    for sql in (f"UPDATE {RecordVersion._meta.db_table} SET title = 'x'",
                f"DELETE FROM {RecordVersion._meta.db_table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert RecordVersion.objects.get(item=item).title == "现场照片"


def test_edited_document_file(cw):
    from zhifa.documents.actions import do_generate_document
    from zhifa.documents.models import storage

    case = factories.case(cw, facts="当事人销售超过保质期的食品。")
    doc = do_generate_document(case, "filing_approval", acting_user=cw["u1"], pdf=False)
    assert run_verify()[0] == 0
    path = storage().path(doc.docx_path)
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    code, out = run_verify()
    assert code == 1 and "documents.document_digest" in kinds(out), out


def test_edited_or_missing_template_file(cw):
    """A template edited on disk would change every document generated from it afterwards."""
    import os
    from pathlib import Path

    from zhifa.documents.actions import builtin_template
    from zhifa.documents.models import storage

    template = builtin_template("filing_approval")
    assert run_verify()[0] == 0
    path = storage().path(template.file_path)
    original = Path(path).read_bytes()
    try:
        with open(path, "ab") as fh:
            fh.write(b"tampered")
        code, out = run_verify()
        assert code == 1 and "documents.template_digest" in kinds(out) and f"documenttemplate:{template.pk}" in out
        os.remove(path)
        code, out = run_verify()
        assert code == 1 and "documents.template_missing" in kinds(out), out
    finally:
        with open(path, "wb") as fh:
            fh.write(original)
    assert run_verify()[0] == 0

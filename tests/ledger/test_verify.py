"""`zhifa verify` catches each kind of tampering, and passes a clean log."""
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhifa.common.models import ChangeLog
from zhifa.ledger import log, merkle, verify
from zhifa.ledger.appendonly import ledger_unlocked
from zhifa.ledger.models import LedgerEntry, LedgerHead, LedgerNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(world):
    """The world's change log (every row a "change" entry), then more entries, a signed head at
    the size reached so far, and three entries after it."""
    log.append_many([("test", {"data": {"i": i}, "case": 7}) for i in range(20)])
    th = log.sign_tree_head()
    log.append_many([("test.after", {"data": {"i": i}}) for i in range(3)])
    return th


def run_verify():
    out = io.StringIO()
    try:
        call_command("verify", stdout=out)
    except CommandError as e:
        assert e.returncode == 1
        return 1, out.getvalue() + str(e)
    return 0, out.getvalue()


def kinds(text):
    return {line.split("]")[0][1:] for line in text.splitlines() if line.startswith("[")}


def raw(sql, params=()):
    with ledger_unlocked(), connection.cursor() as c:
        c.execute(sql, params)


def set_entry(seq, body, leaf):
    raw("UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s WHERE seq = %s", [body, leaf, seq])


def set_node(key, h):
    raw("UPDATE ledger_ledgernode SET hash = %s WHERE key = %s", [h, key])


def test_clean_log_passes(built):
    code, out = run_verify()
    assert code == 0, out
    assert "发现 0 处不一致" in out


def test_a_edited_body(built):
    e = LedgerEntry.objects.filter(event_type="test").order_by("seq")[5]
    body = json.loads(e.body)
    body["data"]["i"] = 999
    raw("UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s",
        [json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False), e.seq])
    code, out = run_verify()
    assert code == 1
    assert f"[ledger.leaf_hash] ledger_ledgerentry seq={e.seq}：存储的叶哈希 {bytes(e.leaf_hash).hex()}" in out
    assert "ledger.node_leaf" in kinds(out) and "ledger.tree_head_root" in kinds(out)


def test_b_edited_subject_row(built):
    row = ChangeLog.objects.order_by("id")[3]
    ChangeLog.objects.filter(pk=row.pk).update(reason="事后改动")
    code, out = run_verify()
    assert code == 1 and kinds(out) == {"ledger.subject_changed"}
    assert f"common.changelog:{row.pk}" in out and log.fingerprint(row) in out


def test_b_deleted_subject_and_unlogged_row(built, world):
    row = ChangeLog.objects.order_by("id")[2]
    with connection.cursor() as c:  # behind the application (the ORM refuses: audit.retention)
        c.execute(f"DELETE FROM {ChangeLog._meta.db_table} WHERE id = %s", [row.pk])
    sneaked = ChangeLog.objects.create(user_name="x", action="update", content_type=row.content_type,
                                       object_id="1", object_repr="x")  # bypasses log_change
    code, out = run_verify()
    # The row-drift check may also name the change-logged object whose log row went (ledger.row_*).
    assert {"ledger.subject_missing", "ledger.subject_unlogged"} <= kinds(out) <= {
        "ledger.subject_missing", "ledger.subject_unlogged", "ledger.row_unlogged", "ledger.row_missing"}
    assert f"common_changelog pk={sneaked.pk}" in out


def test_c_truncated_log(built):
    """Delete the last entries and their nodes, and set the head back: only the tree head signed
    before can tell — and the entries' own count must match the head."""
    n = log.size()
    raw("DELETE FROM ledger_ledgerentry WHERE seq >= %s", [n - 3])
    code, out = run_verify()
    assert code == 1 and kinds(out) == {"ledger.size", "ledger.seq_missing"}
    assert f"ledger_ledgerentry seq={n - 3}..{n - 1}：缺少 3 条条目" in out
    keep = n - 3 - 10  # now below the signed size too, with a consistent head and node table
    raw("DELETE FROM ledger_ledgerentry WHERE seq >= %s", [keep])
    raw("DELETE FROM ledger_ledgernode WHERE key >= %s", [merkle.node_count(keep)])
    hashes = [bytes(h) for h in LedgerEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    LedgerHead.objects.filter(pk=1).update(size=keep, root=merkle.mth(hashes).hex())
    code, out = run_verify()
    assert code == 1 and "ledger.tree_head_truncated" in kinds(out), out
    assert "ledger.size" not in kinds(out)


def test_d_swapped_entries(built):
    a, b = LedgerEntry.objects.filter(event_type="test").order_by("seq")[2:4]
    set_entry(a.seq, b.body, bytes(b.leaf_hash))
    set_entry(b.seq, a.body, bytes(a.leaf_hash))
    set_node(merkle.node_key(0, a.seq), bytes(b.leaf_hash))
    set_node(merkle.node_key(0, b.seq), bytes(a.leaf_hash))
    code, out = run_verify()
    assert code == 1
    assert f"[ledger.body_column] ledger_ledgerentry seq={a.seq}：内容中 seq 为 {b.seq}，数据列为 {a.seq}" in out
    assert "ledger.node_hash" in kinds(out) or "ledger.tree_head_root" in kinds(out)


def test_rewritten_log_is_caught_by_the_signed_head(built):
    """Edit a body and recompute every hash, node and the head: consistent in itself, so only the
    signature over the old root shows it."""
    e = LedgerEntry.objects.filter(event_type="test").order_by("seq")[1]
    body = json.loads(e.body)
    body["data"]["i"] = -1
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    set_entry(e.seq, text, merkle.leaf_hash(text.encode()))
    hashes = [bytes(h) for h in LedgerEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    stack, nodes = [], []
    for h in hashes:
        merkle.push_leaf(stack, h, lambda _lv, x: nodes.append(x))
    with ledger_unlocked():
        LedgerNode.objects.all().delete()
        LedgerNode.objects.bulk_create([LedgerNode(key=k, hash=h) for k, h in enumerate(nodes)])
    LedgerHead.objects.filter(pk=1).update(root=merkle.fold(stack).hex())
    code, out = run_verify()
    assert code == 1 and kinds(out) == {"ledger.tree_head_root"}, out


def test_head_disagreeing_with_entries(built):
    LedgerHead.objects.filter(pk=1).update(root="00" * 32)
    code, out = run_verify()
    assert kinds(out) == {"ledger.head_root", "ledger.head_root_recomputed"}


def test_forged_tree_head_signature(built):
    raw("UPDATE ledger_treehead SET tree_size = tree_size - 1")
    code, out = run_verify()
    assert "ledger.tree_head_signature" in kinds(out)


def test_tree_head_signed_by_an_unknown_key(built, settings, tmp_path):
    from zhifa.ledger import signing

    settings.ZHIFA_LEDGER_KEY_FILE = ""
    settings.DATA_DIR = tmp_path  # a different key from now on; the old one is not trusted
    signing.clear_cache()
    code, out = run_verify()
    assert kinds(out) == {"ledger.tree_head_key"}
    settings.ZHIFA_LEDGER_TRUSTED_KEYS = [built.public_key]
    assert run_verify()[0] == 0


def test_missing_trigger_is_reported(built):
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute('DROP TRIGGER "ledger_ledgernode_no_update" ON ledger_ledgernode')
        else:
            c.execute('DROP TRIGGER "ledger_ledgernode_no_delete"')
    code, out = run_verify()
    assert kinds(out) == {"ledger.triggers"} and "ledger_ledgernode" in out


def test_other_apps_can_register_checks(built):
    @verify.check
    def check_demo():
        yield verify.Discrepancy("demo.kind", "demo_table pk=1", "应为 1，实为 2")

    try:
        code, out = run_verify()
        assert code == 1 and "[demo.kind] demo_table pk=1：应为 1，实为 2" in out
    finally:
        verify.CHECKS.remove(check_demo)

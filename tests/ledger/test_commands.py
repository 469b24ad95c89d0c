"""`zhifa ledger sign|status` and `zhifa bench ledger` (tiny, on a throw-away SQLite file)."""
import io

import pytest
from django.core.management import call_command

from zhifa.ledger import log
from zhifa.ledger.models import TreeHead
from zhifa.ledger.pure import verify_tree_head


@pytest.mark.django_db
def test_ledger_sign_and_status():
    log.append_many([("test", {}) for _ in range(3)])
    out = io.StringIO()
    call_command("ledger", "sign", stdout=out)
    head = TreeHead.objects.get()
    assert head.tree_size == 3 and verify_tree_head(head.as_dict(), head.public_key)
    assert "已签署树头：3 条" in out.getvalue()
    call_command("ledger", "sign", "--if-grown", stdout=out)
    assert TreeHead.objects.count() == 1 and "日志未增长" in out.getvalue()
    call_command("ledger", "status", stdout=out)
    assert f"根哈希：{log.root().hex()}" in out.getvalue()


@pytest.mark.django_db
def test_verify_lists_its_checks():
    out = io.StringIO()
    call_command("verify", "--list", stdout=out)
    assert "zhifa.ledger.verify.check_log" in out.getvalue()
    call_command("verify", "--check", "log", stdout=out)
    assert "1 项检查" in out.getvalue()


@pytest.mark.slow
def test_bench_ledger_small(tmp_path, monkeypatch, _ledger_key):
    monkeypatch.setenv("ZHIFA_LEDGER_KEY_FILE", str(_ledger_key))
    doc = tmp_path / "benchmarks.md"
    call_command("bench", "ledger", "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}", "--entries", "3000",
                 "--appends", "30", "--proofs", "20", "--doc", str(doc), stdout=io.StringIO())
    text = doc.read_text(encoding="utf-8")
    assert "## ledger" in text and "build 3,000 entries with append_many" in text
    assert "single append in its own transaction at 3,030 entries" in text
    assert "inclusion proof at 3,030 entries" in text and "consistency proof" in text
    assert "`zhifa verify` over 3,030 entries" in text and "reported discrepancies" not in text
    assert "发现 0 处不一致" in text
    assert not (tmp_path / "bench.sqlite3").exists()

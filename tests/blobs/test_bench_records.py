"""`zhifa bench records` end to end with tiny files on a throw-away SQLite database."""
import io

import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_bench_records_small(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZHIFA_BLOB_BACKEND", "local")
    monkeypatch.setenv("ZHIFA_UPLOAD_CHUNK_MAX", str(1 << 20))
    doc = tmp_path / "benchmarks.md"
    call_command("bench", "records", "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}",
                 "--size-mb", "4", "--upload-mb", "3", "--entries", "2000", "--appends", "20", "--proofs", "10",
                 "--doc", str(doc), stdout=io.StringIO())
    text = doc.read_text(encoding="utf-8")
    assert "## records" in text and "SQLite" in text
    assert "ingest: put_stream of a 4 MB file" in text and "openssl dgst -sha256" in text and "× sm3" in text
    assert "chunked upload of a 3 MB file through /api/v1/uploads (3 chunks of 1 MiB)" in text
    assert "SHA-256 equals the client's own: yes" in text
    assert "build 2,000 entries with append_many" in text and "`zhifa verify` over 2,020 entries" in text
    assert not (tmp_path / "bench.sqlite3").exists()
    assert list((tmp_path / "data").glob("bench-blobs-*")) == []  # work files removed

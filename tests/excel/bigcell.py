"""A small .xlsx holding one enormous cell (a zip bomb of text), and a measurement of importing it in
a fresh process: `python -m tests.excel.bigcell [MB]` prints JSON {seconds, peak_rss_mb, base_rss_mb,
messages}. tests/excel/test_import_limits.py runs it; docs/benchmarks.md records the figures."""
from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl

CHUNK = "A" * (1 << 20)


def big_cell_xlsx(megabytes: int = 200) -> bytes:
    """An officers workbook (header + one row) whose 姓名 cell holds `megabytes` MiB of text, written
    chunk by chunk into the zip (deflate shrinks it about 1000:1: 200 MiB → ~200 KB)."""
    from zhifa.orgs.excel import OFFICER_HEADERS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(OFFICER_HEADERS))
    ws.append(["PLACEHOLDER" if h == "姓名" else "x" for h in OFFICER_HEADERS])
    small = io.BytesIO()
    wb.save(small)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small.getvalue())) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if b"PLACEHOLDER" in data:  # the sheet (openpyxl writes inline strings) or sharedStrings.xml
                head, tail = data.split(b"PLACEHOLDER", 1)
                big = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                big.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(big, "w", force_zip64=True) as f:
                    f.write(head)
                    for _ in range(megabytes):
                        f.write(CHUNK.encode())
                    f.write(tail)
            else:
                dst.writestr(info, data)
    return out.getvalue()


def measure(megabytes: int = 200) -> dict:
    """Import the workbook through the officers' importer's reader in this process."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings_test")
    django.setup()
    from zhifa.common.xlsx import ImportReport, read_table
    from zhifa.orgs.excel import OFFICER_COLUMNS

    # Written by a child process: ru_maxrss is a high-water mark, and writing the file costs memory too.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        subprocess.run([sys.executable, "-m", "tests.excel.bigcell", "--write", str(path), str(megabytes)],
                       check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings_test"})
        data = path.read_bytes()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    f = io.BytesIO(data)
    f.size = len(data)  # as Django's UploadedFile has
    report = ImportReport()
    started = time.perf_counter()
    rows = read_table(f, OFFICER_COLUMNS, report)
    seconds = time.perf_counter() - started
    messages = [f"{e.row}:{e.column}:{e.message}" for e in report.errors]
    if rows:  # the row reached the importer: what it would echo back
        messages += [f"{n}:姓名:{len(str(r.get('name') or ''))} chars" for n, r in rows]
    return {"file_kb": round(len(data) / 1024, 1), "seconds": round(seconds, 2), "base_rss_mb": round(base, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "messages": [m[:300] for m in messages], "message_chars": sum(len(m) for m in messages)}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        import django

        django.setup()
        Path(sys.argv[2]).write_bytes(big_cell_xlsx(int(sys.argv[3])))
    else:
        print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 200), ensure_ascii=False))

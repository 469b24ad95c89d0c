"""One writer process for tests/ops/test_sqlite_writers.py: `python -m tests.ops.sqlite_writer NAME N`
appends N ledger entries, each in its own transaction that reads before it writes (the pattern of
every action: lock/read the row, then write), holding the transaction a few milliseconds as a
complaint registration does. Prints JSON {ok, locked, other}."""
import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
django.setup()

from django.db import OperationalError, transaction  # noqa: E402

from zhifa.ledger import log  # noqa: E402
from zhifa.ledger.models import LedgerEntry  # noqa: E402

name, n = sys.argv[1], int(sys.argv[2])
out = {"ok": 0, "locked": 0, "other": []}
start_at = float(os.environ.get("WRITER_START_AT", "0"))
while time.time() < start_at:  # both processes begin together
    time.sleep(0.001)
for i in range(n):
    try:
        with transaction.atomic():
            LedgerEntry.objects.count()  # a read first: a deferred transaction takes only a read lock here
            time.sleep(0.005)
            log.append("test.writer", data={"writer": name, "i": i})
            time.sleep(0.005)
        out["ok"] += 1
    except OperationalError as e:
        if "locked" in str(e):
            out["locked"] += 1
        else:
            out["other"].append(str(e))
print(json.dumps(out))

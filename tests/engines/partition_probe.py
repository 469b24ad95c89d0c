"""Run by tests/engines/test_partitions.py in its own process against a scratch PostgreSQL database
(DATABASE_URL): `python -m tests.engines.partition_probe append N | probe`; prints one JSON line.

append N  appends N ledger entries through the application's own ledger.append (in transactions of
          up to 25, as actions do), with ledger.batched for half of them.
probe     runs the application's queries on the ledger entries (point lookups by seq as the decision
          page, the API and the inspection draws do; the seq ranges of `zhifa verify`; a case's entries
          with a seq bound as the archive does; the audit page's newest-first list) and returns their
          results with the plan of each (EXPLAIN (FORMAT JSON)): which partitions it touches.
"""
import json
import os
import sys

import django


def _partitions_in(plan) -> set:
    found = set()

    def walk(node):
        if isinstance(node, dict):
            rel = node.get("Relation Name")
            if rel:
                found.add(rel)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(plan)
    return found


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    django.setup()
    from django.db import connection, transaction

    from zhifa.ledger import log
    from zhifa.ledger.models import LedgerEntry
    from zhifa.ledger.verify import check_log

    if argv[0] == "append":
        n = int(argv[1])
        done = 0
        while done < n:
            k = min(25, n - done)
            with transaction.atomic():
                if done % 50 == 0:
                    with log.batched():
                        for i in range(k):
                            log.append("test.partition", case=1000 + (done + i) % 7, data={"i": done + i})
                else:
                    for i in range(k):
                        log.append("test.partition", case=1000 + (done + i) % 7, data={"i": done + i})
            done += k
        print(json.dumps({"size": log.size()}))
        return

    def explain(qs):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as c:
            c.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = c.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return sorted(_partitions_in(plan))

    size = log.size()
    queries = {
        "point": LedgerEntry.objects.filter(seq=size - 3),
        "point_first": LedgerEntry.objects.filter(seq=2),
        "range": LedgerEntry.objects.filter(seq__gte=40, seq__lt=60),
        "case_bounded": LedgerEntry.objects.filter(case_id=1003, seq__lt=30).order_by("seq"),
        "newest": LedgerEntry.objects.order_by("-seq")[:20],
        "all": LedgerEntry.objects.all(),
    }
    out = {"size": size, "count": LedgerEntry.objects.count(),
           "plans": {k: explain(q) for k, q in queries.items()},
           "rows": {k: list(q.values_list("seq", flat=True)) for k, q in queries.items() if k != "all"},
           "root": log.root().hex(), "discrepancies": [str(d) for d in check_log()], "proof_len": len(log.inclusion_proof(size - 3, size))}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])

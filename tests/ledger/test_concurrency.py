"""Concurrent appends from several connections are serialised by the head row lock: gap-free
sequence numbers and one consistent tree."""
import threading

import pytest
from django.db import connection, connections, transaction

from zhifa.ledger import log, merkle
from zhifa.ledger.models import LedgerEntry


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL")
def test_parallel_appends_are_gap_free(transactional_db):
    # Start from an empty log: a live-server thread of an earlier browser test may have committed
    # an entry after that test's flush (seen once in CI), which this test must not inherit.
    from zhifa.ledger.appendonly import ledger_unlocked
    from zhifa.ledger.models import LedgerHead, LedgerNode, TreeHead

    with ledger_unlocked():
        for model in (TreeHead, LedgerNode, LedgerEntry, LedgerHead):
            model.objects.all().delete()
    errors = []
    barrier = threading.Barrier(4)

    def worker(k):
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    log.append("test", data={"worker": k, "i": i})
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(60))
    hashes = [bytes(h) for h in LedgerEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert log.root() == merkle.mth(hashes)
    from zhifa.ledger.verify import run

    assert list(run()) == []

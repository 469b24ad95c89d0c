"""Checks of `zhifa verify` (found by the ledger's autodiscovery of `verify` modules): blob
contents re-hashed, generated documents re-hashed, record version pointers."""
from zhifa.ledger import drift, privileges
from zhifa.ledger.verify import Discrepancy, check

# Row drift (zhifa.ledger.drift): a record item's version pointer and count follow its versions,
# whose chain `records` below checks; destruction is its own ledgered decision.
drift.exempt("records.recorditem", "version_count", why="随版本链更新，由版本链核验")
drift.exempt("records.recorditem", "destroyed_at", why="由销毁决定写入，销毁决定另行留痕")
privileges.log_table("records.accesslog", why="调阅记录")


def _wrap(rows, prefix):
    for kind, where, detail in rows:
        yield Discrepancy(f"{prefix}.{kind}" if not kind.startswith(prefix) else kind, where, detail)


@check
def blobs():
    from zhifa.blobs.checks import check_blobs

    yield from _wrap(check_blobs(), "blob")


@check
def documents():
    from zhifa.records.checks import check_documents

    yield from _wrap(check_documents(), "documents")


@check
def templates():
    from zhifa.records.checks import check_templates

    yield from _wrap(check_templates(), "documents")


@check
def records():
    from zhifa.records.checks import check_records

    yield from _wrap(check_records(), "records")

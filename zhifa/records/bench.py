"""`zhifa bench records`: the whole of issue 4's performance list in one run — evidence ingest
and upload memory (zhifa.blobs.bench.Ingest) then the ledger at 1 000 000 entries
(zhifa.ledger.bench.Ledger). `zhifa bench ingest` / `zhifa bench ledger` run one half."""
from zhifa.blobs.bench import Records as Ingest
from zhifa.common.registry import bench_suites
from zhifa.ledger.bench import Ledger


@bench_suites.register("records", order=50)
class RecordsAll:
    name = "records"
    default_url = Ledger.default_url
    arguments = []  # the halves' options are registered by their own suites
    options = tuple(Ingest.options) + tuple(Ledger.options)

    def run(self, opts) -> dict:
        # The ledger first: its `zhifa verify` would otherwise re-hash the ingest's blobs, whose
        # work files the ingest half removes when it is done.
        ledger = Ledger().run(opts)
        out = Ingest().run(opts)  # its keys (machine, database, ingest, upload) head the section
        out["ledger"] = ledger
        return out

    def report(self, r: dict) -> list[list[str]]:
        return Ingest().report(r) + Ledger().report(r["ledger"])

    @staticmethod
    def details(r: dict) -> list[str]:
        return Ingest.details(r) + getattr(Ledger, "details", lambda _r: [])(r["ledger"])

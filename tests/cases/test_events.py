"""The seam (zhifa/cases/events.py): the case engine publishes each transition to the subscribers the
apps above it declare in <app>/subscribers.py; it imports none of them; their ledger entries follow
the transition's own (cause before effect)."""
import ast
import datetime as dt
from pathlib import Path

import pytest

from tests import factories
from tests.cases.helpers import to_investigating, v
from zhifa.cases import actions as case_actions
from zhifa.cases import events
from zhifa.ledger.models import LedgerEntry

ZHIFA = Path(__file__).resolve().parents[2] / "zhifa"
ABOVE_CASES = ("review", "disclosure", "supervision", "transfers", "records", "documents", "guidance")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_cases_imports_no_app_built_on_it():
    offenders = []
    for path in (ZHIFA / "cases").rglob("*.py"):
        for mod in imported_modules(path):
            parts = mod.split(".")
            if len(parts) > 1 and parts[0] == "zhifa" and parts[1] in ABOVE_CASES:
                offenders.append(f"{path.relative_to(ZHIFA)} imports {mod}")
    assert not offenders, offenders


def test_ground_imports_no_app_above_it():
    """common/ is ground: the home page, the seed and the benchmarks live on the top floor (zhifa/site)."""
    ground_ok = {"common", "ledger"}  # common.actions appends its change-log rows to the ledger
    offenders = []
    for path in (ZHIFA / "common").rglob("*.py"):
        for mod in imported_modules(path):
            parts = mod.split(".")
            if len(parts) > 1 and parts[0] == "zhifa" and parts[1] not in ground_ok:
                offenders.append(f"{path.relative_to(ZHIFA)} imports {mod}")
    assert not offenders, offenders


def test_nothing_imports_the_top_floor():
    offenders = [f"{path.relative_to(ZHIFA)} imports {mod}"
                 for path in ZHIFA.rglob("*.py") if "site" not in path.relative_to(ZHIFA).parts[:1]
                 and path.name not in ("urls.py",)
                 for mod in imported_modules(path) if mod.startswith("zhifa.site")]
    assert not offenders, offenders


def test_every_reacting_app_declares_its_subscribers_in_one_module():
    names = {s.name for s in events.registered()}
    modules = {n.rsplit(".", 1)[0] for n in names}
    assert {"zhifa.review.subscribers", "zhifa.disclosure.subscribers", "zhifa.transfers.subscribers",
            "zhifa.supervision.subscribers"} <= modules
    assert all(m.endswith(".subscribers") for m in modules), modules


def seqs(case, *types):
    rows = LedgerEntry.objects.filter(case_id=case.pk, event_type__in=types).order_by("seq")
    return [(r.event_type, r.seq) for r in rows]


@pytest.mark.django_db
def test_ledger_order_is_cause_before_effect_for_a_transfer(cw):
    case = factories.case(cw)
    case_actions.do_transfer(case, transfer_kind="agency", transfer_to=cw["hbj"].name, reason="违法行为属于生态环境部门管辖",
                  acting_user=cw["head"], expected_version=v(case), on=dt.date(2026, 3, 3))
    order = [t for t, _s in seqs(case, "case.transition", "transfer.sent")]
    assert order[-2:] == ["case.transition", "transfer.sent"], order


@pytest.mark.django_db
def test_a_subscriber_refusal_undoes_the_transition(cw, monkeypatch):
    from zhifa.common.actions import ActionRefused

    def refuse(event, ctx):
        raise ActionRefused("test.refused", "订阅者拒绝")

    monkeypatch.setattr(events, "SUBSCRIBERS", [events.Subscriber(refuse, frozenset({"approve_filing"}))])
    case = factories.case(cw)
    case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=v(case), on=dt.date(2026, 3, 2))
    before = v(case)
    with pytest.raises(ActionRefused):
        case_actions.do_approve_filing(case, acting_user=cw["unit_head"], expected_version=before, on=dt.date(2026, 3, 3))
    case.refresh_from_db()
    assert case.version == before and case.state == "filing_pending"


@pytest.mark.django_db(transaction=True)
def test_after_commit_subscribers_run_once_committed(cw, monkeypatch):
    seen = []
    sub = events.Subscriber(lambda event, ctx: seen.append(event.transition), frozenset({"start_investigation"}),
                            after_commit=True)
    monkeypatch.setattr(events, "SUBSCRIBERS", [sub])
    to_investigating(cw, factories.case(cw))
    assert seen == ["start_investigation"]

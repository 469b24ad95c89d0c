"""Statements per case transition (issue 23): a plain transition stays within a budget of SQL
statements, so a change that adds a query per transition (a re-read, a second ledger append, a
lazy foreign key in a loop) fails here. Counted with CaptureQueriesContext around the action alone."""
from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import builders
from zhifa.cases import actions as case_actions

pytestmark = pytest.mark.django_db

PLAIN_BUDGET = 15  # statements per plain transition (issue 23: ≤ 15): a state change with no period or number
PLAIN = ("file_case", "start_investigation", "close")
# The others do more by law, each with its own budget (the figures of 2026-12-07, 35–93 before issue 23):
# a statutory period opened or closed (事先告知, 陈述申辩, 送达, 缴款), a number issued (批准立案, 决定), the
# review app's packet, due date and opinion (法制审核), and for 决定 the documents' data, the publication
# queue, the 备案 check, the exchange feed and the discretion record.
BUDGETS = {"register": 30,  # with the filing period (立案 decision due in 15 working days)
           "approve_filing": 23, "propose": 18, "serve_notice": 20, "record_statement": 18,
           "submit_legal_review": 28, "review_pass": 27, "decide": 56, "serve_decision": 17, "record_payment": 18}


def statements(ctx) -> int:
    """Statements the action issued, without the test's own transaction framing: each test runs in
    a transaction, so the action's atomic block is a SAVEPOINT … RELEASE pair here, where in
    production it is the transaction's BEGIN … COMMIT (which Django does not log either)."""
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


def _step(w, case, name, opts):
    step = builders.STEPS[case.kind][name]
    action = case_actions.do_close if name == "close" else step.action
    case.refresh_from_db()
    day = opts.dates.get(name, builders.DAYS[name])
    on = max(day, case.last_action_on or day)
    payload = step.payload(w, case, opts)
    with CaptureQueriesContext(connection) as ctx:
        action(case, acting_user=w[step.actor], expected_version=case.version, on=on, **payload)
    return ctx


def walk(w, **options):
    """{transition: statements} for one general-procedure case taken 案源登记 → 结案."""
    opts = builders.options_for(builders.GENERAL, "closed", **options)
    counts = {}
    with CaptureQueriesContext(connection) as ctx:
        case = builders.create(w, builders.GENERAL, opts=opts)
    counts["register"] = statements(ctx)
    for name in builders.route(builders.GENERAL, "closed", opts)[1:]:
        ctx = _step(w, case, name, opts)
        counts[name] = statements(ctx)
        if os.environ.get("ZHIFA_QUERY_DUMP") == name:
            for q in ctx.captured_queries:
                print(q["sql"][:300])
    return counts


def test_statements_per_transition(cw):
    counts = walk(cw, review=True)
    if os.environ.get("ZHIFA_QUERY_REPORT"):
        print("\nstatements per transition:", counts,
              f"mean {sum(counts.values()) / len(counts):.1f}")
    assert set(PLAIN) | set(BUDGETS) == set(counts), counts
    over = {name: n for name, n in counts.items() if n > BUDGETS.get(name, PLAIN_BUDGET)}
    assert not over, f"statements over budget: {over} (all: {counts})"


def test_plain_transition_within_budget(cw, django_assert_max_num_queries):
    """提请立案 on its own, counted by pytest-django (the savepoint pair included: + 2)."""
    case = builders.create(cw, builders.GENERAL)
    case.refresh_from_db()
    with django_assert_max_num_queries(PLAIN_BUDGET + 2):
        case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=case.version, on=case.registered_on)


def test_one_ledger_append_per_transition(cw):
    """The transition's entry and its change-log entry (and any subscriber's) are written by one
    append: one head lock and one head update per transition."""
    case = builders.create(cw, builders.GENERAL)
    case.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        case_actions.do_file_case(case, acting_user=cw["u1"], expected_version=case.version, on=case.registered_on)
    head_updates = [q for q in ctx.captured_queries
                    if q["sql"].startswith('UPDATE "ledger_ledgerhead"') and '"root"' in q["sql"]]
    assert len(head_updates) == 1
    from zhifa.ledger.models import LedgerEntry

    types = list(LedgerEntry.objects.filter(case_id=case.pk).order_by("seq").values_list("event_type", flat=True))
    assert types[-2:] == ["case.transition", "change"]  # cause before effect, as before

"""Document numbers: per entity, type and year; no gaps, no duplicates, rollback returns the number."""
import threading

import pytest
from django.db import connection, transaction

from tests import factories
from zhifa.cases.models import NumberCounter
from zhifa.cases.numbering import format_number, next_number


def _issue(entity, doc_type, year):
    with transaction.atomic():
        return next_number(entity, doc_type, year)


@pytest.mark.django_db
def test_sequential_per_entity_type_and_year(world):
    smj, hbj = world["smj"], world["hbj"]
    assert [_issue(smj, "filing", 2026) for _ in range(3)] == [
        "七市监立〔2026〕1号", "七市监立〔2026〕2号", "七市监立〔2026〕3号"]
    assert _issue(smj, "decision", 2026) == "七市监罚决〔2026〕1号"
    assert _issue(smj, "filing", 2027) == "七市监立〔2027〕1号"
    assert _issue(hbj, "filing", 2026) == "七环立〔2026〕1号"
    assert _issue(smj, "filing", 2026) == "七市监立〔2026〕4号"
    assert format_number("七市监", "decision", 2026, 12) == "七市监罚决〔2026〕12号"


@pytest.mark.django_db
def test_rolled_back_action_leaves_no_gap(world):
    smj = world["smj"]
    assert _issue(smj, "filing", 2026).endswith("1号")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            next_number(smj, "filing", 2026)
            raise RuntimeError("action refused later")
    assert _issue(smj, "filing", 2026).endswith("2号")


@pytest.mark.django_db(transaction=True)
def test_needs_a_transaction(world):
    with pytest.raises(RuntimeError):
        next_number(world["smj"], "filing", 2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL")
    w = factories.world()
    smj = w["smj"]
    results, errors = [], []
    barrier = threading.Barrier(8)

    def writer():
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(25):
                results.append(_issue(smj, "filing", 2031))
        except Exception as e:  # noqa: BLE001 - any failure in a thread is collected and asserted on
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == sorted(f"七市监立〔2031〕{n}号" for n in range(1, 201))
    assert NumberCounter.objects.get(entity=smj, doc_type="filing", year=2031).last == 200

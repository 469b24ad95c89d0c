"""Costs that stay flat as data grows (issue 23): the case's region path (the supervisors' scope
without a join), the partial indexes of open cases, and list counts capped at 1000."""
from __future__ import annotations

import pytest

from tests import builders
from zhifa.cases.models import OPEN_CASE, Case, sync_region_paths
from zhifa.common.paging import CappedPaginator, capped_count, count_label

pytestmark = pytest.mark.django_db


def test_region_path_follows_the_entity(cw):
    case = builders.create(cw, builders.GENERAL)
    assert case.region_path == cw["smj"].region.path
    # the entity moves to another county: its cases follow (the county supervisor no longer sees them)
    assert Case.objects.restrict(cw["sup_county"]).filter(pk=case.pk).exists()
    smj = cw["smj"]
    smj.region = cw["regions"]["county2"]
    smj.save()
    case.refresh_from_db()
    assert case.region_path == cw["regions"]["county2"].path
    assert not Case.objects.restrict(cw["sup_county"]).filter(pk=case.pk).exists()
    assert Case.objects.restrict(cw["sup_city"]).filter(pk=case.pk).exists()
    Case.objects.filter(pk=case.pk).update(region_path="")
    assert sync_region_paths() >= 1
    case.refresh_from_db()
    assert case.region_path == cw["regions"]["county2"].path


def test_supervisor_scope_is_a_prefix_on_the_case_row(cw):
    sql = str(Case.objects.restrict(cw["sup_city"]).open().query)
    assert "region_path" in sql and "orgs_region" not in sql and "orgs_entity" not in sql


def test_open_case_indexes_are_partial():
    partial = {i.name for i in Case._meta.indexes if i.condition is not None}
    assert {"case_open_next_due", "case_open_entity_due", "case_open_region_due"} <= partial
    assert all(i.condition == OPEN_CASE for i in Case._meta.indexes if i.name in partial)


class SmallCap(CappedPaginator):
    cap = 2


def test_capped_count(cw):
    for _ in range(4):
        builders.create(cw, builders.GENERAL)
    qs = Case.objects.order_by("id")
    assert capped_count(qs, 2) == 3 and capped_count(qs, 10) == 4
    assert count_label(3, 2) == "2+" and count_label(2, 2) == "2"
    pager = SmallCap(qs, 1)
    assert pager.capped and pager.count_label == "2+"
    page = pager.get_page(3)
    assert page.number == 3 and page.has_next() and len(page.object_list) == 1
    last = pager.get_page(4)
    assert not last.has_next()
    assert pager.get_page(9).number == 1  # past the rows: back to the first page


def test_queue_page_and_api_say_1000_plus(cw, client, monkeypatch):
    from zhifa.common import paging

    for _ in range(3):
        builders.create(cw, builders.GENERAL)
    monkeypatch.setattr(paging.CappedPaginator, "cap", 2)
    client.force_login(cw["head"])
    assert "在办案件 2+ 件" in client.get("/cases/queue/").content.decode()

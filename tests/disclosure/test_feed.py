"""Atom feed of new publications (/gs/feed.atom, ?entity=): newest first, redacted, and withdrawn
or expired entries leave it."""
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from tests.disclosure.conftest import decided_case
from zhifa.disclosure.actions import publications as publication_actions


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, **params):
    resp = client.get("/gs/feed.atom", params)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(resp.content)
    assert root.tag == f"{ATOM}feed"
    return root, [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"), e.find(f"{ATOM}id").text)
                  for e in root.findall(f"{ATOM}entry")]


def test_feed_lists_published_decisions_newest_first(cw, client):
    first = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    second = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    draft = decided_case(cw).publication
    root, items = entries(client)
    assert "执法结果公示" in root.find(f"{ATOM}title").text
    assert [link for _, link, _ in items] == [f"http://testserver/gs/results/{p.pk}/" for p in (second, first)]
    assert items[0][2] == items[0][1]  # the stable public URL is the entry's id
    assert all("张某" in title for title, _, _ in items)
    text = client.get("/gs/feed.atom").content.decode()
    assert "张建国" not in text and f"/gs/results/{draft.pk}/" not in text


def test_feed_per_entity(cw, client):
    pub = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    root, items = entries(client, entity=cw["smj"].pk)
    assert cw["smj"].name in root.find(f"{ATOM}title").text and len(items) == 1
    assert entries(client, entity=cw["df"].pk)[1] == []
    assert len(entries(client, entity="abc")[1]) == 1  # bad value: the whole feed, never a 500
    assert pub.pk


def test_withdrawn_and_expired_entries_leave_the_feed(cw, client):
    stays = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    gone = publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    low = decided_case(cw, penalty={"penalty_kinds": ["fine"], "fine_amount": "200"}).publication
    publication_actions.do_approve(low, acting_user=cw["head"], on=dt.date(2026, 4, 22))  # public until 22 July 2026
    publication_actions.do_withdraw(gone, acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被撤销")
    links = [link for _, link, _ in entries(client)[1]]
    assert links == [f"http://testserver/gs/results/{stays.pk}/"]


def test_public_pages_advertise_the_feed(cw, client):
    page = client.get("/gs/").content.decode()
    assert 'type="application/atom+xml"' in page and "/gs/feed.atom" in page

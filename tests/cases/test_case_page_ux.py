"""The case page as a user meets it (issue 18): human words only (no rule id, no raw UTC timestamp),
the 流程进度条, the tabs, and 提交法制审核 leading to the form that can do it."""
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests import builders
from tests.cases.helpers import v
from tests.review.helpers import major_case
from zhifa.common.models import humanise

pytestmark = pytest.mark.django_db
RULE_ID = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@pytest.fixture
def cw(shared_cw):
    return shared_cw


class _Text(HTMLParser):
    """The text a person sees: character data outside <script>/<style>/<template>, no attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(p.parts)


def client(user):
    c = Client()
    c.force_login(user)
    return c


def assert_human(html, where):
    text = visible(html)
    assert not RULE_ID.search(text), f"{where}: rule id on screen: {RULE_ID.search(text).group(0)!r}"
    assert not ISO_TIME.search(text), f"{where}: raw ISO timestamp on screen"


def test_refused_actions_show_only_the_chinese_message(cw):
    case = major_case(cw)
    c = client(cw["u1"])
    # a stale form on the case page (case.stale)
    r = c.post(reverse("cases-action", args=[case.pk, "record_statement"]),
               {"record_statement-version": v(case) - 1, "record_statement-on": "2026-04-02",
                "record_statement-waived": "on"})
    html = r.content.decode()
    assert "案件已被他人修改" in html and 'data-rule="case.stale"' in html
    assert_human(html, "case page, stale form")
    # the review panel refusing an incomplete packet (review.packet_complete)
    r = c.post(reverse("review-submit", args=[case.pk]),
               {"reviewer": cw["rev"].pk, "expected_version": v(case), "draft_decision": "拟罚款", "facts": "x",
                "evidence_list": "y", "legal_basis": "", "discretion_reasoning": "z", "procedure_record": "p"})
    html = r.content.decode()
    assert r.status_code == 409 and 'data-rule="review.packet_complete"' in html
    assert_human(html, "review panel")
    # the case page itself, with its blocked offers and change log
    for user in ("u1", "unit_head", "head"):
        assert_human(client(cw[user]).get(reverse("cases-detail", args=[case.pk])).content.decode(),
                     f"case page as {user}")
    # the new-case form refusing officers of another entity
    r = c.get(reverse("cases-list"))
    assert_human(r.content.decode(), "case list")


def test_blocked_offers_keep_the_rule_in_an_attribute_only(cw):
    case = builders.case_at(cw, "notified")
    html = client(cw["head"]).get(reverse("cases-detail", args=[case.pk])).content.decode()
    blocked = re.findall(r'<small class="why" data-rule="([a-z_.]+)">([^<]*)</small>', html)
    assert blocked, "the head sees the decision step blocked with its reason"
    for rule, message in blocked:
        assert rule and message.strip() and not RULE_ID.search(message)
    assert_human(html, "head's case page")


def test_change_log_timestamps_in_local_time():
    assert humanise(None, "2026-12-07T02:21:05+00:00") == "2026年12月7日 10:21"
    assert humanise(None, "2026-12-07T02:21:05") == "2026年12月7日 10:21"  # naive = UTC as logged
    assert humanise(None, "2026-12-07") == "2026-12-07"  # a date stays a date


def test_submit_review_goes_to_the_packet_form_once_there_is_a_catalogue(cw):
    with_catalogue = major_case(cw)
    html = client(cw["u1"]).get(reverse("cases-detail", args=[with_catalogue.pk])).content.decode()
    box = re.search(r'id="action-submit_legal_review">(.*?)</div>', html, re.S).group(1)
    assert 'data-jump="submit-packet"' in box and "送审材料" in box
    assert reverse("cases-action", args=[with_catalogue.pk, "submit_legal_review"]) not in html
    panel = client(cw["u1"]).get(reverse("review-case", args=[with_catalogue.pk])).content.decode()
    assert 'id="submit-packet"' in panel


def test_submit_review_keeps_its_own_form_without_a_catalogue(cw):
    case = major_case(cw, with_catalogue=False)
    html = client(cw["u1"]).get(reverse("cases-detail", args=[case.pk])).content.decode()
    assert reverse("cases-action", args=[case.pk, "submit_legal_review"]) in html
    assert 'data-jump="submit-packet"' not in html


def steps(html):
    return re.findall(r'<li class="(done|current|todo|off)" data-state="([a-z_]+)"', html)


def test_progress_bar_follows_the_main_path(cw):
    case = builders.case_at(cw, "legal_review")
    html = client(cw["u1"]).get(reverse("cases-detail", args=[case.pk])).content.decode()
    got = steps(html)
    states = [s for _c, s in got]
    assert states[:3] == ["registered", "filing_pending", "filed"] and states[-1] == "archived"
    assert ("current", "legal_review") in got and ("done", "notified") in got and ("todo", "decided") in got
    assert "hearing" not in states and "not_filed" not in states  # optional steps and exits only when taken
    for tab in ("概况", "当事人", "记录", "文书", "审核", "日志"):
        assert f'role="tab">{tab}</a>' in html


def test_progress_bar_marks_an_exit(cw):
    case = builders.case_at(cw, "not_filed")
    got = steps(client(cw["u1"]).get(reverse("cases-detail", args=[case.pk])).content.decode())
    assert got[-1] == ("off", "not_filed") and ("done", "registered") in got
    assert not any(c == "todo" for c, _s in got)


@pytest.mark.parametrize("kind,state", [("inspection", "inspecting"), ("coercive", "seized"),
                                        ("penalty_simple", "decided")])
def test_progress_bar_other_kinds(cw, kind, state):
    case = builders.case_at(cw, state, kind=kind)
    got = steps(client(cw["u1"]).get(reverse("cases-detail", args=[case.pk])).content.decode())
    assert ("current", state) in got and got[-1][1] == "archived", got

"""A decision on the portal (issue 18): the publication's redacted text in full, never the
unredacted one; the 没收 amount beside the fine; the number found whatever brackets are typed."""
import datetime as dt
import html
import re

import pytest

from tests.disclosure.conftest import decided_case
from zhifa.disclosure import public
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.pipeline import normalise, normalise_number, number_variants


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def published(cw, **kw):
    pub = decided_case(cw, **kw).publication
    return publication_actions.do_approve(pub, acting_user=cw["head"], on=dt.date(2026, 4, 22))


CONFISCATE = {"penalty_kinds": ["fine", "confiscate_gains"], "fine_amount": "5000", "confiscation_amount": "1200"}


def test_decision_page_shows_the_redacted_text_and_the_confiscation(cw, client):
    pub = published(cw, penalty=CONFISCATE)
    assert pub.confiscation_amount == 1200 and pub.confiscation_label == "没收违法所得"
    page = client.get(f"/gs/results/{pub.pk}/").content.decode()
    body = re.search(r'data-testid="decision-body"[^>]*>(.*?)</pre>', page, re.S).group(1)
    assert html.unescape(body) == pub.public_body                           # the stored redacted text, whole
    # the redacted text is there in full (decision, payment, remedy); nothing the redaction hid is
    assert "张某" in body and "没收违法所得（金额人民币1200.00元）" in body and "行政复议" in body
    for hidden in ("张建国", "13985712345", "洪山路18号"):
        assert hidden not in page
    assert 'data-testid="fine-amount">¥5,000.00<' in page
    assert 'data-testid="confiscation-amount">¥1,200.00<' in page
    api = client.get(f"/api/v1/public/decisions/{pub.pk}")
    assert api.status_code == 200 and api.json()["confiscation_amount"] == "1200.00"


def test_no_confiscation_row_without_one(cw, client):
    pub = published(cw)
    page = client.get(f"/gs/results/{pub.pk}/").content.decode()
    assert 'data-testid="confiscation-amount"' not in page and 'data-testid="fine-amount">¥5,000.00<' in page


def test_results_list_uses_the_one_money_format(cw, client):
    published(cw, penalty=CONFISCATE)
    page = client.get("/gs/results/").content.decode()
    assert "罚款 ¥5,000.00" in page and "没收违法所得 ¥1,200.00" in page and "5000.00 元" not in page


@pytest.mark.parametrize("typed", ["{a}〔{y}〕{n}号", "{a}[{y}]{n}号", "{a}({y}){n}号", "{a}（{y}）{n}号",
                                   "{a}［{y}］{n}号", "{a}【{y}】{n}号", " {a} ( {y} ) {n} 号 ", "{a}（２０２６）{n}号"])
def test_decision_number_found_with_any_brackets(cw, client, typed):
    pub = published(cw)
    m = re.fullmatch(r"(.+)〔(\d{4})〕(\d+)号", pub.decision_number)
    assert m, pub.decision_number
    a, y, n = m.groups()
    q = typed.format(a=a, y=y, n=n)
    page = client.get("/gs/results/", {"q": q}).content.decode()
    assert "共 1 条" in page and f"/gs/results/{pub.pk}/" in page
    assert normalise(q) == normalise(pub.decision_number)


def test_number_normalisation_both_sides():
    assert normalise_number("七市监罚[2026]12号") == "七市监罚〔2026〕12号"
    assert normalise_number("七市监罚（２０２６）１２号") == "七市监罚〔2026〕12号"
    assert normalise("七市监罚 [2026] 12号") == normalise("七市监罚〔2026〕12号")
    assert "七市监罚[2026]12号" in number_variants("七市监罚〔2026〕12号")


def test_party_view_finds_the_case_by_its_number_with_other_brackets(cw, client):
    from zhifa.disclosure.pipeline import access_code

    case = decided_case(cw)
    typed = case.number.replace("〔", "(").replace("〕", ")")
    assert public.party_view(typed, access_code(case)) is not None

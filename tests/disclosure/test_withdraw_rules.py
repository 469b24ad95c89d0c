"""Taking a published decision off the portal (撤下公示) needs a statutory ground from the list
(行政处罚法 art. 48: changed, revoked, confirmed illegal or void; 政府信息公开条例: not to be
disclosed; SAMR 公示规定 art. 12: wrong content to correct) and the agency head: a unit head alone is
refused (withdrawal.agency_head). Each rule has a test that fails when it is dropped."""
import pytest

from tests.disclosure.conftest import decided_case
from zhifa.common.actions import ActionRefused
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.choices import WITHDRAW_GROUNDS
from zhifa.disclosure.models import Publication
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw):
    return shared_cw


@pytest.fixture
def published(cw):
    return publication_actions.do_approve(decided_case(cw).publication, acting_user=cw["head"])


def refused(rule, **kw):
    pub = kw.pop("pub")
    with pytest.raises(ActionRefused) as e:
        publication_actions.do_withdraw(pub, **kw)
    assert e.value.rule == rule, e.value
    assert Publication.objects.get(pk=pub.pk).state == Publication.State.PUBLISHED


def test_unit_head_alone_is_refused(cw, published):
    from zhifa.common.scope import can

    assert can(cw["unit_head"], "change", published)  # in scope: only the role rule stops it
    refused("withdrawal.agency_head", pub=published, acting_user=cw["unit_head"], ground="revoked",
            public_reason="原处罚决定已被撤销")


def test_a_statutory_ground_is_required(cw, published):
    refused("withdrawal.statutory_ground", pub=published, acting_user=cw["head"], public_reason="领导要求撤下")
    refused("withdrawal.statutory_ground", pub=published, acting_user=cw["head"], ground="pressure",
            public_reason="领导要求撤下")


@pytest.mark.parametrize("ground", sorted(WITHDRAW_GROUNDS))
def test_each_ground_withdraws_and_is_ledgered(cw, published, ground):
    pub = publication_actions.do_withdraw(published, acting_user=cw["head"], ground=ground,
                                          public_reason="依法撤下该公示信息")
    assert pub.state == Publication.State.WITHDRAWN and pub.withdrawal_ground == ground
    assert f'"ground":"{ground}"' in LedgerEntry.objects.get(seq=pub.withdrawal_seq).body


def test_the_flagged_ground_counts(cw, published):
    import datetime as dt

    publication_actions.do_flag_withdrawal(published, acting_user=cw["unit_head"], ground="illegal",
                                           occurred_on=dt.date(2026, 5, 6))
    pub = publication_actions.do_withdraw(published, acting_user=cw["head"], public_reason="决定被确认违法")
    assert pub.withdrawal_ground == "illegal"


def test_staff_page_offers_the_grounds(cw, published, client):
    client.force_login(cw["head"])
    html = client.get(f"/disclosure/{published.pk}/").content.decode()
    assert 'data-testid="withdraw-ground"' in html and "公示内容有误需更正" in html
    client.post(f"/disclosure/{published.pk}/", {"op": "withdraw", "ground": "erroneous", "public_reason": "公示内容有误"})
    assert Publication.objects.get(pk=published.pk).state == Publication.State.WITHDRAWN

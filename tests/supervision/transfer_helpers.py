"""Data for the transfer and guidance tests."""
import datetime as dt

from tests import factories
from tests.cases.helpers import v
from zhifa.cases import actions as CA
from zhifa.common.roles import Role
from zhifa.ledger.models import LedgerEntry


def heads(w):
    """Agency heads of the environment bureau (same county) and of 大方 (another county)."""
    if "hbj_head" not in w:
        w["hbj_head"] = factories.user(Role.AGENCY_HEAD, w["hbj"], None, "hbjhead")
        w["df_head"] = factories.user(Role.AGENCY_HEAD, w["df"], None, "dfhead")
        w["zy_sup"] = factories.user(Role.SUPERVISOR, factories.entity(w["regions"]["other_city"], "遵义市司法局",
                                                                        justice=True, short_code="遵司"), None, "zysup")
    return w


def transferred(w, to, *, on=dt.date(2026, 3, 3)):
    """A registered case of 七星关区市场监督管理局 transferred to entity `to` (by its full name)."""
    case = factories.case(w)
    CA.do_transfer(case, transfer_kind="agency", transfer_to=to.name, reason="违法行为属于生态环境部门管辖",
                   acting_user=w["head"], expected_version=v(case), on=on)
    case.refresh_from_db()
    return case, case.agency_transfers.get()


def events(case=None, prefix=""):
    qs = LedgerEntry.objects.filter(event_type__startswith=prefix)
    if case is not None:
        qs = qs.filter(case_id=case.pk)
    return list(qs.order_by("seq").values_list("event_type", flat=True))


def closed_case(w, **data):
    """A decided, served and closed penalty case (with a fine left unpaid, noted at closing)."""
    from tests.cases.helpers import decide, to_notified

    case = factories.case(w, **data)
    to_notified(w, case)
    decide(w, case, dt.date(2026, 4, 20))
    CA.do_serve_decision(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 21))
    CA.do_close(case, acting_user=w["head"], expected_version=v(case), on=dt.date(2026, 5, 20),
                execution_note="已申请人民法院强制执行")
    case.refresh_from_db()
    return case


def published_guidance(w):
    """A published guiding case made from a closed case whose party is a natural person."""
    from zhifa.guidance import actions as guidance_actions

    party = factories.person_party("周志强", phone="13685719876", address="七星关区招商花园7栋2单元602室")
    case = closed_case(w, party=party, facts="当事人周志强（电话13685719876）在七星关区招商花园7栋2单元602室销售过期食品。")
    sup = w["sup_county"]
    g = guidance_actions.do_select_guidance(case, acting_user=sup)
    g = guidance_actions.do_edit_guidance(g, acting_user=sup, title="销售超过保质期食品的认定", body=g.body,
                           key_points="超过保质期的食品不论是否变质均不得销售", significance="统一此类案件的处理尺度")
    return guidance_actions.do_publish_guidance(g, acting_user=sup)

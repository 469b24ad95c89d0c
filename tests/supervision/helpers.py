"""Cases for the supervision tests."""
import datetime as dt
from decimal import Decimal

from tests import factories
from tests.cases.helpers import to_investigating
from zhifa.cases.deadlines import PARTY_WINDOWS
from zhifa.cases.machine import TERMINAL_STATES
from zhifa.common.roles import Role
from zhifa.supervision import figures


def overdue_case(w, filed=dt.date(2026, 3, 3)):
    """A case of 七星关区市场监督管理局 filed on `filed`: its decision deadline (90 days) is 2026-06-01."""
    return to_investigating(w, factories.case(w), filed=filed)


def other_county_case(w):
    """A case of 大方县市场监督管理局 (another county of the same city)."""
    from zhifa.cases.actions import do_register_case

    lead = factories.certified_officer(w["df"], None, "大方甲", login_role=Role.OFFICER)
    assist = factories.certified_officer(w["df"], None, "大方乙")
    sfj = factories.entity(w["regions"]["county2"], "大方县司法局", justice=True, short_code="大司")
    item = factories.published_power_item(w["df"], confirmer=factories.user(Role.SUPERVISOR, sfj, None, "supdf"))
    on = dt.date(2026, 3, 2)
    return do_register_case({"entity": w["df"], "title": "无证经营案", "source": "complaint",
                             "violation_on": on - dt.timedelta(days=30), "discovered_on": on},
                            acting_user=lead.user, parties=[factories.person_party()],
                            officers=[(lead, "lead"), (assist, "assist")], power_items=[item], on=on)


def one_by_one(cases, today):
    """The figures computed case by case in Python, the slow obvious way."""
    out = dict.fromkeys(figures.metrics(today), 0)
    fines = Decimal(0)
    for c in cases:
        deadlines = list(c.deadlines.all())
        checks = {"all": True, "open": c.state not in TERMINAL_STATES, "finished": c.state in TERMINAL_STATES,
                  "decided": c.decided_on is not None, "fined": c.decided_on is not None and (c.fine_amount or 0) > 0,
                  "hearing": c.hearing_held_on is not None, "reviewed": c.reviews.exists(),
                  "published": getattr(getattr(c, "publication", None), "published_on", None) is not None,
                  # a party's own window (陈述申辩, 听证申请) lapsing is no breach by the agency
                  "overdue": any(d.state == "breached" or (d.state == "running" and d.known and d.due_on < today)
                                 for d in deadlines if d.kind not in PARTY_WINDOWS)}
        for kind in ("penalty_general", "penalty_simple", "inspection", "coercive"):
            checks[kind] = c.kind == kind
        for k, ok in checks.items():
            out[k] += bool(ok)
        if checks["fined"]:
            fines += c.fine_amount
    out["fines"] = fines
    return out

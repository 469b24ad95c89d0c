"""A major case in an entity with a review catalogue, walked to 已事先告知 with evidence on file."""
import datetime as dt
from decimal import Decimal

import pytest

from tests.builders import case_at, take
from tests.cases.helpers import v
from zhifa.cases import actions as case_actions
from zhifa.common.actions import ActionRefused
from zhifa.review import actions as review_actions
from zhifa.review.catalogue import packet_defaults
from zhifa.review.models import CHECKLIST

SUBMIT_ON, REVIEW_ON, DECIDE_ON = dt.date(2026, 4, 3), dt.date(2026, 4, 7), dt.date(2026, 4, 10)
FACTS = "2026年1月31日，当事人在其经营场所销售超过保质期的食品。"
BASIS = "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"
PACKET = {"discretion_reasoning": "初次违法，货值较小，按一般档位处罚。"}
ALL_OK = {k: {"status": "ok", "note": ""} for k, _l in CHECKLIST}


def problems(**notes):
    return {**ALL_OK, **{k: {"status": "problem", "note": n} for k, n in notes.items()}}


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, (e.value.rule, e.value.message)
    return e.value


def catalogue(cw, **kw):
    data = {"fine_threshold_citizen": Decimal("3000"), "fine_threshold_org": Decimal("50000"), **kw}
    return review_actions.do_save_catalogue(cw["smj"], data, acting_user=cw["admin"])


def evidence(cw, case, title="现场检查笔录"):
    from zhifa.records.actions import do_add_record

    return do_add_record(case, acting_user=cw["u1"], title=title, collectors=[cw["h1"], cw["h2"]],
                         text="现场发现超过保质期食品12袋。", proves="销售过期食品")


def major_case(cw, *, with_catalogue=True, with_evidence=True, **penalty):
    if with_catalogue:
        catalogue(cw)
    case = case_at(cw, "notified", details={"facts": FACTS, "legal_basis": BASIS}, penalty=penalty or None)
    take(cw, case, "record_statement", on=dt.date(2026, 4, 2))  # the party waives
    if with_evidence:
        evidence(cw, case)
    return case


def submit(cw, case, on=SUBMIT_ON, user=None, reviewer=None, note="", **over):
    packet = {**packet_defaults(case), **PACKET, **over}
    return review_actions.do_submit_packet(case, reviewer=reviewer or cw["rev"], packet=packet, acting_user=user or cw["u1"],
                              expected_version=v(case), correction_note=note, on=on)


def review(cw, case, outcome="agree", version=None, checklist=None, on=REVIEW_ON, user=None, corrections=None):
    from zhifa.review.gate import latest_packet

    checklist = checklist or (ALL_OK if outcome == "agree" else problems(facts="证据清单缺少抽样检验报告"))
    return review_actions.do_review(case, outcome=outcome, packet_version=version or latest_packet(case).version,
                       checklist=checklist, opinion="经审核，" + ("同意" if outcome == "agree" else "存在问题"),
                       corrections=corrections if corrections is not None else
                       ("" if outcome == "agree" else "补充抽样检验报告"),
                       acting_user=user or cw["rev"], expected_version=v(case), on=on)


def decide(cw, case, on=DECIDE_ON, user=None):
    return case_actions.do_decide(case, acting_user=user or cw["head"], expected_version=v(case), on=on)


def correct(cw, case, facts, on=dt.date(2026, 4, 8)):
    """The handler corrects the proposal's facts (same penalty: the notice stands)."""
    return case_actions.do_propose(case, acting_user=cw["u1"], expected_version=v(case), on=on, penalty_kinds=["warning", "fine"],
                        fine_amount=Decimal("5000"), facts=facts, legal_basis=BASIS)


def footprint(case):
    """What a refusal must leave as it was."""
    from zhifa.cases.models import Deadline, LegalReview
    from zhifa.review.models import Opinion, Packet

    case.refresh_from_db()
    return (case.version, case.state, LegalReview.objects.filter(case=case).count(),
            Packet.objects.filter(case=case).count(), Opinion.objects.filter(review__case=case).count(),
            Deadline.objects.filter(case=case).count())

"""A case in any state of the case machine (zhifa/cases/machine.py), built through the real actions.

    case_at(w, "decided")                      # 案源登记 … 事先告知, statement waived, 决定
    case_at(w, "decided", hearing=True)        # … 听证 requested, noticed, held; 法制审核; 决定
    case_at(w, "archived", from_state="revoked", dates={"revoke": dt.date(2026, 3, 20)})
    case_at(w, "closed", kind=Kind.COERCIVE)   # 查封扣押 → 解除 → 结案

`w` is a case world (tests.factories.world + case_world; the `cw` fixture). Each kind has one main
line, the shortest lawful way through its procedure; a state is reached by walking the line until
the case is in it. The line takes a detour only where the state lies on it (听证, 法制审核,
集体讨论, an exit), where the law requires it for the case's flags (a complex case is reviewed and
discussed), or when asked (hearing=, review=, discussion=). Every step runs its `do_*` action on a
fixed day of 2026 (DAYS; never before the case's last action), so guards, due dates and document
numbers come out as in a real case; nothing writes the state field.

`advance(w, case, state)` continues an existing case along the same line, `take(w, case, name)`
runs one transition with lawful defaults (any payload, `on` or `acting_user` overridden), and
`route(kind, state)` names the steps without running them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests import factories
from zhifa.cases import actions as case_actions
from zhifa.cases import machine
from zhifa.cases.models import Case, Kind
from zhifa.documents.archive import generate_missing
from zhifa.review import actions as review_actions
from zhifa.review.catalogue import current_catalogue, packet_defaults
from zhifa.review.models import CHECKLIST, Packet

GENERAL, SIMPLE, INSPECTION, COERCIVE = Kind.PENALTY_GENERAL, Kind.PENALTY_SIMPLE, Kind.INSPECTION, Kind.COERCIVE

PENALTY = {"penalty_kinds": ["warning", "fine"], "fine_amount": "5000"}
HEARING_PENALTY = {"penalty_kinds": ["fine"], "fine_amount": "20000"}  # ≥ 10 000 yuan for a citizen: Art. 63
REVIEW_FLAGS = ("major_public_interest", "complex", "law_requires_review")  # Art. 58 grounds
DISCUSSION_FLAGS = ("complex", "major_violation")  # Art. 57
EXITS = {"not_filed": "not_file", "revoked": "revoke", "transferred": "transfer"}
ATTENDEES = [{"name": "张局长", "title": "局长", "view": "同意拟处理意见"},
             {"name": "李副局长", "title": "副局长", "view": "同意"}]
CHECKLIST_OK = {key: {"status": "ok", "note": ""} for key, _label in CHECKLIST}

# The day each step is taken (2026, inside chinesecalendar's data: the periods are known).
DAYS = {
    "register": dt.date(2026, 3, 2), "file_case": dt.date(2026, 3, 2), "approve_filing": dt.date(2026, 3, 3),
    "start_investigation": dt.date(2026, 3, 3), "propose": dt.date(2026, 4, 1),
    # notice served Thu 2 April: the 5 working days for a statement or a hearing request end 10 April (清明)
    "serve_notice": dt.date(2026, 4, 2), "record_statement": dt.date(2026, 4, 3),
    "request_hearing": dt.date(2026, 4, 8), "waive_hearing": dt.date(2026, 4, 8),
    "schedule_hearing": dt.date(2026, 4, 9), "hold_hearing": dt.date(2026, 4, 20),  # 7 working days' notice
    "submit_legal_review": dt.date(2026, 4, 21), "review_pass": dt.date(2026, 4, 22),
    "review_fail": dt.date(2026, 4, 22), "hold_collective_discussion": dt.date(2026, 4, 22),
    "decide": dt.date(2026, 4, 23), "serve_decision": dt.date(2026, 4, 24), "record_payment": dt.date(2026, 5, 8),
    "close": dt.date(2026, 5, 11), "archive": dt.date(2026, 5, 12),
    "not_file": dt.date(2026, 3, 3), "extend_filing": dt.date(2026, 3, 5), "revoke": dt.date(2026, 3, 4), "transfer": dt.date(2026, 3, 3),
    "assign_officers": dt.date(2026, 3, 3), "record_recusal": dt.date(2026, 3, 3),
    "extend_decision_period": dt.date(2026, 5, 20), "suspend": dt.date(2026, 3, 10), "resume": dt.date(2026, 3, 20),
    # the other kinds
    "on_the_spot_penalty": dt.date(2026, 3, 2), "file_simple_record": dt.date(2026, 3, 3),
    "plan_inspection": dt.date(2026, 3, 2), "start_inspection": dt.date(2026, 3, 3),
    "record_inspection_result": dt.date(2026, 3, 3), "open_penalty_case": dt.date(2026, 3, 4),
    "seize": dt.date(2026, 3, 2), "approve_seizure": dt.date(2026, 3, 2), "refuse_seizure": dt.date(2026, 3, 2),
    "extend_seizure": dt.date(2026, 3, 30), "release_seizure": dt.date(2026, 3, 10),
    "convert_seizure": dt.date(2026, 3, 10),
}


@dataclass
class Options:
    """How the case is built (see case_at)."""

    hearing: bool = False
    review: bool = False
    discussion: bool = False
    penalty: dict | None = None        # the proposed penalty (PENALTY; HEARING_PENALTY with hearing)
    details: dict = field(default_factory=dict)  # more for do_propose: facts, legal_basis, complex …
    from_state: str | None = None      # where an exit (不予立案, 撤销, 移送) is taken; archived: which end
    problems_found: bool = False       # inspection: the result records problems
    dates: dict = field(default_factory=dict)  # {step: day} instead of DAYS

    def __post_init__(self):
        if self.hearing or any(self.details.get(f) for f in REVIEW_FLAGS):
            self.review = True
        if any(self.details.get(f) for f in DISCUSSION_FLAGS):
            self.discussion = True

    @property
    def proposed_penalty(self) -> dict:
        return self.penalty or (HEARING_PENALTY if self.hearing else PENALTY)


# ---- the lines ---------------------------------------------------------------------------------
def _general_line(opts: Options) -> list[str]:
    line = ["register", "file_case", "approve_filing", "start_investigation", "propose", "serve_notice"]
    line += ["request_hearing", "schedule_hearing", "hold_hearing"] if opts.hearing else ["record_statement"]
    if opts.review:
        line += ["submit_legal_review", "review_pass"]
    if opts.discussion:
        line += ["hold_collective_discussion"]
    line += ["decide", "serve_decision"]
    if "fine" in opts.proposed_penalty.get("penalty_kinds", ()):
        line += ["record_payment"]
    return [*line, "close", "archive"]


def _coercive_line(opts: Options) -> list[str]:
    return ["seize", "approve_seizure", "convert_seizure" if opts.from_state == "converted" else "release_seizure", "close", "archive"]


LINES: dict[str, Callable[[Options], list[str]]] = {
    GENERAL: _general_line,
    SIMPLE: lambda opts: ["on_the_spot_penalty", "file_simple_record", "archive"],
    INSPECTION: lambda opts: ["plan_inspection", "start_inspection", "record_inspection_result", "close", "archive"],
    COERCIVE: _coercive_line,
}
# What reaching a state implies about the line (the state lies on a detour).
IMPLIED = {
    (GENERAL, "hearing"): {"hearing": True},
    (GENERAL, "legal_review"): {"review": True},
    (GENERAL, "reviewed"): {"review": True},
    (GENERAL, "collective_discussion"): {"discussion": True},
    (COERCIVE, "converted"): {"from_state": "converted"},
}


def _states_along(kind: str, steps: list[str]) -> list[str]:
    """The state after each step (the machine's targets)."""
    table, state, out = machine.transitions(kind), "", []
    for name in steps:
        state = machine.target_of(table[name], state)
        out.append(state)
    return out


def _prefix_to(kind: str, line: list[str], state: str) -> list[str]:
    states = _states_along(kind, line)
    if state not in states:
        raise ValueError(f"{kind}: {state!r} is not on the line {line}")
    return line[:states.index(state) + 1]


def _exit_route(kind: str, line: list[str], exit_step: str, from_state: str | None) -> list[str]:
    sources = machine.transitions(kind)[exit_step].sources
    states = _states_along(kind, line)
    start = from_state or next(s for s in states if s in sources)
    if start not in sources:
        raise ValueError(f"{exit_step} cannot be taken from {start!r}")
    return [*_prefix_to(kind, line, start), exit_step]


def route(kind: str, state: str, opts: Options | None = None, **options: Any) -> list[str]:
    """The steps (transition names) from nothing to `state`."""
    opts = opts or options_for(kind, state, **options)
    if state not in machine.STATES[kind]:
        raise ValueError(f"{kind} has no state {state!r}")
    line = LINES[kind](opts)
    if kind == GENERAL and state in EXITS:
        return _exit_route(kind, line, EXITS[state], opts.from_state)
    if kind == COERCIVE and state == "not_approved":
        return ["seize", "refuse_seizure"]
    if kind == GENERAL and state == "archived" and opts.from_state in EXITS:
        return [*_exit_route(kind, line, EXITS[opts.from_state], None), "archive"]
    return _prefix_to(kind, line, state)


OPTION_NAMES = frozenset(Options.__dataclass_fields__)


def options_for(kind: str, state: str, **options: Any) -> Options:
    """The Options for reaching `state` (other keywords, the case's own fields, are left out)."""
    given = {k: v for k, v in options.items() if k in OPTION_NAMES}
    return Options(**{**IMPLIED.get((kind, state), {}), **given})


# ---- the steps ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One transition taken lawfully: the action, who takes it, and the payload it needs."""

    action: Callable[..., Case]
    actor: str                                   # key of the acting user in the world
    payload: Callable[[dict, Case, Options], dict] = lambda w, case, opts: {}


def _review_pass(case, **kwargs):
    """法制审核同意: on the pending packet's checklist when a packet was submitted (catalogue entities)."""
    pending = Packet.objects.filter(review__case=case, review__outcome="").order_by("-version").first()
    if pending is None:
        return case_actions.do_record_legal_review(case, outcome="agree", **kwargs)
    opinion = kwargs.pop("opinion")
    return review_actions.do_review(case, outcome="agree", packet_version=pending.version, checklist=CHECKLIST_OK,
                                    opinion=opinion, **kwargs)


def _submit(case, *, reviewer, **kwargs):
    """提交法制审核, with the 送审材料 drawn from the case when the entity keeps a review catalogue."""
    if current_catalogue(case.entity_id) is None:
        return case_actions.do_submit_legal_review(case, reviewer=reviewer, **kwargs)
    packet = {**packet_defaults(case), "discretion_reasoning": "初次违法，按一般档位处罚。"}
    return review_actions.do_submit_packet(case, reviewer=reviewer, packet=packet, **kwargs)


def _discuss(case, **kwargs):
    return review_actions.do_hold_discussion(case, **{"trigger": "art57", "attendees": ATTENDEES,
                                                      "minutes": "讨论了违法事实、证据和处罚幅度",
                                                      "conclusion": "同意拟处理意见", **kwargs})


# What the officer types into the documents' forms when the case has not given it (the evidence list).
PARTY_ADDRESS = "贵州省毕节市七星关区洪山路1号"
ARCHIVE_EXTRA = {"penalty_notice": {"evidence": "1. 现场检查笔录；2. 询问笔录；3. 现场照片"},
                 "penalty_decision": {"evidence": "1. 现场检查笔录；2. 询问笔录；3. 现场照片"},
                 "inspection_record": {"place": PARTY_ADDRESS},
                 "hearing_notice": {"hearing_time": "上午9时30分", "hearing_place": "本局听证室"}}
CASE_DEFAULTS = {"facts": "当事人在其经营场所销售超过保质期的食品。"}
COERCIVE_DEFAULTS = {"facts": "当事人仓库存放的奶粉已超过保质期，有证据可能被转移。",
                     "legal_basis": "《中华人民共和国食品安全法》第一百一十条第（二）项"}


def _completed(action):
    """The step, then the documents the case's path requires so far (as the officer generates them
    along the way), so a finished case can be archived (rule archive.documents_complete)."""
    def run(case, *, acting_user, **kwargs):
        case = action(case, acting_user=acting_user, **kwargs)
        lead = case.officers.filter(active=True, officer__user__isnull=False).order_by("role", "id").first()
        generate_missing(case, acting_user=lead.officer.user if lead else acting_user, extra=ARCHIVE_EXTRA)
        return case
    return run


def _fine(case) -> Any:
    case.refresh_from_db()
    return case.fine_amount


STEPS: dict[str, dict[str, Step]] = {
    GENERAL: {
        "assign_officers": Step(case_actions.do_assign_officers, "unit_head",
                                lambda w, case, opts: {"officers": [(w["h3"], "assist")]}),
        "record_recusal": Step(case_actions.do_record_recusal, "head",
                               lambda w, case, opts: {"officer": w["h2"], "decision": "refused",
                                                      "reason": "当事人申请回避，理由不成立"}),
        "file_case": Step(case_actions.do_file_case, "u1"),
        "approve_filing": Step(case_actions.do_approve_filing, "unit_head"),
        "not_file": Step(case_actions.do_not_file, "unit_head", lambda w, case, opts: {"reason": "违法事实不能成立"}),
        "extend_filing": Step(case_actions.do_extend_filing, "head", lambda w, case, opts: {"reason": "需检验检测"}),
        "start_investigation": Step(case_actions.do_start_investigation, "u1"),
        "propose": Step(case_actions.do_propose, "u1",
                        lambda w, case, opts: {**opts.proposed_penalty, **opts.details}),
        "serve_notice": Step(case_actions.do_serve_notice, "u1"),
        "record_statement": Step(case_actions.do_record_statement, "u1", lambda w, case, opts: {"waived": True}),
        "request_hearing": Step(case_actions.do_request_hearing, "u1"),
        "waive_hearing": Step(case_actions.do_waive_hearing, "u1"),
        "schedule_hearing": Step(case_actions.do_schedule_hearing, "u1",
                                 lambda w, case, opts: {"hearing_on": opts.dates.get("hold_hearing",
                                                                                     DAYS["hold_hearing"]),
                                                        "chair": w["h3"]}),
        "hold_hearing": Step(case_actions.do_hold_hearing, "u3",
                             lambda w, case, opts: {"record": "当事人到场陈述、申辩"}),
        "submit_legal_review": Step(_submit, "u1", lambda w, case, opts: {"reviewer": w["rev"]}),
        "review_pass": Step(_review_pass, "rev", lambda w, case, opts: {"opinion": "事实清楚，证据确凿，程序合法"}),
        "review_fail": Step(case_actions.do_record_legal_review, "rev",
                            lambda w, case, opts: {"outcome": "problems", "opinion": "证据不足，请补充调查"}),
        "hold_collective_discussion": Step(_discuss, "head"),
        "extend_decision_period": Step(case_actions.do_extend_decision_period, "head",
                                       lambda w, case, opts: {"days": 30, "kind": "head", "reason": "案情复杂"}),
        "suspend": Step(case_actions.do_suspend, "head", lambda w, case, opts: {"reason": "当事人下落不明"}),
        "resume": Step(case_actions.do_resume, "head"),
        "decide": Step(case_actions.do_decide, "head"),
        "serve_decision": Step(case_actions.do_serve_decision, "u1"),
        "record_payment": Step(case_actions.do_record_payment, "u1", lambda w, case, opts: {"amount": _fine(case)}),
        "close": Step(_completed(case_actions.do_close), "unit_head"),
        "revoke": Step(_completed(case_actions.do_revoke), "head", lambda w, case, opts: {"reason": "违法事实不能成立"}),
        "transfer": Step(_completed(case_actions.do_transfer), "head",
                         lambda w, case, opts: {"transfer_kind": "agency", "transfer_to": w["hbj"].name,
                                                "reason": "违法行为属于生态环境部门管辖"}),
        "archive": Step(case_actions.do_archive, "u1"),
    },
    SIMPLE: {
        "file_simple_record": Step(case_actions.do_file_simple_record, "u1"),
        "archive": Step(case_actions.do_archive, "u1"),
    },
    INSPECTION: {
        "assign_officers": Step(case_actions.do_assign_officers, "unit_head",
                                lambda w, case, opts: {"officers": [(w["h3"], "assist")]}),
        "start_inspection": Step(case_actions.do_start_inspection, "u1"),
        "record_inspection_result": Step(case_actions.do_record_inspection_result, "u1",
                                         lambda w, case, opts: {"result": "销售过期食品" if opts.problems_found
                                                                else "经营场所卫生状况良好，进货查验记录完整。",
                                                                "problems_found": opts.problems_found}),
        "open_penalty_case": Step(case_actions.do_open_penalty_case, "u1"),
        "close": Step(_completed(case_actions.do_close), "u1"),
        "archive": Step(case_actions.do_archive, "u1"),
    },
    COERCIVE: {
        "approve_seizure": Step(case_actions.do_approve_seizure, "head"),
        "refuse_seizure": Step(case_actions.do_refuse_seizure, "head", lambda w, case, opts: {"reason": "证据不足"}),
        "extend_seizure": Step(case_actions.do_extend_seizure, "head", lambda w, case, opts: {"reason": "需检验检测"}),
        "release_seizure": Step(case_actions.do_release_seizure, "u1"),
        "convert_seizure": Step(case_actions.do_convert_seizure, "u1"),
        "close": Step(_completed(case_actions.do_close), "u1"),
        "archive": Step(case_actions.do_archive, "u1"),
    },
}


# ---- the first step of each kind ---------------------------------------------------------------
def _officers(w, officers):
    return officers if officers is not None else [(w["h1"], "lead"), (w["h2"], "assist")]


def create(w, kind: str = GENERAL, *, opts: Options | None = None, on: dt.date | None = None, acting_user=None,
           party=None, officers=None, **data) -> Case:
    """The kind's first transition (案源登记, 当场处罚, 检查计划, 提请查封扣押) with lawful defaults; `data`
    goes into the case's fields (a seizure request then waits for the head: approve_seizure)."""
    opts = opts or Options()
    first = LINES[kind](opts)[0]
    on = on or opts.dates.get(first, DAYS[first])
    base = {"entity": w["smj"], "unit": w["smj_unit"]}
    if kind == GENERAL:
        return factories.case(w, on=on, party=party or factories.person_party(address=PARTY_ADDRESS),
                              officers=officers, acting_user=acting_user, **{**CASE_DEFAULTS, **data})
    if kind == SIMPLE:
        return case_actions.do_on_the_spot_penalty(
            {**base, "title": "占道经营", "penalty_kinds": ["fine"], "fine_amount": "50", **data},
            place="七星关区洪山路", party=party or factories.person_party(), officers=_officers(w, officers),
            acting_user=acting_user or w["u1"], on=on)
    if kind == INSPECTION:
        return case_actions.do_plan_inspection(
            {**base, "title": "食品经营日常检查", **data}, parties=[party or factories.org_party(address=PARTY_ADDRESS)],
            officers=_officers(w, officers), acting_user=acting_user or w["unit_head"], on=on)
    return case_actions.do_seize(
        {**base, "title": "扣押涉嫌过期食品", **COERCIVE_DEFAULTS, **data}, measure="seize",
        items=[{"name": "过期奶粉", "qty": 20, "unit": "罐"}],
        party=party or factories.org_party(address=PARTY_ADDRESS), officers=_officers(w, officers), acting_user=acting_user or w["u1"],
        on=on)


# ---- walking -----------------------------------------------------------------------------------
def version(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def take(w, case: Case, name: str, *, opts: Options | None = None, on: dt.date | None = None, acting_user=None,
         **payload: Any) -> Case:
    """Run transition `name` on `case` the lawful way (its actor, its day, its payload), any of them
    overridden; refusals (ActionRefused) pass through."""
    opts = opts or Options()
    step = STEPS[case.kind][name]
    current = version(case)
    day = opts.dates.get(name, DAYS[name])
    on = on or max(day, case.last_action_on or day)
    step.action(case, acting_user=acting_user or w[step.actor], expected_version=current, on=on,
                **{**step.payload(w, case, opts), **payload})
    case.refresh_from_db()
    return case


def advance(w, case: Case, state: str, **options: Any) -> Case:
    """Continue `case` along its kind's line (the same options as case_at) until it is in `state`."""
    opts = options_for(case.kind, state, **options)
    steps = route(case.kind, state, opts)
    states = _states_along(case.kind, steps)
    if case.state not in states:
        raise ValueError(f"{case.state!r} is not on the way to {state!r}: {steps}")
    for name in steps[states.index(case.state) + 1:]:
        take(w, case, name, opts=opts)
    return case


def case_at(w, state: str, *, kind: str = GENERAL, party=None, officers=None, **options: Any) -> Case:
    """A new case of `kind` in `state`. Options: hearing, review, discussion, penalty, details,
    from_state, problems_found, dates (see Options); any other keyword is a field of the first
    transition's data (title, facts, legal_basis, discovered_on …)."""
    opts = options_for(kind, state, **options)
    data = {k: v for k, v in options.items() if k not in OPTION_NAMES}
    case = create(w, kind, opts=opts, party=party, officers=officers, **data)
    return advance(w, case, state, **{k: v for k, v in options.items() if k in OPTION_NAMES})


def every_state() -> list[tuple[str, str]]:
    """(kind, state) for every state of every kind's machine."""
    return [(kind, state) for kind, states in machine.STATES.items() for state in states]

"""From an issued decision to a queued Publication: the decision text, its proposed redaction and
its due date on the legal calendar.

Due dates (settings.ZHIFA_PUBLICITY_DAYS, per kind, working days from the decision date):
7 for permits and penalties, 20 for other decisions (国办发〔2018〕118号); withdrawal within
settings.ZHIFA_WITHDRAWAL_DAYS working days (3, 行政处罚法 Art. 48 (2)).
Not published by default: warning-only penalties and cases with a minor party.
"""
from __future__ import annotations

import re

from django.conf import settings

from zhifa.accounts import links
from zhifa.cases.models import PenaltyKind
from zhifa.common.actions import log_change
from zhifa.common.models import ChangeLog
from zhifa.disclosure import redact, search
from zhifa.disclosure.models import Publication
from zhifa.legalcal import pending
from zhifa.legalcal.periods import add_working_days

DEFAULT_DAYS = {"penalty": 7, "permit": 7, "other": 20, "inspection": 20, "coercive": 20}
DECISION_TRANSITIONS = {"decide"}
# Other enforcement results published the same way (issue 18): an inspection's result when the
# inspection ends, a 查封/扣押 decision when the head approves it (118号: 行政执法决定 within 20 working days).
RESULT_TRANSITIONS = {"inspection": {"close"}, "coercive": {"approve_seizure"}}
TITLES = {"inspection": "行政检查结果", "coercive": "行政强制决定", "permit": "行政许可决定"}


def publicity_days(kind: str) -> int:
    return {**DEFAULT_DAYS, **getattr(settings, "ZHIFA_PUBLICITY_DAYS", {})}[kind]


def withdrawal_days() -> int:
    return int(getattr(settings, "ZHIFA_WITHDRAWAL_DAYS", 3))


def due_after(start, n):
    """(due date, None) — or (None, the year it waits for) when the period runs into a year
    without calendar data (a pending due date, computed when that year is entered)."""
    return pending.split(add_working_days(start, n))


ACCESS_SALT = links.CASE_ACCESS_SALT


def access_code(case) -> str:
    """The 8-character code printed on the party's documents (办理动态: the party's own view), a MAC
    under the current link key (zhifa.accounts.links; never SECRET_KEY)."""
    return links.case_access_code(case.pk)


def access_code_matches(case, code: str) -> bool:
    """The code under the current or an older link key (codes printed before a rotation still work
    until the old key is removed)."""
    return links.matches(ACCESS_SALT, str(case.pk), (code or "").strip().upper(), 8, upper=True)


# Brackets people type around a document number's year (七市监罚[2026]12号, (2026), （2026）, 【2026】…)
# and full-width digits and letters: all read as the official 〔〕 and ASCII, on both sides of a search.
_BRACKETS = str.maketrans({**dict.fromkeys("[(（［【〖<《", "〔"), **dict.fromkeys("])）］】〗>》", "〕"),
                           **{chr(0xFF10 + i): str(i) for i in range(10)},
                           **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
                           **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}})


def normalise_number(text: str) -> str:
    """A document or case number as typed → its canonical form: no whitespace (full-width included),
    〔〕 around the year whatever brackets were typed, ASCII digits."""
    return re.sub(r"\s+", "", (text or "").translate(_BRACKETS))


def normalise(text: str) -> str:
    """The search column: lower case, no whitespace (so that 1–2 character queries match), brackets
    and full-width digits as normalise_number (so a decision number typed with [] or () matches)."""
    return normalise_number(text).lower()


def number_variants(number: str) -> list[str]:
    """The spellings a stored number may have, for an exact lookup of a typed one."""
    canon = normalise_number(number)
    return list(dict.fromkeys([canon, *(canon.replace("〔", a).replace("〕", b)
                                        for a, b in ("[]", "()", "（）", "［］", "【】"))]))


CONFISCATION_KINDS = (PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY)


def confiscation_label(case) -> str:
    """"没收违法所得", "没收非法财物" or both, as decided (the case keeps one 没收金额 for them)."""
    if case.no_penalty:
        return ""
    return "、".join(str(PenaltyKind(k).label) for k in CONFISCATION_KINDS if k in (case.penalty_kinds or []))


def penalty_text(case) -> str:
    kinds = [str(PenaltyKind(k).label) for k in case.penalty_kinds or [] if k in PenaltyKind.values]
    if case.no_penalty:
        return "不予行政处罚"
    if case.fine_amount and "罚款" in kinds:
        kinds[kinds.index("罚款")] = f"罚款人民币{case.fine_amount:.2f}元"
    if case.confiscation_amount and (label := confiscation_label(case)):
        # one amount for the confiscation kinds decided: named once, on the first of them
        first = label.split("、")[0]
        kinds[kinds.index(first)] = f"{label}（金额人民币{case.confiscation_amount:.2f}元）"
        for other in label.split("、")[1:]:
            kinds.remove(other)
    return "、".join(kinds) or "无"


def party_lines(case, *, decision: bool = False) -> list[str]:
    """One line per party, before redaction. A penalty decision (decision=True) names a person's 住址,
    an organisation's 法定代表人 and the phone, as the 决定书 does; a result or a 查封/扣押 notice names
    identity and address only."""
    lines = []
    for p in case.parties.all():
        if p.kind == "person":
            line = f"{p.name}，公民身份号码：{p.id_number}"
        else:
            line = f"{p.name}，统一社会信用代码：{p.credit_code}"
            if decision:
                line += f"，法定代表人：{p.legal_representative}"
        if p.address:
            line += f"，{'住址' if decision and p.kind == 'person' else '地址'}：{p.address}"
        if decision and p.phone:
            line += f"，联系电话：{p.phone}"
        lines.append(line)
    return lines


def compose(case) -> str:
    """The decision's text as the public would read it before redaction (agency, target, facts,
    basis, conclusion)."""
    entity = case.entity
    lines = [entity.name, "行政处罚决定书", case.decision_number or "", ""]
    lines += [f"当事人：{line}。" for line in party_lines(case, decision=True)]
    lines += ["", f"案由：{case.title}。"]
    if case.facts:
        lines.append(f"经查：{case.facts}")
    if case.legal_basis:
        lines.append(f"依据：{case.legal_basis}")
    lines.append(f"本机关决定：{penalty_text(case)}。")
    if not case.no_penalty and (case.fine_amount or case.confiscation_amount):
        lines.append("当事人应当自收到本决定书之日起十五日内缴纳罚没款（《中华人民共和国行政处罚法》第六十七条）。")
    lines.append("当事人如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
                 "或者自收到本决定书之日起六个月内依法提起行政诉讼。")
    lines.append(f"决定日期：{case.decided_on:%Y年%m月%d日}。")
    contact = "，".join(x for x in (entity.address and f"联系地址：{entity.address}",
                                    entity.phone and f"联系电话：{entity.phone}") if x)
    if contact:
        lines.append(contact + "。")
    return "\n".join(lines)


def known_names(case):
    return [p.name for p in case.parties.all() if p.kind == "person"]


def known_values(case):
    out = []
    for p in case.parties.all():
        out += [("id_number", p.id_number), ("phone", p.phone)]
        if p.kind == "person":
            out.append(("address", p.address))
    return [(k, v) for k, v in out if v]


def keep_list(case):
    keep = [case.entity.phone, case.entity.address]
    keep += [co.officer.name for co in case.officers.select_related("officer")]
    keep += [p.legal_representative for p in case.parties.all() if p.legal_representative]
    return [k for k in keep if k]


def public_target(case, spans) -> str:
    names = []
    for p in case.parties.all():
        names.append(redact.pseudonym(p.name) if p.kind == "person" else p.name)
    return "、".join(names)


def build(pub: Publication):
    """Recompute the public fields from source_text and spans."""
    spans = redact.spans_from_dicts(pub.spans)
    pub.public_body = redact.apply(pub.source_text, spans)
    what = TITLES.get(pub.kind, "行政处罚决定")
    pub.public_title = f"{pub.entity.name}{pub.decision_number}{what}（{pub.public_target}）"[:300]
    pub.search_text = normalise(" ".join([pub.public_title, pub.public_body, pub.category]))
    pub.search_tokens = search.tokens(pub.search_text)  # segmented at write time (search.py)


def hold_reason(case) -> str:
    if case.parties.filter(is_minor=True).exists():
        return "当事人为未成年人"
    if not case.no_penalty and set(case.penalty_kinds or []) == {PenaltyKind.WARNING}:
        return "仅给予警告"
    return ""


def _draft(actor, reason: str, *, kind: str, decided_on, names=(), keep=(), values=(), public_target=None,
           **fields) -> Publication:
    """Build, redact and save a draft publication, due `publicity_days(kind)` working days after
    `decided_on` on the legal calendar (or pending the year it runs into), change-logged."""
    due_on, pending_year = due_after(decided_on, publicity_days(kind))
    pub = Publication(kind=kind, decided_on=decided_on, due_on=due_on, due_pending_year=pending_year,
                      due_note=pending.label(pending_year) if pending_year else "", **fields)
    spans = redact.find_spans(pub.source_text, list(names), [k for k in keep if k], list(values))
    pub.spans = [s.as_dict() for s in spans]
    pub.public_target = public_target(spans) if callable(public_target) else (public_target or "")
    build(pub)
    pub.save()
    log_change(pub, ChangeLog.Action.CREATE, acting_user=actor, reason=reason)
    return pub


def queue(case, actor) -> Publication:
    """Create the draft publication of a decided case (inside the decision's transaction)."""
    kind = Publication.Kind.OTHER if case.no_penalty else Publication.Kind.PENALTY
    held = hold_reason(case)
    return _draft(actor, "作出决定，生成待公示信息", kind=kind, decided_on=case.decided_on,
                  names=known_names(case), keep=keep_list(case), values=known_values(case),
                  public_target=lambda spans: public_target(case, spans),
                  case=case, entity=case.entity, decision_number=case.decision_number, category=case.field,
                  fine_amount=case.fine_amount if not case.no_penalty else None,
                  confiscation_amount=case.confiscation_amount if confiscation_label(case) else None,
                  confiscation_label=confiscation_label(case), source_text=compose(case), hold_reason=held,
                  state=Publication.State.HELD if held else Publication.State.DRAFT)


def compose_result(case, kind: str) -> tuple[str, str, object]:
    """(text before redaction, number, date) of an inspection result or a 查封/扣押 decision."""
    entity = case.entity
    if kind == "inspection":
        on = case.closed_on or case.last_action_on
        lines = [entity.name, "行政检查结果", case.number or "", "",
                 *(f"检查对象：{line}。" for line in party_lines(case)), f"检查事项：{case.title}。"]
        if case.inspection_result:
            lines.append(f"检查结果：{case.inspection_result}")
        lines.append("处理情况：发现问题，已依法处理。" if case.problems_found else "处理情况：未发现问题。")
        lines.append(f"检查日期：{on:%Y年%m月%d日}。")
        return "\n".join(lines), case.number or "", on
    seizure = case.seizures.order_by("-id").first()
    measure = seizure.get_measure_display() if seizure else "查封、扣押"
    goods = "、".join(str(i.get("name", "")) if isinstance(i, dict) else str(i) for i in (seizure.items if seizure else []))
    on = (seizure.decided_on if seizure else None) or case.last_action_on
    number = (seizure.number if seizure else "") or case.number or ""
    lines = [entity.name, f"{measure}决定书", number, "",
             *(f"当事人：{line}。" for line in party_lines(case)), f"案由：{case.title}。"]
    if case.facts:
        lines.append(f"经查：{case.facts}")
    if case.legal_basis:
        lines.append(f"依据：{case.legal_basis}")
    lines.append(f"本机关决定：对{goods or '涉案财物'}予以{measure}，期限{seizure.period_days if seizure else 30}日。")
    lines.append("当事人如不服本决定，可以依法申请行政复议或者提起行政诉讼。")
    lines.append(f"决定日期：{on:%Y年%m月%d日}。")
    return "\n".join(lines), number, on


def queue_result(case, actor, kind: str) -> Publication | None:
    """The draft publication of an inspection result or a 查封/扣押 decision (in the transition's
    transaction); once per case."""
    if Publication.objects.filter(case=case).exists():
        return None
    text, number, on = compose_result(case, kind)
    held = "当事人为未成年人" if case.parties.filter(is_minor=True).exists() else ""
    return _draft(actor, f"{TITLES[kind]}生成待公示信息", kind=kind, decided_on=on,
                  names=known_names(case), keep=keep_list(case), values=known_values(case),
                  public_target=lambda spans: public_target(case, spans),
                  case=case, entity=case.entity, decision_number=number, category=case.field,
                  source_text=text, hold_reason=held,
                  state=Publication.State.HELD if held else Publication.State.DRAFT)


def queue_permit(permit, actor, *, text: str) -> Publication:
    """The draft publication of a permit decision (行政许可, zhifa/permits), due 7 working days after the
    decision on the legal calendar (国办发〔2018〕118号). It belongs to no case: `permit` is the
    permits app's row, read by its fields (entity, holder_name, holder_credit_code, kind, number,
    decision_number, decided_on); this app does not import the permits app."""
    kind = Publication.Kind.PERMIT
    return _draft(actor, f"{TITLES[kind]}生成待公示信息", kind=kind, decided_on=permit.decided_on,
                  keep=[permit.entity.phone, permit.entity.address, permit.holder_name],
                  public_target=permit.holder_name[:200],
                  case=None, entity=permit.entity, decision_number=permit.decision_number or permit.number,
                  category=permit.kind[:50], source_text=text, state=Publication.State.DRAFT)


def on_decision(case, actor) -> None:
    """The decision was issued (subscribers.py): queue its publication once."""
    if not Publication.objects.filter(case=case).exists():
        queue(case, actor)

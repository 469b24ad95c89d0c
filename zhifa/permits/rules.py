"""The named rules of permits. Each refuses with ActionRefused(name, 中文, field); tests/permits
checks each one (a test fails when its rule is removed).

  permit.holder_code        the holder's 统一社会信用代码 passes its check digit
  permit.required           kind, number and holder name are given
  permit.validity           the validity ends on or after it starts, and starts on or after the decision
  permit.state              suspend only a valid permit; revoke a valid or suspended one
  permit.reason             a suspension or revocation states its reason
  permit.suspend_until      a suspension ends after the day it starts
  sanction.penalty_kind     a permit is named only by a case whose penalty includes 暂扣/吊销许可证件
  sanction.holder_party     the permit's holder is a party of the case (same credit code)
  sanction.issuing_organ    the permit was issued by the case's entity (the organ that may suspend or revoke it)
"""
from __future__ import annotations

import datetime as dt

from zhifa.common.actions import ActionRefused
from zhifa.common.identifiers import check_credit_code
from zhifa.permits.choices import PENALTY_MEASURES, PermitState


def holder_code(code: str) -> str:
    code = (code or "").strip().upper()
    problem = check_credit_code(code)
    if problem:
        raise ActionRefused("permit.holder_code", f"被许可人统一社会信用代码：{problem}", "holder_credit_code")
    return code


def required(data: dict) -> None:
    for field, label in (("holder_name", "被许可人"), ("kind", "许可类别"), ("number", "许可证编号")):
        if not str(data.get(field) or "").strip():
            raise ActionRefused("permit.required", f"请填写{label}", field)


def validity(decided_on: dt.date, valid_from: dt.date, valid_until: dt.date) -> None:
    if valid_from < decided_on:
        raise ActionRefused("permit.validity", "有效期起始日期不能早于许可决定日期", "valid_from")
    if valid_until < valid_from:
        raise ActionRefused("permit.validity", "有效期截止日期不能早于起始日期", "valid_until")


def may_suspend(permit) -> None:
    if permit.state != PermitState.VALID:
        raise ActionRefused("permit.state", f"该许可证当前状态为“{permit.get_state_display()}”，不能暂扣", "state")


def may_revoke(permit) -> None:
    if permit.state not in (PermitState.VALID, PermitState.SUSPENDED):
        raise ActionRefused("permit.state", f"该许可证当前状态为“{permit.get_state_display()}”，不能吊销", "state")


def reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ActionRefused("permit.reason", "请填写暂扣或吊销的理由", "reason")
    return text


def suspend_until(on: dt.date, until: dt.date | None) -> None:
    if until is not None and until <= on:
        raise ActionRefused("permit.suspend_until", "暂扣期限应晚于暂扣之日", "suspended_until")


def penalty_kind(case) -> str:
    """The measure the case's (proposed or decided) penalty imposes on a permit."""
    kinds = [k for k in (case.penalty_kinds or []) if k in PENALTY_MEASURES]
    if case.no_penalty or not kinds:
        raise ActionRefused("sanction.penalty_kind", "该案件的处罚种类不含暂扣许可证件或吊销许可证件，不能指定许可证件",
                            "permit")
    # 吊销 prevails over 暂扣 when a decision (unusually) names both.
    return PENALTY_MEASURES["revoke_licence" if "revoke_licence" in kinds else kinds[0]]


def holder_party(case, permit) -> None:
    codes = {(p.credit_code or "").upper() for p in case.parties.all()}
    if permit.holder_credit_code.upper() not in codes:
        raise ActionRefused("sanction.holder_party", "该许可证的被许可人不是本案当事人（统一社会信用代码不一致）",
                            "permit")


def issuing_organ(case, permit) -> None:
    if permit.entity_id != case.entity_id:
        raise ActionRefused("sanction.issuing_organ", "该许可证不是本机关颁发的，应由许可机关依法暂扣或吊销", "permit")

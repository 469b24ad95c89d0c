"""Grant, suspend and revoke a permit."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhifa.common.actions import ActionRefused, check_scope, check_scope_new, snapshot
from zhifa.disclosure import pipeline
from zhifa.permits import rules
from zhifa.permits.actions.common import step, today
from zhifa.permits.models import Permit

FIELDS = ("holder_name", "holder_credit_code", "kind", "number", "scope", "decision_number", "decided_on",
          "valid_from", "valid_until")


def _date(value, field, label):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ActionRefused("validation", f"{label}：日期格式应为 年-月-日（如 2026-03-05）", field) from None


def permit_text(permit) -> str:
    """The permit decision as the public reads it (before redaction)."""
    lines = [permit.entity.name, "行政许可决定", permit.decision_number or permit.number, "",
             f"被许可人：{permit.holder_name}，统一社会信用代码：{permit.holder_credit_code}。",
             f"许可类别：{permit.kind}。", f"许可证编号：{permit.number}。"]
    if permit.scope:
        lines.append(f"许可范围：{permit.scope}")
    lines += [f"有效期：{permit.valid_from:%Y年%m月%d日}至{permit.valid_until:%Y年%m月%d日}。",
              f"决定日期：{permit.decided_on:%Y年%m月%d日}。"]
    return "\n".join(lines)


@transaction.atomic
def do_grant_permit(data: dict, *, acting_user, entity=None, on=None, reason: str = "") -> Permit:
    """行政许可决定 registered by the issuing organ; its publication (公示) is queued with its due date,
    7 working days from the decision on the legal calendar (国办发〔2018〕118号)."""
    entity = entity or acting_user.entity
    check_scope_new(acting_user, Permit, entity)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ActionRefused("validation", f"不允许填写字段“{sorted(unknown)[0]}”", sorted(unknown)[0])
    rules.required(data)
    code = rules.holder_code(data.get("holder_credit_code", ""))
    decided_on = _date(data.get("decided_on") or today(on), "decided_on", "许可决定日期")
    valid_from = _date(data.get("valid_from") or decided_on, "valid_from", "有效期自")
    valid_until = _date(data.get("valid_until"), "valid_until", "有效期至")
    rules.validity(decided_on, valid_from, valid_until)
    number = str(data["number"]).strip()
    if Permit.objects.filter(entity=entity, number=number).exists():
        raise ActionRefused("validation", "许可证编号：本机关已登记相同编号的许可证", "number")
    permit = Permit(
        entity=entity, holder_name=str(data["holder_name"]).strip(), holder_credit_code=code,
        kind=str(data["kind"]).strip(), number=number, scope=str(data.get("scope") or "").strip(),
        decision_number=str(data.get("decision_number") or "").strip(), decided_on=decided_on,
        valid_from=valid_from, valid_until=valid_until, granted_by=acting_user)
    # The publication first, so that the permit's one change-log row (and ledger entry) holds it.
    permit.publication = pipeline.queue_permit(permit, acting_user, text=permit_text(permit))
    permit.save()
    step(permit, "permit.granted", acting_user=acting_user, reason=reason or "登记行政许可决定",
         number=permit.number, holder=permit.holder_credit_code, decided_on=decided_on,
         publication=permit.publication_id)
    return permit


def _locked(permit) -> Permit:
    return Permit.objects.select_for_update().get(pk=permit.pk)


def suspend(permit, *, acting_user, reason, until=None, on=None, case=None) -> Permit:
    """暂扣 inside the caller's transaction (the action, or a penalty decision's subscriber)."""
    on = today(on)
    rules.may_suspend(permit)
    text = rules.reason(reason)
    rules.suspend_until(on, until)
    before = snapshot(permit)
    permit.state, permit.suspended_until, permit.state_reason = Permit.State.SUSPENDED, until, text[:300]
    permit.state_case = case
    permit.save()
    step(permit, "permit.suspended", acting_user=acting_user, before=before, case=case, reason=text,
         on=on, until=until, case_id=case.pk if case else None)
    return permit


def revoke(permit, *, acting_user, reason, on=None, case=None) -> Permit:
    on = today(on)
    rules.may_revoke(permit)
    text = rules.reason(reason)
    before = snapshot(permit)
    permit.state, permit.suspended_until, permit.state_reason = Permit.State.REVOKED, None, text[:300]
    permit.state_case = case
    permit.save()
    step(permit, "permit.revoked", acting_user=acting_user, before=before, case=case, reason=text,
         on=on, case_id=case.pk if case else None)
    return permit


@transaction.atomic
def do_suspend_permit(permit: Permit, *, acting_user, reason: str, until=None, on=None) -> Permit:
    permit = _locked(permit)
    check_scope(acting_user, permit, "change")
    until = _date(until, "suspended_until", "暂扣至") if until else None
    return suspend(permit, acting_user=acting_user, reason=reason, until=until, on=on)


@transaction.atomic
def do_revoke_permit(permit: Permit, *, acting_user, reason: str, on=None) -> Permit:
    permit = _locked(permit)
    check_scope(acting_user, permit, "change")
    return revoke(permit, acting_user=acting_user, reason=reason, on=on)

"""Publication actions: edit the redaction, approve (= publish), flag and carry out a withdrawal.

Each runs in one transaction, checks scope ("change" on the publication's entity) and its named
rules (rules below), writes a ChangeLog row; publishing and withdrawing also append the
ledger events "publication" and "withdrawal" whose entry the public decision page proves.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, check_scope, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.registry import publication_event
from zhifa.common.roles import Role
from zhifa.disclosure import expiry, pipeline, redact
from zhifa.disclosure.choices import WITHDRAW_GROUNDS, WITHDRAWAL_GROUNDS
from zhifa.disclosure.models import Publication
from zhifa.ledger import log as ledger
from zhifa.legalcal import pending

PubState = Publication.State


def _locked(pub) -> Publication:
    return Publication.objects.select_for_update().get(pk=pub.pk)


def _state(pub, *allowed):
    if pub.state not in allowed:
        raise ActionRefused("publication.state", f"公示信息当前状态为“{pub.get_state_display()}”，不能办理此操作",
                            "state")


def check_spans(text: str, spans) -> list[dict]:
    """Validate staff-edited spans (publication.span_range): inside the text, matching it, no overlaps."""
    out, last = [], -1
    for d in sorted(spans, key=lambda d: int(d.get("start", -1))):
        try:
            start, end, kind = int(d["start"]), int(d["end"]), str(d["kind"])
        except (KeyError, TypeError, ValueError):
            raise ActionRefused("publication.span_range", "隐去范围格式不正确", "spans") from None
        if kind not in redact.KINDS or not 0 <= start < end <= len(text) or start < last:
            raise ActionRefused("publication.span_range", "隐去范围超出正文或相互重叠", "spans")
        piece = text[start:end]
        repl = redact.pseudonym(piece) if kind == "name" else redact.MASK[kind]
        out.append({"start": start, "end": end, "kind": kind, "text": piece, "replacement": repl})
        last = end
    return out


def do_set_spans(pub, spans, *, acting_user, reason="") -> Publication:
    """The approver adds or removes hidden spans before approving."""
    with transaction.atomic():
        pub = _locked(pub)
        check_scope(acting_user, pub, "change")
        _state(pub, PubState.DRAFT, PubState.HELD)
        before = snapshot(pub)
        pub.spans = check_spans(pub.source_text, spans)
        pipeline.build(pub)
        pub.save()
        log_change(pub, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(pub),
                   reason=reason or "调整隐去内容")
    return pub


def leaks(pub) -> list[str]:
    """Valid ID numbers and phone numbers still in the public text (publication.no_identifiers)."""
    case = pub.case
    found = redact.find_spans(pub.public_body + "\n" + pub.public_title,
                              keep=pipeline.keep_list(case) if case else [pub.entity.phone, pub.entity.address],
                              known=pipeline.known_values(case) if case else [])
    return [s.text for s in found if s.kind in ("id_number", "phone", "bank_card")]


def do_approve(pub, *, acting_user, on: dt.date | None = None) -> Publication:
    """Approve the redacted version: it goes public and the ledger gets a "publication" entry."""
    with transaction.atomic():
        pub = _locked(pub)
        check_scope(acting_user, pub, "change")
        _state(pub, PubState.DRAFT, PubState.HELD)
        bad = leaks(pub)
        if bad:
            raise ActionRefused("publication.no_identifiers",
                                f"公示正文仍含身份证号、电话或银行卡号（{bad[0][:4]}…），请先隐去", "spans")
        before = snapshot(pub)
        pub.state, pub.approved_by = PubState.PUBLISHED, acting_user
        pub.published_on, pub.published_at = on or timezone.localdate(), timezone.now()
        expiry.apply_period(pub)  # 公示期限: public_until fixed at approval
        pub.save()
        entry = ledger.append("publication", subject=pub, actor=acting_user, data={
            "publication": pub.pk, "decision_number": pub.decision_number, "entity": pub.entity.name,
            "title": pub.public_title,
            "body_sha256": hashlib.sha256(pub.public_body.encode()).hexdigest()})
        pub.ledger_seq = entry.seq
        pub.save(update_fields=["ledger_seq"])
        log_change(pub, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(pub),
                   reason="审核通过并公示")
        publication_event("published", pub, pub.published_on)
    return pub


def do_flag_withdrawal(pub, *, acting_user, ground: str, occurred_on: dt.date) -> Publication:
    """The decision was changed, revoked, confirmed illegal or void on `occurred_on`: the entry
    must leave public view within the withdrawal period (withdrawal.ground)."""
    with transaction.atomic():
        pub = _locked(pub)
        check_scope(acting_user, pub, "change")
        _state(pub, PubState.PUBLISHED)
        if ground not in WITHDRAWAL_GROUNDS:
            raise ActionRefused("withdrawal.ground", "请选择撤下事由：决定被变更、撤销、确认违法或确认无效", "ground")
        before = snapshot(pub)
        pub.withdrawal_ground = ground
        pub.withdrawal_due_from = occurred_on
        pub.withdrawal_due_on, pub.withdrawal_due_pending_year = pipeline.due_after(
            occurred_on, pipeline.withdrawal_days())
        note = pending.label(pub.withdrawal_due_pending_year) if pub.withdrawal_due_pending_year else ""
        pub.save()
        log_change(pub, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(pub),
                   reason=f"{WITHDRAWAL_GROUNDS[ground]}，须撤下公示{('；' + note) if note else ''}")
    return pub


def do_withdraw(pub, *, acting_user, public_reason: str, ground: str = "", on: dt.date | None = None) -> Publication:
    """Take the entry off every public page on a statutory ground (withdrawal.statutory_ground; the one
    flagged before counts), by the agency head (withdrawal.agency_head: a unit head alone may not take
    the agency's decision down); the reason is shown publicly (withdrawal.reason)."""
    public_reason = (public_reason or "").strip()
    with transaction.atomic():
        pub = _locked(pub)
        check_scope(acting_user, pub, "change")
        _state(pub, PubState.PUBLISHED)
        if getattr(acting_user, "role", None) != Role.AGENCY_HEAD:
            raise ActionRefused("withdrawal.agency_head", "撤下已公示的执法决定须由行政机关负责人办理", "acting_user")
        ground = ground or pub.withdrawal_ground
        if ground not in WITHDRAW_GROUNDS:
            raise ActionRefused("withdrawal.statutory_ground",
                                "请选择撤下的法定事由：" + "、".join(WITHDRAW_GROUNDS.values()), "ground")
        if len(public_reason) < 4:
            raise ActionRefused("withdrawal.reason", "撤下公示须填写向社会公开的撤下理由（至少4个字）", "public_reason")
        before = snapshot(pub)
        pub.withdrawal_ground = ground
        pub.state, pub.withdrawal_reason = PubState.WITHDRAWN, public_reason[:300]
        pub.withdrawn_on = on or timezone.localdate()
        pub.save()
        entry = ledger.append("withdrawal", subject=pub, actor=acting_user, data={
            "publication": pub.pk, "decision_number": pub.decision_number, "reason": pub.withdrawal_reason,
            "ground": ground})
        pub.withdrawal_seq = entry.seq
        pub.save(update_fields=["withdrawal_seq"])
        log_change(pub, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(pub),
                   reason=f"撤下公示（{WITHDRAW_GROUNDS[ground]}）：{public_reason}")
        publication_event("withdrawn", pub, pub.withdrawn_on)
    return pub

"""案例指导 actions: select a closed case, edit its redacted text and key points, publish, withdraw.

Named rules:
  guidance.case_closed      only a finished (closed or archived) case is selected
  guidance.not_duplicate    a case gives at most one live guiding case
  guidance.draft_only       only a draft is edited or published
  guidance.title            the guiding case has a title
  guidance.no_private_data  the public text holds none of the parties' private data (names of
                            natural persons, ID numbers, phones, home addresses) nor any ID or
                            phone number at all
  guidance.key_points       publishing needs 裁判要点
  guidance.significance     publishing needs 指导意义
  guidance.published_only   only a published guiding case is withdrawn
  guidance.withdraw_reason  a withdrawal states why
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, check_scope_new, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.scope import can
from zhifa.disclosure import pipeline, redact
from zhifa.guidance.models import GuidingCase
from zhifa.ledger import log as ledger

GuidingState = GuidingCase.State
CLOSED = ("closed", "archived")
# Pattern kinds that are never public, whoever they belong to.
NEVER_PUBLIC = ("id_number", "phone", "bank_card")


def _text(v):
    return (v or "").strip()


def compose(case) -> str:
    """The case as a guiding case reads before redaction: agency, parties, facts, basis, result."""
    lines = [f"办案机关：{case.entity.name}", f"案件类别：{case.get_kind_display()}"]
    if case.field:
        lines.append(f"执法领域：{case.field}")
    for p in case.parties.all():
        ident = f"公民身份号码：{p.id_number}" if p.kind == "person" else f"统一社会信用代码：{p.credit_code}"
        extra = "".join(f"，{label}：{v}" for label, v in (("住址", p.address), ("联系电话", p.phone)) if v)
        lines.append(f"当事人：{p.name}，{ident}{extra}。")
    lines.append(f"案由：{case.title}。")
    if case.facts:
        lines.append(f"基本案情：{case.facts}")
    if case.legal_basis:
        lines.append(f"法律依据：{case.legal_basis}")
    if case.decided_on:
        lines.append(f"处理结果：{pipeline.penalty_text(case)}（{case.decided_on:%Y年%m月%d日}决定）。")
    if case.execution_note:
        lines.append(f"执行情况：{case.execution_note}")
    return "\n".join(lines)


def private_leaks(case, text: str) -> list[str]:
    """What in `text` must not be public: the case's own private values, then any ID/phone number."""
    leaks = [v for _k, v in pipeline.known_values(case) if v in text]
    leaks += [n for n in pipeline.known_names(case) if n in text]
    leaks += [s.text for s in redact.find_spans(text, keep=pipeline.keep_list(case)) if s.kind in NEVER_PUBLIC]
    return leaks


def _check_private(g, body):
    leaks = private_leaks(g.case, body)
    if leaks:
        raise ActionRefused("guidance.no_private_data", f"公开文本仍含有个人信息“{leaks[0]}”，请隐去后再保存", "body")


def _log(g, event, acting_user, before=None, reason="", **data):
    log_change(g, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, acting_user=acting_user,
               before=before, after=snapshot(g), reason=reason)
    ledger.append(event, subject=g, actor=acting_user, case=g.case, data={"id": g.pk, **data})


@transaction.atomic
def do_select_guidance(case, *, acting_user, on=None) -> GuidingCase:
    """选编: a draft with the proposed redaction (zhifa.disclosure.redact) applied to its text."""
    check_scope_new(acting_user, GuidingCase, case.entity, None, "change")
    if case.state not in CLOSED:
        raise ActionRefused("guidance.case_closed", "只能选编已结案或已归档的案件", "case")
    if GuidingCase.objects.filter(case=case).exclude(state=GuidingState.WITHDRAWN).exists():
        raise ActionRefused("guidance.not_duplicate", "该案件已被选编为指导案例", "case")
    source = compose(case)
    spans = redact.find_spans(source, pipeline.known_names(case), pipeline.keep_list(case),
                              pipeline.known_values(case))
    g = GuidingCase.objects.create(case=case, entity=case.entity, field=case.field, title=case.title[:200],
                                   source_text=source, spans=[s.as_dict() for s in spans],
                                   body=redact.apply(source, spans), created_by=acting_user,
                                   created_on=on or timezone.localdate())
    g.power_items.set(case.power_items.all())
    _log(g, "guidance.selected", acting_user, case=case.pk)
    return g


def _editable(g, user):
    g = GuidingCase.objects.select_for_update().get(pk=g.pk)
    if not can(user, "change", g):
        raise OutOfScope()
    return g


@transaction.atomic
def do_edit_guidance(g: GuidingCase, *, acting_user, title: str, body: str, key_points: str = "",
                     significance: str = "") -> GuidingCase:
    g = _editable(g, acting_user)
    if g.state != GuidingState.DRAFT:
        raise ActionRefused("guidance.draft_only", "只能编辑未发布的指导案例", "state")
    if not _text(title):
        raise ActionRefused("guidance.title", "请填写标题", "title")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ActionRefused("validation", "公开文本：不能为空", "body")
    _check_private(g, body)
    before = snapshot(g)
    g.title, g.body, g.key_points, g.significance = _text(title)[:200], body, _text(key_points), _text(significance)
    g.save()
    _log(g, "guidance.edited", acting_user, before)
    return g


@transaction.atomic
def do_publish_guidance(g: GuidingCase, *, acting_user, on=None) -> GuidingCase:
    g = _editable(g, acting_user)
    if g.state != GuidingState.DRAFT:
        raise ActionRefused("guidance.draft_only", "该指导案例已发布或已撤回", "state")
    if not g.key_points:
        raise ActionRefused("guidance.key_points", "发布前请填写裁判要点", "key_points")
    if not g.significance:
        raise ActionRefused("guidance.significance", "发布前请填写指导意义", "significance")
    _check_private(g, g.body + g.title + g.key_points + g.significance)
    before = snapshot(g)
    g.state, g.published_on, g.published_by = GuidingState.PUBLISHED, on or timezone.localdate(), acting_user
    g.number = (GuidingCase.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    g.save()
    _log(g, "guidance.published", acting_user, before, number=g.number)
    return g


@transaction.atomic
def do_withdraw_guidance(g: GuidingCase, *, acting_user, reason: str) -> GuidingCase:
    g = _editable(g, acting_user)
    if g.state != GuidingState.PUBLISHED:
        raise ActionRefused("guidance.published_only", "只能撤回已发布的指导案例", "state")
    if not _text(reason):
        raise ActionRefused("guidance.withdraw_reason", "请填写撤回理由", "reason")
    before = snapshot(g)
    g.state, g.withdrawal_reason = GuidingState.WITHDRAWN, _text(reason)
    g.save()
    _log(g, "guidance.withdrawn", acting_user, before, reason=g.withdrawal_reason)
    return g


def similar_to(case, limit=5):
    """Published guiding cases of the same field or sharing a power item (the case page shows them)."""
    from django.db.models import Q

    from zhifa.guidance.models import published

    items = list(case.power_items.values_list("pk", flat=True))
    q = Q(field=case.field) if case.field else Q(pk__in=[])
    if items:
        q |= Q(power_items__in=items)
    return list(published().filter(q).exclude(case=case).distinct().order_by("-published_on", "-id")[:limit])

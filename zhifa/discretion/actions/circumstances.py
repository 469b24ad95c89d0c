"""Ticking the circumstances (情节) of a case and the entity's own factors.

Named rules:
  discretion.handler_only     only the case's active handlers (or its heads) tick circumstances
  discretion.before_decision  circumstances are set while the case is investigated, before the decision
  discretion.factor_known     every ticked factor is a national one or the entity's own for the case's items
  discretion.benchmark        the case has a penalty item with a published benchmark in force
  discretion.factor_fields    an entity's factor has a code, a label and an effect
"""
from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, check_scope_new, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.discretion import suggest as sg
from zhifa.discretion.choices import Effect
from zhifa.discretion.models import CaseCircumstances, Factor
from zhifa.ledger import log as ledger
from zhifa.powers import discretion as bench

OPEN_STATES = ("filed", "investigating", "proposed", "notified", "hearing", "reviewed", "collective_discussion")


def case_benchmark(case, on: dt.date | None = None):
    """(power item, benchmark) of the case's first penalty item with a benchmark in force on the
    violation date (行政处罚法 Art. 37: the rules in force when the act was done), else `on`."""
    when = case.violation_on or on or timezone.localdate()
    for item in case.power_items.all():
        if item.category != "penalty":
            continue
        b = bench.benchmark_for(item, case.entity, when) or bench.benchmark_for(item, case.entity, on)
        if b is not None:
            return item, b
    return None, None


def _is_handler(user, case) -> bool:
    officer = getattr(user, "officer", None)
    if user.role in (Role.AGENCY_HEAD, Role.UNIT_HEAD) and user.entity_id == case.entity_id:
        return True
    return officer is not None and case.officers.filter(officer=officer, active=True).exists()


@transaction.atomic
def do_set_circumstances(case, *, acting_user, factors, note: str = "", base=None,
                         on: dt.date | None = None) -> CaseCircumstances:
    """Tick the case's circumstances; the suggestion is computed and stored with the benchmark version."""
    from zhifa.cases.models import Case

    case = Case.objects.restrict(acting_user, "view").select_for_update().filter(pk=case.pk).first()
    if case is None:
        raise OutOfScope()
    on = on or timezone.localdate()
    if not _is_handler(acting_user, case):
        raise ActionRefused("discretion.handler_only", "只有本案承办人员或本机关负责人可以认定裁量情节", "factors")
    if case.state not in OPEN_STATES:
        raise ActionRefused("discretion.before_decision", "裁量情节应在立案后、作出处罚决定前认定", "factors")
    if isinstance(factors, str):
        factors = [c for c in re.split(r"[,，、\s]+", factors) if c]
    codes = list(dict.fromkeys(str(c).strip() for c in factors or [] if str(c).strip()))
    item, benchmark = case_benchmark(case, on)
    if benchmark is None:
        raise ActionRefused("discretion.benchmark", "本案处罚事项没有已发布生效的裁量基准，无法计算裁量建议", "factors")
    known = {f["code"]: f for f in sg.available_factors(case.entity_id, [item.code])}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ActionRefused("discretion.factor_known", f"裁量情节“{unknown[0]}”不存在", "factors")
    if base in (None, ""):
        base = case.illegal_gains
    try:
        base = bench.to_decimal(base)
    except ValueError:
        raise ActionRefused("validation", f"违法所得或货值金额“{base}”不是有效的金额", "base") from None
    if base is not None and base < 0:
        raise ActionRefused("validation", "违法所得或货值金额不能为负数", "base")
    chosen = [known[c] for c in codes]
    s = sg.suggest(benchmark, chosen, base)
    s["item"] = item.code
    s["factor_labels"] = [f["label"] for f in chosen]
    s["explanation"] = sg.explanation(s, chosen, (note or "").strip())
    row = CaseCircumstances.objects.select_for_update().filter(case=case).first()
    before = snapshot(row) if row else None
    if row is None:
        row = CaseCircumstances(case=case, entity_id=case.entity_id, version=0)
    row.factors, row.note, row.suggestion = codes, (note or "").strip()[:5000], s
    row.benchmark_id, row.benchmark_version = benchmark.pk, benchmark.version
    row.set_on, row.set_by, row.version = on, acting_user, row.version + 1
    row.save()
    log_change(row, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, acting_user=acting_user,
               before=before, after=snapshot(row), reason=f"认定裁量情节（第{row.version}版）")
    ledger.append("discretion.circumstances", subject=row, actor=acting_user, case=case,
                  data={"id": row.pk, "factors": codes, "level": s.get("level"), "amount": s.get("amount"),
                        "benchmark_id": benchmark.pk, "benchmark_version": benchmark.version})
    return row


@transaction.atomic
def do_add_factor(entity, *, acting_user, code: str, label: str, effect: str, power_item_code: str = "",
                  law: str = "", article: str = "", basis: str = "") -> Factor:
    check_scope_new(acting_user, Factor, entity, None, "change")
    code, label = (code or "").strip(), (label or "").strip()
    if not re.fullmatch(r"[a-z0-9_]{2,40}", code):
        raise ActionRefused("discretion.factor_fields", "情节代码应为2至40位小写字母、数字或下划线", "code")
    if not label:
        raise ActionRefused("discretion.factor_fields", "请填写情节名称", "label")
    if effect not in Effect.values:
        raise ActionRefused("discretion.factor_fields", f"裁量效果应为{'、'.join(str(x) for x in Effect.labels)}之一", "effect")
    if Factor.objects.filter(entity=entity, power_item_code=power_item_code.strip(), code=code).exists():
        raise ActionRefused("discretion.factor_fields", f"情节代码“{code}”已存在", "code")
    f = Factor.objects.create(entity=entity, power_item_code=power_item_code.strip(), code=code, label=label[:200],
                              effect=effect, law=law.strip()[:200], article=article.strip()[:100], basis=basis.strip())
    log_change(f, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(f), reason="新增裁量情节")
    ledger.append("discretion.factor", subject=f, actor=acting_user, data={"id": f.pk, "code": code})
    return f

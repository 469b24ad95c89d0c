"""Simple procedure (当场处罚), inspection (行政检查) and seizure (查封、扣押): effects and actions."""
from __future__ import annotations

from zhifa.cases import deadlines
from zhifa.cases.actions.engine import apply_transition, create_case, effect
from zhifa.cases.models import Kind, Seizure, Source
from zhifa.cases.numbering import next_number
from zhifa.cases.rules import normalise_penalty
from zhifa.common.actions import ActionRefused

INSPECTION, COERCIVE = Kind.INSPECTION, Kind.COERCIVE


def _copy_parties(case):
    fields = ("kind", "name", "id_number", "credit_code", "legal_representative", "address", "phone", "is_minor")
    return [{f: getattr(p, f) for f in fields} for p in case.parties.all()]


def _derive_penalty_case(ctx, title, detail):
    from zhifa.cases.actions.general import do_register_case

    src = ctx.case
    officers = [(co.officer, co.role) for co in src.officers.filter(active=True)]
    new = do_register_case({"entity": src.entity, "unit": src.unit, "title": title, "field": src.field,
                            "source": Source.INSPECTION, "source_detail": detail, "source_case": src,
                            "discovered_on": ctx.on, "facts": src.inspection_result or src.facts},
                           acting_user=ctx.user, parties=_copy_parties(src), officers=officers, on=ctx.on)
    return {"new_case": new.pk}


# ---- simple procedure --------------------------------------------------------------------
def do_on_the_spot_penalty(data: dict, *, place, party, officers, acting_user, on=None, collected_on_spot=False,
                           party_refused_to_sign=False, reason="", power_items=()):
    """当场处罚 (Arts. 51, 52): a warning or a fine within 200 / 3 000 yuan, by two certified officers."""
    if not (place or "").strip():
        raise ActionRefused("validation", "请填写处罚地点", "place")
    penalty = normalise_penalty(data)
    data = {**{k: v for k, v in data.items() if k != "no_penalty"}, **penalty}
    data.pop("no_penalty")
    return create_case(Kind.PENALTY_SIMPLE, "on_the_spot_penalty", data, acting_user=acting_user, parties=[party],
                       officers=officers, power_items=power_items, on=on, reason=reason, place=place,
                       collected_on_spot=collected_on_spot,
                       party_refused_to_sign=party_refused_to_sign)


def do_file_simple_record(case, *, acting_user, expected_version, on=None, reason=""):
    """报所属行政机关备案 (Art. 52 ¶3)."""
    return apply_transition(case, "file_simple_record", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


# ---- inspection -------------------------------------------------------------------------
@effect(INSPECTION, "plan_inspection")
def _plan(ctx):
    ctx.case.number = next_number(ctx.case.entity, "inspection", ctx.on.year)


@effect(INSPECTION, "record_inspection_result")
def _result(ctx):
    if not (ctx.payload.get("result") or "").strip():
        raise ActionRefused("validation", "请填写检查结果", "result")
    ctx.case.inspection_result = ctx.payload["result"]
    ctx.case.problems_found = bool(ctx.payload.get("problems_found"))


@effect(INSPECTION, "open_penalty_case")
def _open_case(ctx):
    return _derive_penalty_case(ctx, ctx.payload.get("title") or f"{ctx.case.title}（检查发现问题）",
                                f"行政检查{ctx.case.number}发现")


def do_plan_inspection(data: dict, *, acting_user, parties=(), officers=(), on=None, reason="", power_items=()):
    return create_case(INSPECTION, "plan_inspection", data, acting_user=acting_user, parties=parties, officers=officers,
                       power_items=power_items, on=on, reason=reason)


def do_start_inspection(case, *, acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "start_inspection", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_record_inspection_result(case, *, result, problems_found, acting_user, expected_version, on=None,
                                reason=""):
    return apply_transition(case, "record_inspection_result", acting_user=acting_user,
                            expected_version=expected_version, on=on, reason=reason, result=result,
                            problems_found=problems_found)


def do_open_penalty_case(case, *, acting_user, expected_version, title="", on=None, reason=""):
    """The inspection becomes the 案源 of a new general-procedure case (returned in the event payload)."""
    return apply_transition(case, "open_penalty_case", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, title=title)


# ---- seizure (行政强制法) ------------------------------------------------------------------
@effect(COERCIVE, "seize")
def _seize(ctx):
    p = ctx.payload
    items = p.get("items") or []
    if not items or not all(isinstance(i, dict) and (i.get("name") or "").strip() for i in items):
        raise ActionRefused("validation", "请填写查封、扣押清单（每项须有名称）", "items")
    if p.get("measure") not in ("seal", "seize"):
        raise ActionRefused("validation", "请选择查封或扣押", "measure")
    Seizure.objects.create(case=ctx.case, measure=p["measure"], items=items, requested_by=ctx.user,
                           requested_on=ctx.on)


@effect(COERCIVE, "approve_seizure")
def _approve(ctx):
    """The head's approval: the decision number and the 30-day period start now."""
    s = ctx.case.seizures.filter(approved_by__isnull=True).order_by("id").last()
    s.number = next_number(ctx.case.entity, "seizure", ctx.on.year)
    s.approved_by, s.decided_on = ctx.user, ctx.on
    s.save()
    ctx.case.number = s.number
    deadlines.open_deadline(ctx.case, "seizure", ctx.on)
    return {"seizure_number": s.number}


@effect(COERCIVE, "extend_seizure")
def _extend(ctx):
    from zhifa.cases.rules_procedure import current_seizure

    s = current_seizure(ctx.case)
    days = ctx.payload.get("days", 30)
    s.extended, s.extended_days, s.extended_by = True, days, ctx.user
    s.save()
    dl = deadlines.extend(ctx.case, "seizure", days, f"{ctx.on:%Y-%m-%d}负责人批准延长{days}日")
    return {"due_on": dl.due_on if dl else None}


@effect(COERCIVE, "release_seizure")
def _release(ctx):
    ctx.case.seizures.filter(released_on__isnull=True).update(released_on=ctx.on)
    deadlines.close_deadline(ctx.case, "seizure", ctx.on)


@effect(COERCIVE, "convert_seizure")
def _convert(ctx):
    return _derive_penalty_case(ctx, ctx.payload.get("title") or ctx.case.title, f"查封扣押{ctx.case.number}转立")


def do_seize(data: dict, *, measure, items, party, officers, acting_user, on=None, reason="", power_items=()):
    """提请查封/扣押: the officers' request; it takes effect when the head approves (do_approve_seizure)."""
    return create_case(COERCIVE, "seize", data, acting_user=acting_user, parties=[party], officers=officers,
                       power_items=power_items, on=on, reason=reason, measure=measure, items=items)


def do_approve_seizure(case, *, acting_user, expected_version, on=None, reason=""):
    """批准查封、扣押 by the agency head (行政强制法 Art. 18 (一)): number and 30-day period (Art. 25)."""
    return apply_transition(case, "approve_seizure", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_refuse_seizure(case, *, reason, acting_user, expected_version, on=None):
    """不予批准: the request ends (its reason on file)."""
    return apply_transition(case, "refuse_seizure", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_extend_seizure(case, *, reason, acting_user, expected_version, days=30, on=None):
    """Once, by the agency head, before expiry, at most 30 days (行政强制法 Art. 25)."""
    if not (reason or "").strip():
        raise ActionRefused("validation", "请填写延长理由（情况复杂）", "reason")
    return apply_transition(case, "extend_seizure", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, days=days)


def do_release_seizure(case, *, acting_user, expected_version, on=None, reason=""):
    return apply_transition(case, "release_seizure", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason)


def do_convert_seizure(case, *, acting_user, expected_version, title="", on=None, reason=""):
    return apply_transition(case, "convert_seizure", acting_user=acting_user, expected_version=expected_version,
                            on=on, reason=reason, title=title)

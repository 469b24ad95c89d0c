"""执法办案 over REST: list, work queue, detail, creation per kind and the transitions of the state
machine (zhifa.cases.machine), all through the core's actions (zhifa.cases.actions).

    GET  /cases                          list with filters (q, kind, state, entity, unit, officer, open,
                                         overdue, due_within), paginated
    GET  /cases/queue                    the caller's work queue, nearest running due date first
    POST /cases                          {kind, on, reason, payload}; typed: POST /cases/new/<kind>
    GET  /cases/{id}                     detail: parties, officers, timeline, deadlines, next transitions
    GET  /cases/{id}/transitions         the next transitions only (allowed, or blocked with the rule)
    POST /cases/{id}/transitions/{name}  {expected_version, on, reason, payload}; one typed operation per
                                         transition name documents its payload

Scope: a case outside restrict(user, "view") is 404 for reads and writes. Refusals keep the core's
rule names: 409 (e.g. case.stale for an outdated expected_version, case.role, officers.two_certified),
422 for rule "validation" and for malformed input, naming the field's Chinese title.
"""
from collections import defaultdict

from django.db.models import Prefetch
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from zhifa.cases import actions as case_actions
from zhifa.cases import machine
from zhifa.cases.api.payloads import (
    CREATE_PAYLOADS,
    TRANSITION_PAYLOADS,
    CaseCreateIn,
    TransitionIn,
    create_arguments,
    resolve,
    typed_create_in,
    typed_transition_in,
    validate_payload,
)
from zhifa.cases.api.schemas import (
    PENDING_DEADLINES,
    CaseDetailOut,
    CaseFilter,
    CaseOut,
    OfferOut,
    QueueItemOut,
    machine_offers,
)
from zhifa.cases.models import Case, CaseEvent, CaseOfficer, Deadline, Kind, Party
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import Pagination, RecordId, actor, get_visible, responses, visible
from zhifa.common.paging import CAP, capped_count

cases = Router(tags=["执法办案"])

# The core's action for each transition (review_pass / review_fail go straight to the engine).
DO = {name: getattr(case_actions, f"do_{name}") for name in TRANSITION_PAYLOADS if name not in ("review_pass", "review_fail")}


# ---- querysets ------------------------------------------------------------------------------------
def with_rows(qs):
    return qs.select_related("entity", "unit")


def attach_rows(cases: list) -> list:
    """What CaseOut reads besides the case row, for a whole page in three queries (parties, active
    officers, pending deadlines) — plain batched look-ups, cheaper than prefetch_related per page."""
    ids = [c.pk for c in cases]
    parties, officers, pending = defaultdict(list), defaultdict(list), defaultdict(list)
    for case_id, name in Party.objects.filter(case_id__in=ids).order_by("case_id", "id").values_list("case_id", "name"):
        parties[case_id].append(name)
    rows = CaseOfficer.objects.filter(case_id__in=ids, active=True).order_by("case_id", "-role", "id")  # lead first
    for case_id, name in rows.values_list("case_id", "officer__name"):
        officers[case_id].append(name)
    for dl in Deadline.objects.filter(case_id__in=ids, state__in=PENDING_DEADLINES).only(
            "id", "case_id", "kind", "label", "due_on", "known", "state", "met_on"):
        pending[dl.case_id].append(dl)
    for c in cases:
        c.party_names_, c.officer_names_, c.pending_deadlines = parties[c.pk], officers[c.pk], pending[c.pk]
    return cases


class CasePagination(Pagination):
    """count stops at CAP + 1 (zhifa/common/paging.py): `more` says there are more than CAP."""

    class Output(Pagination.Output):
        more: bool = Field(False, title="超过计数上限", description=f"为真时 count 只计到 {CAP}（实际更多）")

    def _items_count(self, queryset):
        return capped_count(queryset)

    def paginate_queryset(self, queryset, pagination, request, **params):
        out = super().paginate_queryset(queryset, pagination, request, **params)
        out["items"] = attach_rows(list(out["items"]))
        out["more"] = out["count"] > CAP
        out["count"] = min(out["count"], CAP)
        return out


def get_detail(request, pk):
    qs = with_rows(visible(Case, request)).prefetch_related(
        "parties", Prefetch("officers", CaseOfficer.objects.select_related("officer")), "power_items", "deadlines",
        Prefetch("events", CaseEvent.objects.select_related("actor")),
        Prefetch("deadlines", Deadline.objects.filter(state__in=PENDING_DEADLINES), to_attr="pending_deadlines"))
    return get_visible(qs, request, pk)


# ---- reads ----------------------------------------------------------------------------------------
@cases.get("", response=responses(list[CaseOut]), operation_id="cases_list", summary="案件列表")
@paginate(CasePagination)
def list_cases(request, filters: Query[CaseFilter]):
    return with_rows(filters.apply(visible(Case, request)))


@cases.get("/queue", response=responses(list[QueueItemOut]), operation_id="cases_queue",
           summary="我的待办（按最近届满日排序）",
           description="执法人员：本人在办的未办结案件；负责人、法制审核人员、监督人员：数据范围内的未办结案件。"
                       "按计时中期限的最早届满日排序，无计时期限的排在最后。")
@paginate(CasePagination)
def work_queue(request):
    return with_rows(case_actions.work_queue(actor(request)))


@cases.get("/{pk}", response=responses(CaseDetailOut), operation_id="cases_get",
           summary="案件详情（当事人、承办人员、办案记录、法定期限、可办理的环节）")
def get_case(request, pk: RecordId):
    return get_detail(request, pk)


@cases.get("/{pk}/transitions", response=responses(list[OfferOut]), operation_id="cases_transitions",
           summary="可办理的环节（含被规则阻止的环节及原因）")
def list_transitions(request, pk: RecordId):
    return machine_offers(get_visible(Case, request, pk), actor(request))


# ---- creation ---------------------------------------------------------------------------------------
def _create(request, kind, body, payload):
    user = actor(request)
    data, kw = create_arguments(request, payload)
    if "entity" not in data and user.entity_id is None:
        raise ActionRefused("validation", "执法主体：必须填写", field="entity")
    common = dict(acting_user=user, on=body.on, reason=body.reason, officers=kw.get("officers", []))
    if kind == Kind.PENALTY_GENERAL:
        case = case_actions.do_register_case(data, parties=kw.get("parties", []), power_items=kw.get("power_items", []), **common)
    elif kind == Kind.PENALTY_SIMPLE:
        case = case_actions.do_on_the_spot_penalty(data, place=kw["place"], party=kw["party"],
                                        collected_on_spot=kw.get("collected_on_spot", False),
                                        party_refused_to_sign=kw.get("party_refused_to_sign", False), **common)
    elif kind == Kind.INSPECTION:
        case = case_actions.do_plan_inspection(data, parties=kw.get("parties", []), **common)
    else:
        case = case_actions.do_seize(data, measure=kw["measure"], items=kw["items"], party=kw["party"], **common)
    return Status(201, get_detail(request, case.pk))


@cases.post("", response=responses(CaseDetailOut, 201), operation_id="cases_create",
            summary="新建案件（按类别：案源登记、当场处罚、检查计划、查封扣押）")
def create_case(request, body: CaseCreateIn):
    return _create(request, body.kind, body, validate_payload(CREATE_PAYLOADS[body.kind], body.payload))


def _typed_create(kind):
    In = typed_create_in(kind)

    def endpoint(request, body: In):
        return _create(request, kind, body, validate_payload(CREATE_PAYLOADS[kind], body.payload))

    label = machine.transitions(kind)[next(n for n, t in machine.transitions(kind).items() if t.sources == ("",))].label
    cases.post(f"/new/{kind}", response=responses(CaseDetailOut, 201), operation_id=f"cases_create_{kind}",
               summary=f"新建{Kind(kind).label}：{label}")(endpoint)


for _kind in CREATE_PAYLOADS:
    _typed_create(_kind)


# ---- transitions ---------------------------------------------------------------------------------
def _apply(request, pk, name, body, payload):
    case = get_visible(Case, request, pk)
    common = dict(acting_user=actor(request), expected_version=body.expected_version, on=body.on)
    if payload is None:  # not a transition of any kind: the engine names the refusal
        case_actions.apply_transition(case, name, reason=body.reason, **common)
    else:
        kw = {k: v for k, v in resolve(request, payload).items() if v is not None}
        if name in ("review_pass", "review_fail"):
            case_actions.apply_transition(case, name, reason=body.reason or kw["opinion"], opinion=kw["opinion"], **common)
        else:
            DO[name](case, reason=body.reason, **kw, **common)
    return get_detail(request, pk)


def _labels(name):
    labels = [ts[name].label for ts in machine.MACHINES.values() if name in ts]
    return "／".join(dict.fromkeys(labels))


def _typed_transition(name):
    In = typed_transition_in(name)
    schema = TRANSITION_PAYLOADS[name]

    def endpoint(request, pk: RecordId, body: In):
        return _apply(request, pk, name, body, validate_payload(schema, body.payload))

    kinds = "、".join(str(Kind(k).label) for k, ts in machine.MACHINES.items() if name in ts)
    cases.post(f"/{{pk}}/transitions/{name}", response=responses(CaseDetailOut), operation_id=f"cases_{name}",
               summary=f"办理环节：{_labels(name)}", description=f"适用于：{kinds}。{schema.__doc__ or ''}")(endpoint)


for _name in TRANSITION_PAYLOADS:  # before the generic route, which would match these paths too
    _typed_transition(_name)


@cases.post("/{pk}/transitions/{name}", response=responses(CaseDetailOut), operation_id="cases_transition",
            summary="办理环节（通用）",
            description="name 为环节名（见案件详情 transitions）；payload 按环节而定，内容与各专用接口相同。"
                        "版本不符返回 409 case.stale；被规则阻止返回 409 及规则名；数据校验失败返回 422。")
def apply_transition(request, pk: RecordId, name: str, body: TransitionIn):
    schema = TRANSITION_PAYLOADS.get(name)
    payload = validate_payload(schema, body.payload) if schema is not None else None
    return _apply(request, pk, name, body, payload)

"""评议考核: a yearly score per entity from weighted indicators, each computed from the platform's
own records (deadlines, legal review, publications, case-file scores, complaints) or from results
entered by staff (行政复议、行政诉讼). Indicators without data that year are "不适用" and their
weight is spread over the others, so an entity is not rewarded or punished for having no cases.

Named rules:
  appraisal.weights           weights are non-negative numbers adding up to 100
  appraisal.finalised         a finalised year's scheme and results no longer change
  appraisal.results_consistent corrected/lost cases cannot exceed the cases counted
  appraisal.year_open         a year is finalised only after it has ended
  appraisal.finding_kind      an officer finding is a 复议 / 诉讼 reversal or an upheld complaint
  appraisal.finding_note      a finding says what happened
  appraisal.finding_case      its case or complaint belongs to the officer's entity (the case: one the officer handled)

Officer appraisal (officer_rows): per officer, cases handled in the year, statutory periods breached on
them, legal reviews returned, reversals on 复议/诉讼 and complaints found true (OfficerFinding); a score
of 100 less OFFICER_DEDUCTIONS each; the entity's "officers" indicator is the average of its officers'.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from zhifa.cases.models import Case, Deadline, Kind, LegalReview
from zhifa.common.actions import ActionRefused, OutOfScope, check_scope_new, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.disclosure.models import Complaint, Publication
from zhifa.disclosure.timeliness import status
from zhifa.orgs.models import Entity
from zhifa.review.catalogue import is_major, major_reasons
from zhifa.supervision.models import (
    AppraisalResult,
    AppraisalScheme,
    AppraisalSnapshot,
    CaseReview,
    OfficerFinding,
    ReviewRound,
)

INDICATORS = [  # key, label, default weight, how it is computed (shown on the page)
    ("timeliness", "办案时效", 20, "作出决定、送达等机关法定期限按期完成的比例"),
    ("review", "法制审核覆盖", 15, "重大执法决定经法制审核同意的比例"),
    ("publication", "公示及时性", 15, "执法决定按期公示的比例"),
    ("casefile", "案卷评查", 25, "本年度已完成评查活动中案卷得分的平均值"),
    ("complaints", "投诉举报办理", 10, "投诉举报按期办结的比例"),
    ("reconsideration", "行政复议", 10, "复议案件中未被撤销、变更或确认违法的比例"),
    ("litigation", "行政诉讼", 5, "诉讼案件中未败诉的比例"),
    # Default weight 0: the officers' average shows in every breakdown and counts once a region weights it.
    ("officers", "执法人员考核", 0, "本主体执法人员个人考核得分的平均值（办案、超期、审核退回、复议诉讼纠错、投诉属实）"),
]
LABELS = {k: label for k, label, _w, _h in INDICATORS}
AGENCY_DEADLINES = ("decision", "service", "hearing_notice", "review", "seizure", "crime_transfer_decision")
HUNDRED = Decimal(100)


def default_weights() -> dict:
    return {k: w for k, _l, w, _h in INDICATORS}


def weights_for(region, year) -> dict:
    s = AppraisalScheme.objects.filter(region=region, year=year).first()
    return {**default_weights(), **(s.weights if s else {})}


def entities_of(user, region):
    return (Entity.objects.restrict(user, "view").filter(region__path__startswith=region.path, is_active=True,
                                                         is_justice_bureau=False).order_by("region__path", "name"))


def _ratio(good, total):
    return (Decimal(good) * HUNDRED / Decimal(total)).quantize(Decimal("0.1")) if total else None


def _timeliness(ids, year, today):
    rows = defaultdict(lambda: [0, 0])
    qs = (Deadline.objects.filter(case__entity_id__in=ids, kind__in=AGENCY_DEADLINES, due_on__year=year, known=True)
          .filter(Q(state__in=(Deadline.State.MET, Deadline.State.BREACHED))
                  | Q(state=Deadline.State.RUNNING, due_on__lt=today)))
    for e, state, met_on, due in qs.values_list("case__entity_id", "state", "met_on", "due_on"):
        rows[e][1] += 1
        rows[e][0] += state == Deadline.State.MET and (met_on is None or met_on <= due)
    return {e: (_ratio(g, t), f"按期{g}/{t}") for e, (g, t) in rows.items()}


def _review(ids, year):
    rows = defaultdict(lambda: [0, 0])
    agreed = set(LegalReview.objects.filter(case__entity_id__in=ids, outcome=LegalReview.Outcome.AGREE,
                                            case__decided_on__year=year).values_list("case_id", flat=True))
    for case in Case.objects.filter(entity_id__in=ids, kind=Kind.PENALTY_GENERAL, decided_on__year=year):
        if major_reasons(is_major(case)[1]):
            rows[case.entity_id][1] += 1
            rows[case.entity_id][0] += case.pk in agreed
    return {e: (_ratio(g, t), f"重大案件{t}件，经审核同意{g}件") for e, (g, t) in rows.items()}


def _publication(ids, year, today):
    rows = defaultdict(lambda: [0, 0])
    # 执法决定 only (处罚、许可、其他决定); inspection results and 强制 decisions have their own figures.
    kinds = (Publication.Kind.PENALTY, Publication.Kind.OTHER, Publication.Kind.PERMIT)
    for pub in Publication.objects.filter(entity_id__in=ids, decided_on__year=year, kind__in=kinds):
        s = status(pub, today)
        if s in ("on_time", "late", "missing"):
            rows[pub.entity_id][1] += 1
            rows[pub.entity_id][0] += s == "on_time"
    return {e: (_ratio(g, t), f"按期公示{g}/{t}") for e, (g, t) in rows.items()}


def _casefile(ids, year):
    qs = (CaseReview.objects.filter(entity_id__in=ids, state=CaseReview.State.SUBMITTED, round__year=year,
                                    round__state=ReviewRound.State.FINISHED)
          .values("entity_id").annotate(n=Count("id"), avg=Avg(F("score") * 100 / F("total_points"))))
    return {r["entity_id"]: (Decimal(r["avg"]).quantize(Decimal("0.1")), f"评查{r['n']}件平均得分")
            for r in qs}


def _complaints(ids, year, today):
    rows = defaultdict(lambda: [0, 0])
    qs = Complaint.objects.filter(entity_id__in=ids, received_on__year=year, due_on__isnull=False)
    for e, due, answered in qs.values_list("entity_id", "due_on", "answered_on"):
        if answered is None and due >= today:
            continue  # still within its period: not judged yet
        rows[e][1] += 1
        rows[e][0] += answered is not None and answered <= due
    return {e: (_ratio(g, t), f"按期办结{g}/{t}") for e, (g, t) in rows.items()}


def _entered(ids, year):
    rec, lit = {}, {}
    for r in AppraisalResult.objects.filter(entity_id__in=ids, year=year):
        if r.reconsideration_total:
            rec[r.entity_id] = (_ratio(r.reconsideration_total - r.reconsideration_corrected, r.reconsideration_total),
                                f"复议{r.reconsideration_total}件，纠错{r.reconsideration_corrected}件")
        if r.litigation_total:
            lit[r.entity_id] = (_ratio(r.litigation_total - r.litigation_lost, r.litigation_total),
                                f"诉讼{r.litigation_total}件，败诉{r.litigation_lost}件")
    return rec, lit


OFFICER_DEDUCTIONS = {"overdue": 5, "returned": 3, "reconsideration": 10, "litigation": 10, "complaint": 10}


def officer_rows(entity_ids, year: int, today=None) -> list[dict]:
    """The officer-level appraisal of the entities' officers for a year (officers with nothing to count are
    listed with score None: 无数据)."""
    from zhifa.cases.models import CaseOfficer
    from zhifa.orgs.models import Officer

    today = today or timezone.localdate()
    handled = defaultdict(set)
    for oid, cid in (CaseOfficer.objects.filter(case__entity_id__in=entity_ids)
                     .filter(Q(case__registered_on__year=year) | Q(case__decided_on__year=year))
                     .values_list("officer_id", "case_id")):
        handled[oid].add(cid)
    all_cases = set().union(*handled.values()) if handled else set()
    overdue_cases = set(Deadline.objects.filter(case_id__in=all_cases, kind__in=AGENCY_DEADLINES, known=True)
                        .filter(Q(state=Deadline.State.BREACHED) | Q(state=Deadline.State.RUNNING, due_on__lt=today))
                        .values_list("case_id", flat=True))
    returned = Counter(LegalReview.objects.filter(case_id__in=all_cases, outcome=LegalReview.Outcome.PROBLEMS,
                                                  decided_on__year=year).values_list("case_id", flat=True))
    findings: defaultdict[int, Counter] = defaultdict(Counter)
    for oid, kind in OfficerFinding.objects.filter(entity_id__in=entity_ids, found_on__year=year).values_list("officer_id", "kind"):
        findings[oid][kind] += 1
    out = []
    for o in Officer.objects.filter(entity_id__in=entity_ids).select_related("entity").order_by("entity_id", "name", "pk"):
        cases = handled.get(o.pk, set())
        counts = {"handled": len(cases), "overdue": len(cases & overdue_cases),
                  "returned": sum(returned[c] for c in cases),
                  "reconsideration": findings[o.pk]["reconsideration"], "litigation": findings[o.pk]["litigation"],
                  "complaint": findings[o.pk]["complaint"]}
        applicable = counts["handled"] or any(findings[o.pk].values())
        score = max(0, 100 - sum(OFFICER_DEDUCTIONS[k] * counts[k] for k in OFFICER_DEDUCTIONS)) if applicable else None
        out.append({"officer_id": o.pk, "officer": o.name, "entity_id": o.entity_id, "entity": o.entity.name,
                    **counts, "reversed": counts["reconsideration"] + counts["litigation"],
                    "score": score, "grade": grade(Decimal(score)) if score is not None else "无数据"})
    return out


def _officers(ids, year, today):
    scores = defaultdict(list)
    for r in officer_rows(ids, year, today):
        if r["score"] is not None:
            scores[r["entity_id"]].append(r["score"])
    return {e: ((Decimal(sum(v)) / len(v)).quantize(Decimal("0.1")), f"执法人员{len(v)}名平均得分")
            for e, v in scores.items()}


def compute(user, region, year: int, today=None, weights=None) -> list[dict]:
    """Every entity of the region (within the user's scope): its total and per-indicator breakdown."""
    today = today or timezone.localdate()
    weights = weights or weights_for(region, year)
    entities = list(entities_of(user, region).select_related("region"))
    ids = [e.pk for e in entities]
    rec, lit = _entered(ids, year)
    values = {"timeliness": _timeliness(ids, year, today), "review": _review(ids, year),
              "publication": _publication(ids, year, today), "casefile": _casefile(ids, year),
              "complaints": _complaints(ids, year, today), "reconsideration": rec, "litigation": lit,
              "officers": _officers(ids, year, today)}
    out = []
    for e in entities:
        lines, wsum, acc = [], Decimal(0), Decimal(0)
        for key, label, _w, how in INDICATORS:
            w = Decimal(str(weights.get(key, 0)))
            score, detail = values[key].get(e.pk, (None, "无适用数据"))
            if score is not None and w > 0:
                wsum += w
                acc += w * score
            lines.append({"key": key, "label": label, "weight": str(w), "score": str(score) if score is not None else None,
                          "applicable": score is not None, "detail": detail, "how": how})
        total = (acc / wsum).quantize(Decimal("0.1")) if wsum else None
        for ln in lines:  # the weight each indicator actually carried after spreading 不适用 ones
            ln["effective_weight"] = str((Decimal(ln["weight"]) * HUNDRED / wsum).quantize(Decimal("0.1"))) \
                if ln["applicable"] and wsum else "0"
        out.append({"entity_id": e.pk, "entity": e.name, "region": e.region.name,
                    "total": str(total) if total is not None else None, "grade": grade(total), "lines": lines})
    out.sort(key=lambda r: (r["total"] is None, -Decimal(r["total"] or 0), r["entity"]))
    for rank, r in enumerate(out, 1):
        r["rank"] = rank if r["total"] is not None else None
    return out


def grade(total) -> str:
    if total is None:
        return "无数据"
    return "优秀" if total >= 90 else "良好" if total >= 80 else "合格" if total >= 60 else "不合格"


# ---- actions ------------------------------------------------------------------------------------
def _region_scope(user, region):
    if user.role != Role.SUPERVISOR and not user.is_superuser or user.entity is None \
            or not region.path.startswith(user.entity.region.path):
        raise OutOfScope("超出您的监督区域")


def _not_final(region, year):
    if AppraisalSnapshot.objects.filter(region=region, year=year).exists():
        raise ActionRefused("appraisal.finalised", f"{region.name}{year}年度评议考核已定稿，不能再修改", "year")


@transaction.atomic
def do_save_scheme(*, acting_user, region, year: int, weights: dict) -> AppraisalScheme:
    _region_scope(acting_user, region)
    _not_final(region, year)
    clean = {}
    for key, label, _w, _h in INDICATORS:
        try:
            w = Decimal(str(weights.get(key, 0) if weights.get(key, 0) not in ("", None) else 0))
        except Exception:  # noqa: BLE001 - any unparsable weight is refused below
            w = Decimal(-1)
        if not w.is_finite() or w < 0 or w > 100:
            raise ActionRefused("appraisal.weights", f"“{label}”的权重应为0至100之间的数字", key)
        clean[key] = float(w)
    if sum(Decimal(str(v)) for v in clean.values()) != 100:
        raise ActionRefused("appraisal.weights", f"各项指标权重合计应为100，现为{sum(clean.values()):g}", "weights")
    scheme = AppraisalScheme.objects.select_for_update().filter(region=region, year=year).first()
    if scheme is None:
        scheme = AppraisalScheme.objects.create(owner=acting_user.entity, region=region, year=year, weights=clean)
        log_change(scheme, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(scheme))
        return scheme
    before = snapshot(scheme)
    scheme.weights = clean
    scheme.save()
    log_change(scheme, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(scheme))
    return scheme


RESULT_FIELDS = ("reconsideration_total", "reconsideration_corrected", "litigation_total", "litigation_lost")


@transaction.atomic
def do_enter_results(*, acting_user, entity, year: int, data: dict, on=None) -> AppraisalResult:
    """Enter (or correct) an entity's 行政复议/行政诉讼 results for a year."""
    check_scope_new(acting_user, AppraisalResult, entity)
    _not_final_for_entity(entity, year)
    nums = {}
    for f in RESULT_FIELDS:
        v = str(data.get(f, 0) if data.get(f) not in (None, "") else 0).strip()
        if not v.isdigit() or int(v) > 100000:
            label = AppraisalResult._meta.get_field(f).verbose_name
            raise ActionRefused("validation", f"{label}应为非负整数", f)
        nums[f] = int(v)
    if nums["reconsideration_corrected"] > nums["reconsideration_total"]:
        raise ActionRefused("appraisal.results_consistent", "被撤销、变更或确认违法数不能超过行政复议案件数",
                            "reconsideration_corrected")
    if nums["litigation_lost"] > nums["litigation_total"]:
        raise ActionRefused("appraisal.results_consistent", "败诉数不能超过行政诉讼案件数", "litigation_lost")
    row = AppraisalResult.objects.select_for_update().filter(entity=entity, year=year).first()
    before = snapshot(row) if row else None
    if row is None:
        row = AppraisalResult(entity=entity, year=year)
    for f, v in nums.items():
        setattr(row, f, v)
    row.note = str(data.get("note") or "").strip()[:300]
    row.entered_by, row.entered_on = acting_user, on or timezone.localdate()
    row.save()
    log_change(row, ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE, acting_user=acting_user,
               before=before, after=snapshot(row))
    return row


def _not_final_for_entity(entity, year):
    for s in AppraisalSnapshot.objects.filter(year=year).select_related("region"):
        if entity.region.path.startswith(s.region.path):
            raise ActionRefused("appraisal.finalised", f"{s.region.name}{year}年度评议考核已定稿，不能再修改", "year")


@transaction.atomic
def do_finalise(*, acting_user, region, year: int, on=None) -> AppraisalSnapshot:
    """Store the year's appraisal as computed now; later changes to the data do not alter it."""
    _region_scope(acting_user, region)
    _not_final(region, year)
    on = on or timezone.localdate()
    if year >= on.year:
        raise ActionRefused("appraisal.year_open", f"{year}年度尚未结束，不能定稿", "year")
    weights = weights_for(region, year)
    rows = compute(acting_user, region, year, today=on, weights=weights)
    snap = AppraisalSnapshot.objects.create(owner=acting_user.entity, region=region, year=year, weights=weights,
                                            rows=rows, finalised_by=acting_user, finalised_on=on)
    log_change(snap, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(snap),
               reason=f"{region.name}{year}年度评议考核定稿")
    return snap


FINDING_KINDS = dict(OfficerFinding.Kind.choices)


@transaction.atomic
def do_record_officer_finding(*, acting_user, officer, kind: str, note: str, found_on=None, case=None,
                              complaint=None) -> OfficerFinding:
    """Enter a 复议/诉讼 reversal or an upheld complaint against an officer (supervisors of the region, or the
    officer's agency head)."""
    from zhifa.cases.models import CaseOfficer
    from zhifa.ledger import log as ledger

    check_scope_new(acting_user, OfficerFinding, officer.entity)
    if kind not in FINDING_KINDS:
        raise ActionRefused("appraisal.finding_kind", "类别应为行政复议纠错、行政诉讼败诉或投诉举报查证属实", "kind")
    note = (note or "").strip()[:300]
    if not note:
        raise ActionRefused("appraisal.finding_note", "请填写说明（如复议决定书文号、投诉查处结论）", "note")
    if case is not None and (case.entity_id != officer.entity_id
                             or not CaseOfficer.objects.filter(case=case, officer=officer).exists()):
        raise ActionRefused("appraisal.finding_case", "相关案件应为该执法人员承办的案件", "case")
    if complaint is not None and complaint.entity_id != officer.entity_id:
        raise ActionRefused("appraisal.finding_case", "相关投诉应为该执法人员所在主体的投诉", "complaint")
    found_on = found_on or timezone.localdate()
    _not_final_for_entity(officer.entity, found_on.year)
    row = OfficerFinding.objects.create(officer=officer, entity=officer.entity, kind=kind, case=case, complaint=complaint,
                                        found_on=found_on, note=note, entered_by=acting_user)
    log_change(row, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(row), reason=note)
    ledger.append("supervision.officer_finding", subject=row, actor=acting_user, case=case,
                  data={"officer": officer.pk, "kind": kind, "found_on": found_on.isoformat(), "note": note})
    return row

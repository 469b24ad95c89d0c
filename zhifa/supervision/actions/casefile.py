"""案卷评查 actions: rubrics, review rounds, sampling, reviewers, scoring, guidance marks.

Each runs in one transaction, takes keyword-only acting_user, refuses with
ActionRefused(rule, Chinese message, field) and writes a ChangeLog row (and so a ledger entry).

Named rules:
  casefile.rubric_editor        rubrics are edited by administrators, or by justice-bureau supervisors for their region
  casefile.rubric_exists        one rubric per case kind and region
  casefile.rubric_items         every item has a code, a category, a text and points > 0
  casefile.rubric_deduction     a deduction option states the case and takes 0 < points ≤ the item's points
  casefile.rubric_total         the items' points add up to the rubric's total
  casefile.round_name           a round has a name
  casefile.round_kinds          a round covers at least one case kind
  casefile.round_dates          its closing window runs forwards
  casefile.thresholds           0 < 合格 < 优秀 ≤ 100
  casefile.round_finished       a finished round takes no more changes
  casefile.already_sampled      one random draw per round (the seed is its record)
  casefile.sample_size          a draw takes a ratio in (0, 1] or a count ≥ 1
  casefile.case_outside_round   a hand-picked case lies in the round's region and kinds
  casefile.case_not_finished    only closed or archived case files are reviewed
  casefile.case_in_round        a case is reviewed once per round
  casefile.no_rubric            a case kind without a rubric cannot be reviewed
  casefile.reviewer_role        a reviewer is a supervisor or a qualified legal reviewer
  casefile.reviewer_independent a reviewer never handled, reviewed or decided the case
  casefile.reviewer_scope       a reviewer can open the case file
  casefile.not_reviewer         only the assigned reviewer scores
  casefile.review_submitted     a submitted score is final
  casefile.deduction_reason     a deduction states its reason
  casefile.guidance_excellent   only an 优秀 file is recommended for guidance
  casefile.round_empty          a round without files cannot be finished
  casefile.round_incomplete     a round is finished when every file is scored
"""
from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case, Kind
from zhifa.common.actions import ActionRefused, OutOfScope, bulk_log_created, check_scope, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity
from zhifa.supervision import scoring
from zhifa.supervision.models import CaseReview, ReviewRound, Rubric, ScoreLine

ReviewState = CaseReview.State


def _today(on):
    return on or timezone.localdate()


def _is_admin(user):
    return user.is_superuser or user.role == Role.ADMIN


# ---- rubrics ----------------------------------------------------------------------------------
@transaction.atomic
def do_ensure_default_rubrics(*, acting_user=None) -> list[Rubric]:
    """Create the system default rubric of every case kind that has none (idempotent)."""
    made = []
    for kind, (name, items) in scoring.DEFAULTS.items():
        if not Rubric.objects.filter(kind=kind, region__isnull=True).exists():
            r = Rubric.objects.create(kind=kind, name=name, items=scoring.check_items(items, 100), total_points=100)
            log_change(r, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(r), reason="系统默认评查标准")
            made.append(r)
    return made


def may_edit_rubric(user, region) -> bool:
    if _is_admin(user):
        return True
    if user.role != Role.SUPERVISOR or user.entity is None or not user.entity.is_justice_bureau or region is None:
        return False
    return region.path.startswith(user.entity.region.path)


@transaction.atomic
def do_save_rubric(*, acting_user, kind: str, name: str, items, region=None, total_points=100,
                   rubric: Rubric | None = None, reason: str = "") -> Rubric:
    """Create a rubric for (kind, region), or replace an existing one's items (its version goes up;
    reviews keep the copy they were scored on)."""
    if rubric is not None:
        rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
        kind, region = rubric.kind, rubric.region
    if kind not in Kind.values:
        raise ActionRefused("validation", "案件类别不正确", "kind")
    if not may_edit_rubric(acting_user, region):
        raise ActionRefused("casefile.rubric_editor", "评查标准由系统管理员或本级司法行政机关执法监督人员修改"
                            "（系统默认标准仅管理员可改）", "region")
    name = (name or "").strip()[:120]
    if not name:
        raise ActionRefused("validation", "评查标准名称：不能为空", "name")
    total = scoring.dec(total_points, "total_points", "总分")
    if total <= 0:
        raise ActionRefused("validation", "总分应大于0", "total_points")
    clean = scoring.check_items(items, total)
    if rubric is None:
        if Rubric.objects.filter(kind=kind, region=region).exists():
            raise ActionRefused("casefile.rubric_exists", "该区划已有此类案件的评查标准，请直接修改", "kind")
        rubric = Rubric.objects.create(kind=kind, region=region, name=name, items=clean, total_points=total)
        log_change(rubric, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(rubric), reason=reason)
        return rubric
    before = snapshot(rubric)
    rubric.name, rubric.items, rubric.total_points, rubric.version = name, clean, total, rubric.version + 1
    rubric.save()
    log_change(rubric, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(rubric),
               reason=reason)
    return rubric


# ---- rounds -------------------------------------------------------------------------------------
def _parse_date(value, field, label):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ActionRefused("validation", f"{label}：日期格式应为YYYY-MM-DD", field) from None


@transaction.atomic
def do_create_round(*, acting_user, name: str, year, kinds, closed_from, closed_to, region=None,
                    pass_min=None, excellent_min=None, on=None) -> ReviewRound:
    owner = acting_user.entity
    if acting_user.role != Role.SUPERVISOR or owner is None \
            or not can_on_entity(acting_user, "change", ReviewRound, owner):
        raise OutOfScope("评查活动由司法行政机关执法监督人员发起")
    region = region or owner.region
    if not region.path.startswith(owner.region.path):
        raise OutOfScope("评查范围超出您的监督区域")
    name = (name or "").strip()[:120]
    if not name:
        raise ActionRefused("casefile.round_name", "请填写活动名称", "name")
    kinds = [k for k in (kinds or []) if k in Kind.values]
    if not kinds:
        raise ActionRefused("casefile.round_kinds", "请至少选择一类案件", "kinds")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ActionRefused("validation", "考核年度应为年份", "year") from None
    if not 2000 <= year <= 2100:
        raise ActionRefused("validation", "考核年度应为年份", "year")
    closed_from = _parse_date(closed_from, "closed_from", "结案日期起")
    closed_to = _parse_date(closed_to, "closed_to", "结案日期止")
    if closed_from > closed_to:
        raise ActionRefused("casefile.round_dates", "结案日期止不能早于结案日期起", "closed_to")
    pass_min = scoring.dec(pass_min if pass_min not in (None, "") else getattr(settings, "ZHIFA_CASEFILE_PASS", 60),
                           "pass_min", "合格分数线")
    excellent_min = scoring.dec(excellent_min if excellent_min not in (None, "")
                                else getattr(settings, "ZHIFA_CASEFILE_EXCELLENT", 90), "excellent_min", "优秀分数线")
    if not (0 < pass_min < excellent_min <= 100):
        raise ActionRefused("casefile.thresholds", "分数线应满足 0 < 合格 < 优秀 ≤ 100", "excellent_min")
    do_ensure_default_rubrics(acting_user=acting_user)
    r = ReviewRound.objects.create(owner=owner, region=region, name=name, year=year, kinds=kinds,
                                   closed_from=closed_from, closed_to=closed_to, pass_min=pass_min,
                                   excellent_min=excellent_min, created_by=acting_user, created_on=_today(on))
    log_change(r, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(r))
    return r


def _lock_round(round_, user):
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    check_scope(user, round_, "change")
    if round_.state != ReviewRound.State.OPEN:
        raise ActionRefused("casefile.round_finished", "评查活动已完成，不能再修改", "state")
    return round_


def _new_review(round_, case, how) -> CaseReview:
    rubric = scoring.rubric_for(case.kind, case.entity.region)
    if rubric is None:
        raise ActionRefused("casefile.no_rubric", f"“{case.get_kind_display()}”尚无评查标准", "case")
    return CaseReview(round=round_, case=case, entity_id=case.entity_id, how=how, rubric=rubric,
                      rubric_version=rubric.version, rubric_items=rubric.items, total_points=rubric.total_points)


@transaction.atomic
def do_sample_round(round_: ReviewRound, *, acting_user, ratio=None, count=None, seed=None, on=None) -> list[CaseReview]:
    """Random draw per entity over the round's population; the seed is recorded so that anyone can
    re-draw the same files (casefile.draw)."""
    round_ = _lock_round(round_, acting_user)
    if round_.seed is not None:
        raise ActionRefused("casefile.already_sampled", f"本活动已随机抽取（种子 {round_.seed}），可另行指定案卷", "seed")
    ratio = None if ratio in (None, "") else Decimal(str(ratio)) if _number(ratio) else "bad"
    count = None if count in (None, "") else int(count) if str(count).strip().isdigit() else "bad"
    if (ratio is None) == (count is None) or ratio == "bad" or count == "bad" \
            or (ratio is not None and not Decimal("0") < ratio <= 1) or (count is not None and count < 1):
        raise ActionRefused("casefile.sample_size", "请填写抽取比例（0至1之间）或每个执法主体抽取的件数，二者选一", "ratio")
    if seed in (None, ""):
        seed = secrets.randbelow(2**31)
    elif not str(seed).strip().isdigit() or int(seed) >= 2**62:
        raise ActionRefused("validation", "随机种子应为非负整数", "seed")
    seed = int(seed)
    taken = set(round_.reviews.values_list("case_id", flat=True))
    by_entity: dict[int, list[int]] = {}
    for pk, entity_id in scoring.population(acting_user, round_).values_list("pk", "entity_id"):
        if pk not in taken:
            by_entity.setdefault(entity_id, []).append(pk)
    ids = scoring.draw(by_entity, seed, ratio=ratio, count=count)
    cases = Case.objects.filter(pk__in=ids).select_related("entity__region").order_by("pk")
    made = CaseReview.objects.bulk_create([_new_review(round_, c, CaseReview.How.RANDOM) for c in cases])
    bulk_log_created(made, acting_user=acting_user, reason=f"随机抽取（种子 {seed}）")
    before = snapshot(round_)
    round_.seed, round_.sample_ratio, round_.sample_count, round_.sampled_on = seed, ratio, count, _today(on)
    round_.save()
    log_change(round_, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(round_),
               reason=f"随机抽取{len(made)}件（总体{sum(len(v) for v in by_entity.values())}件）")
    return made


def _number(value) -> bool:
    try:
        return Decimal(str(value)).is_finite()
    except Exception:  # noqa: BLE001 - any unparsable input is "not a number"
        return False


@transaction.atomic
def do_add_case(round_: ReviewRound, case: Case, *, acting_user) -> CaseReview:
    """Hand-pick a case file (指定选取)."""
    round_ = _lock_round(round_, acting_user)
    if not can(acting_user, "view", case):
        raise OutOfScope()
    case = Case.objects.select_related("entity__region").get(pk=case.pk)
    if not case.entity.region.path.startswith(round_.region.path) or case.kind not in round_.kinds:
        raise ActionRefused("casefile.case_outside_round", "该案件不在本次评查的区域或案件类别范围内", "case")
    if case.state not in scoring.FINISHED_STATES:
        raise ActionRefused("casefile.case_not_finished", "只能评查已结案或已归档的案卷", "case")
    if round_.reviews.filter(case=case).exists():
        raise ActionRefused("casefile.case_in_round", "该案卷已在本次评查中", "case")
    review = _new_review(round_, case, CaseReview.How.MANUAL)
    review.save()
    log_change(review, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(review), reason="指定选取")
    return review


@transaction.atomic
def do_assign_reviewer(review: CaseReview, reviewer, *, acting_user) -> CaseReview:
    review = CaseReview.objects.select_for_update().select_related("case", "round").get(pk=review.pk)
    check_scope(acting_user, review, "change")
    _lock_round(review.round, acting_user)
    if review.state != ReviewState.PENDING:
        raise ActionRefused("casefile.review_submitted", "该案卷已提交评分，不能更换评查人", "reviewer")
    refusal = scoring.reviewer_refusal(reviewer, review.case)
    if refusal:
        raise refusal
    before = snapshot(review)
    review.reviewer = reviewer
    review.save()
    log_change(review, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(review),
               reason=f"指定评查人：{reviewer.display_name or reviewer.username}")
    return review


# ---- scoring ----------------------------------------------------------------------------------
def _lines(review, lines: dict) -> list[ScoreLine]:
    items = {i["code"]: i for i in review.rubric_items}
    unknown = set(lines or {}) - set(items)
    if unknown:
        raise ActionRefused("validation", f"评查项目“{sorted(unknown)[0]}”不在本案卷的评查标准中", "lines")
    out = []
    for code, item in items.items():
        given = (lines or {}).get(code) or {}
        try:
            options = sorted({int(x) for x in given.get("options") or []})
        except (TypeError, ValueError):
            raise ActionRefused("validation", f"{code}：扣分情形应为编号", f"lines.{code}") from None
        if any(not 0 <= o < len(item["deductions"]) for o in options):
            raise ActionRefused("validation", f"{code}：扣分情形不存在", f"lines.{code}")
        extra = scoring.dec(given.get("extra"), f"lines.{code}", f"{code} 其他扣分")
        deducted, veto = scoring.line_deduction(item, options, extra)
        reason = str(given.get("reason") or "").strip()[:2000]
        if (options or extra > 0) and not reason:
            raise ActionRefused("casefile.deduction_reason", f"{code}“{item['text'][:20]}”有扣分，请写明扣分理由",
                                f"lines.{code}")
        line = ScoreLine(review=review, code=code, category=item["category"], text=item["text"],
                         max_points=Decimal(item["points"]), options=options, extra=extra, deducted=deducted,
                         reason=reason)
        line.veto = veto
        out.append(line)
    return out


@transaction.atomic
def do_score_review(review: CaseReview, *, acting_user, lines: dict, comment: str = "", submit=False,
                    on=None) -> CaseReview:
    """Save the reviewer's deductions (a draft), or submit them: score = Σ max(0, points − deducted);
    grade by the round's thresholds; any 否决项 makes it 不合格."""
    review = CaseReview.objects.select_for_update().select_related("round", "case").get(pk=review.pk)
    if review.reviewer_id != acting_user.pk:
        raise ActionRefused("casefile.not_reviewer", "只有指定的评查人可以评分", "reviewer")
    if not can(acting_user, "view", review.case):
        raise OutOfScope()
    if review.round.state != ReviewRound.State.OPEN:
        raise ActionRefused("casefile.round_finished", "评查活动已完成，不能再评分", "state")
    if review.state != ReviewState.PENDING:
        raise ActionRefused("casefile.review_submitted", "评分已提交，不能修改", "state")
    new = _lines(review, lines)
    before = snapshot(review)
    ScoreLine.objects.filter(review=review).delete()
    ScoreLine.objects.bulk_create(new)
    review.comment = (comment or "").strip()[:5000]
    score = sum((ln.max_points - ln.deducted for ln in new), Decimal("0"))
    review.score, review.vetoed = score, any(ln.veto for ln in new)
    review.grade = scoring.grade_of(score, review.total_points, review.vetoed, review.round)
    if submit:
        review.state, review.submitted_on = ReviewState.SUBMITTED, _today(on)
    review.save()
    log_change(review, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(review),
               reason="提交评分" if submit else "暂存评分")
    return review


@transaction.atomic
def do_mark_guidance(review: CaseReview, *, acting_user, recommended: bool) -> CaseReview:
    """Mark an excellent file as a candidate guiding case (案例指导 picks up recommended_for_guidance)."""
    review = CaseReview.objects.select_for_update().get(pk=review.pk)
    check_scope(acting_user, review, "change")
    if recommended and (review.state != ReviewState.SUBMITTED or review.grade != CaseReview.Grade.EXCELLENT):
        raise ActionRefused("casefile.guidance_excellent", "只有评为优秀的案卷可以推荐为指导案例", "recommended_for_guidance")
    before = snapshot(review)
    review.recommended_for_guidance = bool(recommended)
    review.save()
    log_change(review, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(review),
               reason="推荐为指导案例" if recommended else "取消推荐")
    return review


@transaction.atomic
def do_finish_round(round_: ReviewRound, *, acting_user, on=None) -> ReviewRound:
    round_ = _lock_round(round_, acting_user)
    if not round_.reviews.exists():
        raise ActionRefused("casefile.round_empty", "本活动尚无评查案卷", "state")
    left = round_.reviews.exclude(state=ReviewState.SUBMITTED).count()
    if left:
        raise ActionRefused("casefile.round_incomplete", f"尚有{left}件案卷未提交评分", "state")
    before = snapshot(round_)
    round_.state, round_.finished_on = ReviewRound.State.FINISHED, _today(on)
    round_.save()
    log_change(round_, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(round_),
               reason="评查活动完成")
    return round_

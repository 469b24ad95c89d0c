"""案卷评查 pages: rounds (create, sample, hand-pick, assign, results, finish), the reviewer's queue,
the scoring page with the whole case file beside it (the case's own panels loaded by HTMX), and
the rubric editor. Reads go through restrict(); writes through actions.casefile."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case, Kind
from zhifa.cases.views.display import documents_url
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.common.scope import can, get_or_deny
from zhifa.orgs.models import Region, User
from zhifa.supervision import scoring
from zhifa.supervision.actions import casefile as casefile_actions
from zhifa.supervision.choices import CATEGORIES
from zhifa.supervision.models import CaseReview, ReviewRound, Rubric
from zhifa.supervision.views.access import require_supervisor_or_admin


def visible_reviews(user):
    """Supervisors see the files of their region; others only the files assigned to them and the
    results of finished rounds of their own entity."""
    qs = CaseReview.objects.restrict(user, "view")
    if user.is_superuser or user.role in (Role.SUPERVISOR, Role.ADMIN):
        return qs
    return qs.filter(Q(reviewer=user) | Q(round__state=ReviewRound.State.FINISHED))


def regions_for(user):
    """The user's region and the regions below it (for a round's scope)."""
    if user.entity is None:
        return Region.objects.filter(level__lte=3).order_by("path")
    return Region.objects.filter(path__startswith=user.entity.region.path).order_by("path")[:300]


@login_required
def home(request):
    user = require_supervisor_or_admin(request)
    rounds = ReviewRound.objects.restrict(user).select_related("region", "owner")
    return render(request, "supervision/casefile_home.html", {
        "rounds": rounds[:100], "mine": visible_reviews(user).filter(reviewer=user, state="pending").count()})


@login_required
def round_new(request):
    user = require_supervisor_or_admin(request)
    today = timezone.localdate()
    g = request.POST if request.method == "POST" else {}
    form = {"name": g.get("name", f"{today.year}年度行政执法案卷评查"), "year": g.get("year", today.year),
            "kinds": g.getlist("kinds") if g else [Kind.PENALTY_GENERAL.value],
            "closed_from": g.get("closed_from", f"{today.year}-01-01"), "closed_to": g.get("closed_to", today.isoformat()),
            "pass_min": g.get("pass_min", "60"), "excellent_min": g.get("excellent_min", "90"),
            "region": g.get("region", str(user.entity.region_id) if user.entity else "")}
    error = None
    if request.method == "POST":
        region = Region.objects.filter(pk=form["region"]).first() if str(form["region"]).isdigit() else None
        try:
            r = casefile_actions.do_create_round(acting_user=user, name=form["name"], year=form["year"], kinds=form["kinds"],
                                  closed_from=form["closed_from"], closed_to=form["closed_to"], region=region,
                                  pass_min=form["pass_min"], excellent_min=form["excellent_min"])
            messages.success(request, "评查活动已创建，请抽取案卷")
            return redirect("casefile-round", pk=r.pk)
        except ActionRefused as e:
            error = e
    return render(request, "supervision/casefile_new.html", {"form": form, "error": error, "kinds": Kind.choices,
                                                             "regions": regions_for(user)},
                  status=422 if error else 200)


def _reviewers(user, review):
    """People who may review this file: supervisors of the region and qualified legal reviewers,
    minus those the independence rule excludes (shown to the organiser, checked again on save)."""
    people = scoring.case_people(review.case)
    qs = (User.objects.filter(is_active=True).filter(
        Q(role=Role.SUPERVISOR, entity__region__path__startswith=review.round.region.path)
        | Q(role=Role.SUPERVISOR, entity__region__path__startswith=user.entity.region.path if user.entity else "/")
        | Q(role=Role.LEGAL_REVIEWER, entity=review.entity, officer__is_legal_reviewer=True,
            officer__legal_qualification=True))
          .exclude(pk__in=people).select_related("entity").order_by("role", "username").distinct())
    return list(qs[:100])


@login_required
def round_detail(request, pk):
    user = require_supervisor_or_admin(request)
    r = get_or_deny(ReviewRound.objects.restrict(user).select_related("region", "owner", "created_by"), pk=pk)
    error = None
    if request.method == "POST":
        op, p = request.POST.get("op", ""), request.POST
        try:
            if op == "sample":
                made = casefile_actions.do_sample_round(r, acting_user=user, ratio=p.get("ratio"), count=p.get("count"),
                                         seed=p.get("seed"))
                messages.success(request, f"已随机抽取{len(made)}件案卷")
            elif op == "add":
                number = p.get("case", "").strip()
                case = Case.objects.restrict(user).filter(Q(number=number) | Q(decision_number=number)).first() \
                    if number else None
                if case is None and number.isdigit():
                    case = Case.objects.restrict(user).filter(pk=int(number)).first()
                if case is None:
                    raise ActionRefused("validation", "案件编号：未找到该案件（或不在您的数据范围内）", "case")
                casefile_actions.do_add_case(r, case, acting_user=user)
                messages.success(request, f"已选取 {case}")
            elif op == "assign":
                review = get_or_deny(CaseReview.objects.restrict(user).filter(round=r), pk=p.get("review") or 0)
                reviewer = User.objects.filter(pk=p.get("reviewer") or 0).first() if str(p.get("reviewer", "")).isdigit() \
                    else None
                casefile_actions.do_assign_reviewer(review, reviewer, acting_user=user)
                messages.success(request, "已指定评查人")
            elif op == "guidance":
                review = get_or_deny(CaseReview.objects.restrict(user).filter(round=r), pk=p.get("review") or 0)
                casefile_actions.do_mark_guidance(review, acting_user=user, recommended=p.get("recommended") == "1")
                messages.success(request, "已更新指导案例推荐")
            elif op == "finish":
                casefile_actions.do_finish_round(r, acting_user=user)
                messages.success(request, "评查活动已完成")
            else:
                raise ActionRefused("validation", "未知操作", "op")
            return redirect("casefile-round", pk=r.pk)
        except ActionRefused as e:
            error = e
    reviews = list(r.reviews.select_related("case", "entity", "reviewer").order_by("entity__name", "case_id"))
    editable = r.state == ReviewRound.State.OPEN and can(user, "change", r)
    if editable:
        for rv in reviews:
            rv.candidates = _reviewers(user, rv) if rv.state == "pending" else []
    return render(request, "supervision/casefile_round.html", {
        "round": r, "reviews": reviews, "error": error, "editable": editable,
        "kinds": [dict(Kind.choices).get(k, k) for k in r.kinds],
        "summary": scoring.summary(r.reviews.all()), "per_entity": scoring.per_entity(r.reviews.all()),
        "worst": scoring.worst_items(r.reviews.all()), "population": scoring.population(user, r).count()},
        status=422 if error else 200)


@login_required
def mine(request):
    qs = visible_reviews(request.user).filter(reviewer=request.user).select_related("case", "entity", "round")
    return render(request, "supervision/casefile_mine.html", {"reviews": qs.order_by("state", "-round__created_on", "id")[:200]})


def _posted_lines(post, items):
    return {i["code"]: {"options": post.getlist(f"opt_{i['code']}"), "extra": post.get(f"extra_{i['code']}", ""),
                        "reason": post.get(f"reason_{i['code']}", "")} for i in items}


@login_required
def review_page(request, pk):
    user = request.user
    review = get_or_deny(visible_reviews(user).select_related("case", "case__entity", "round", "reviewer", "entity"),
                         pk=pk)
    may_score = (review.reviewer_id == user.pk and review.state == CaseReview.State.PENDING
                 and review.round.state == ReviewRound.State.OPEN)
    error, posted = None, None
    if request.method == "POST":
        posted = _posted_lines(request.POST, review.rubric_items)
        try:
            casefile_actions.do_score_review(review, acting_user=user, lines=posted, comment=request.POST.get("comment", ""),
                              submit=request.POST.get("action") == "submit")
            messages.success(request, "评分已提交" if request.POST.get("action") == "submit" else "评分已暂存")
            return redirect("casefile-review", pk=review.pk)
        except ActionRefused as e:
            error = e
    saved = {ln.code: ln for ln in review.lines.all()}
    groups = []
    for label, items in scoring.grouped(review.rubric_items):
        rows = []
        for it in items:
            ln = saved.get(it["code"])
            if posted:
                chosen = {int(x) for x in posted[it["code"]]["options"] if str(x).isdigit()}
                extra, reason = posted[it["code"]]["extra"], posted[it["code"]]["reason"]
            else:
                chosen = set(ln.options) if ln else set()
                extra, reason = (ln.extra if ln and ln.extra else ""), (ln.reason if ln else "")
            rows.append({"item": it, "line": ln, "chosen": chosen, "extra": extra, "reason": reason,
                         "options": [(n, d, n in chosen) for n, d in enumerate(it["deductions"])],
                         "score": (ln.max_points - ln.deducted) if ln else None,
                         "has_error": error is not None and error.field == f"lines.{it['code']}"})
        groups.append((label, rows))
    case = review.case
    return render(request, "supervision/casefile_review.html", {
        "review": review, "case": case, "groups": groups, "may_score": may_score, "error": error,
        "comment": request.POST.get("comment", review.comment) if posted else review.comment,
        "docs_url": documents_url(case), "records_url": reverse("records-case", args=[case.pk]),
        "access_url": reverse("records-case-access", args=[case.pk])
        if user.is_superuser or user.role in (Role.SUPERVISOR, Role.ADMIN, Role.AGENCY_HEAD, Role.UNIT_HEAD) else None,
    }, status=422 if error else 200)


# ---- rubrics ---------------------------------------------------------------------------------
@login_required
def rubric_list(request):
    user = require_supervisor_or_admin(request)
    casefile_actions.do_ensure_default_rubrics(acting_user=user)
    rubrics = Rubric.objects.restrict(user).select_related("region")
    return render(request, "supervision/casefile_rubrics.html", {
        "rubrics": rubrics, "kinds": Kind.choices,
        "may_add": user.is_superuser or user.role == Role.ADMIN or (user.entity and user.entity.is_justice_bureau)})


def _items_from_post(post):
    items = []
    for n in range(int(post.get("rows", "0") or 0) if str(post.get("rows", "0")).isdigit() else 0):
        text = post.get(f"text_{n}", "").strip()
        if not text:
            continue  # an emptied row removes the item
        deds = []
        for line in post.get(f"ded_{n}", "").splitlines():
            parts = [x.strip() for x in line.replace("｜", "|").split("|")]
            if parts and parts[0]:
                deds.append({"text": parts[0], "points": parts[1] if len(parts) > 1 else "",
                             "veto": len(parts) > 2 and parts[2] in ("否决", "veto", "1")})
        items.append({"code": post.get(f"code_{n}", "").strip(), "category": post.get(f"cat_{n}", ""), "text": text,
                      "points": post.get(f"pts_{n}", ""), "deductions": deds})
    return items


def _ded_text(item):
    return "\n".join(f"{d['text']}|{d['points']}{'|否决' if d.get('veto') else ''}" for d in item.get("deductions", []))


@login_required
def rubric_edit(request, pk=None):
    user = require_supervisor_or_admin(request)
    rubric = get_or_deny(Rubric.objects.restrict(user).select_related("region"), pk=pk) if pk else None
    region = rubric.region if rubric else None
    kind = rubric.kind if rubric else request.GET.get("kind") or request.POST.get("kind", "")
    if rubric is None:
        if kind not in Kind.values:
            raise Http404
        if user.entity is not None:
            region = user.entity.region
        base = scoring.rubric_for(kind, region)
        items, name = (base.items if base else []), (f"{region.name if region else ''}{dict(Kind.choices)[kind]}案卷评查标准")
    else:
        items, name = rubric.items, rubric.name
    error = None
    if request.method == "POST":
        items, name = _items_from_post(request.POST), request.POST.get("name", "")
        try:
            saved = casefile_actions.do_save_rubric(acting_user=user, kind=kind, name=name, items=items, region=region,
                                     total_points=request.POST.get("total_points", "100"), rubric=rubric,
                                     reason=request.POST.get("reason", ""))
            messages.success(request, f"评查标准已保存（第{saved.version}版）")
            return redirect("casefile-rubric", pk=saved.pk)
        except ActionRefused as e:
            error = e
    rows = [{"n": n, **it, "ded": _ded_text(it)} for n, it in enumerate(items)]
    rows += [{"n": len(rows) + k, "code": "", "category": "", "text": "", "points": "", "ded": ""} for k in range(3)]
    return render(request, "supervision/casefile_rubric.html", {
        "rubric": rubric, "rows": rows, "name": name, "kind": kind, "kind_label": dict(Kind.choices).get(kind, kind),
        "region": region, "categories": CATEGORIES, "error": error,
        "total": request.POST.get("total_points") or (rubric.total_points if rubric else 100),
        "may_edit": casefile_actions.may_edit_rubric(user, region)}, status=422 if error else 200)

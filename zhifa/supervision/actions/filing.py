"""重大行政处罚备案审查: the writers of MajorFiling and FilingPeriods. Each runs in one transaction,
takes keyword-only acting_user and refuses with ActionRefused(rule, Chinese message, field).

    open_filing(case)        the `decide` subscriber (zhifa/supervision/subscribers.py): a decision the
                             catalogue marks major (zhifa.review.catalogue.is_major) gets its filing,
                             due `days` working days after the decision (the bureau's FilingPeriods)
    do_file_major            the agency files it with the bureau (its head or legal reviewer)
    do_review_filing         the bureau reviews: the checklist, 予以备案 or 存在问题，责令纠正 (then an
                             整改通知 / 执法监督建议书 is issued through do_issue_order)
    do_set_filing_periods    a bureau sets its periods

Named rules:
  filing.state          a filing is filed once, and reviewed once after it was filed
  filing.bureau         only the supervisors of the bureau it is filed with review it
  filing.no_bureau      a decision with no supervising justice bureau cannot be filed (set one up)
  filing.checklist      every point of the checklist is answered
  filing.opinion        予以备案 only when every point passes; 存在问题 names at least one failed point
  filing.opinion_text   存在问题 states what is wrong and what must be corrected
  filing.order_kind     the order is an 整改通知 or an 执法监督建议书
  filing.periods        periods are 1–60 working days
A due date running into a year without holiday data is stored as pending (zhifa/supervision/pending.py).
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.common.actions import ActionRefused, OutOfScope, log_change, snapshot
from zhifa.common.roles import Role
from zhifa.common.scope import can, can_on_entity
from zhifa.ledger import log as ledger
from zhifa.legalcal import pending
from zhifa.legalcal.periods import add_working_days
from zhifa.orgs.models import Entity
from zhifa.supervision.actions.orders import do_issue_order
from zhifa.supervision.choices import FILING_CHECKLIST, FILING_CHECKLIST_LABELS, FILING_DAYS, FILING_REVIEW_DAYS
from zhifa.supervision.models import FilingPeriods, MajorFiling

ORDER_KINDS = ("rectify", "suggestion")


def _today(on):
    return on or timezone.localdate()


def supervising_bureau(entity) -> Entity | None:
    """The justice bureau of the entity's own region, else of the nearest region above it."""
    region = entity.region
    while region is not None:
        bureau = (Entity.objects.filter(region=region, is_justice_bureau=True, is_active=True)
                  .exclude(pk=entity.pk).order_by("pk").first())
        if bureau is not None:
            return bureau
        region = region.parent
    return None


def periods_of(bureau) -> tuple[int, int]:
    """(filing days, review days) the bureau set, else the defaults."""
    row = FilingPeriods.objects.filter(bureau=bureau).first() if bureau else None
    return (row.filing_days, row.review_days) if row else (FILING_DAYS, FILING_REVIEW_DAYS)


def open_filing(case, *, acting_user, on) -> MajorFiling | None:
    """Called in the `decide` transaction: a major penalty decision gets its filing (once)."""
    from zhifa.review.catalogue import is_major, major_reasons

    if case.no_penalty or MajorFiling.objects.filter(case=case).exists():
        return None
    _review, reasons, version = is_major(case)
    reasons = major_reasons(reasons)  # reviewed only by the entity's 一律审核 rule: not a major decision
    if not reasons:
        return None
    bureau = supervising_bureau(case.entity)
    days, _review = periods_of(bureau)
    decided_on = case.decided_on or on
    due_on, pending_year = pending.split(add_working_days(decided_on, days))
    filing = MajorFiling.objects.create(case=case, entity=case.entity, bureau=bureau, decided_on=decided_on,
                                        reasons=reasons, catalogue_version=version, days=days, due_on=due_on,
                                        due_pending_year=pending_year)
    log_change(filing, "create", acting_user=acting_user, after=snapshot(filing), reason="重大行政处罚决定待报送备案")
    ledger.append("supervision.filing_opened", subject=filing, actor=acting_user, case=case,
                  data={"bureau": bureau.pk if bureau else None, "reasons": reasons, "days": days,
                        "due_on": due_on.isoformat() if due_on else None, "due_pending_year": pending_year})
    return filing


@transaction.atomic
def do_file_major(filing: MajorFiling, *, acting_user, note: str = "", on=None) -> MajorFiling:
    filing = MajorFiling.objects.select_for_update().get(pk=filing.pk)
    if not can(acting_user, "file", filing):
        raise OutOfScope("重大行政处罚备案由作出决定的机关负责人或法制审核人员报送")
    if filing.state != MajorFiling.State.PENDING:
        raise ActionRefused("filing.state", "该决定已报送备案", "state")
    if filing.bureau is None:
        bureau = supervising_bureau(filing.entity)
        if bureau is None:
            raise ActionRefused("filing.no_bureau", "未找到该主体所在区域的司法行政机关，无法报送备案", "bureau")
        filing.bureau = bureau
    before = snapshot(filing)
    filed_on = _today(on)
    _days, review_days = periods_of(filing.bureau)
    filing.state, filing.filed_on, filing.filed_by = MajorFiling.State.FILED, filed_on, acting_user
    filing.filing_note = (note or "").strip()
    filing.review_days = review_days
    filing.review_due_on, filing.review_pending_year = pending.split(add_working_days(filed_on, review_days))
    filing.save()
    log_change(filing, "update", acting_user=acting_user, before=before, after=snapshot(filing), reason="报送备案")
    ledger.append("supervision.filing_filed", subject=filing, actor=acting_user, case=filing.case,
                  data={"bureau": filing.bureau_id, "filed_on": filed_on.isoformat(), "late": filing.filed_late,
                        "note": filing.filing_note})
    return filing


def clean_checklist(checklist) -> dict[str, bool]:
    """{point: True (符合) / False (不符合)} for every point, else filing.checklist naming the first missing."""
    checklist = checklist or {}
    out = {}
    for key, label in FILING_CHECKLIST:
        value = checklist.get(key)
        if isinstance(value, str):
            value = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(value.lower())
        if not isinstance(value, bool):
            raise ActionRefused("filing.checklist", f"请对审查要点“{label}”作出判断", f"checklist.{key}")
        out[key] = value
    return out


@transaction.atomic
def do_review_filing(filing: MajorFiling, *, acting_user, checklist, opinion: str, text: str = "",
                     order_kind: str = "rectify", order_days: int = 15, on=None) -> MajorFiling:
    filing = MajorFiling.objects.select_for_update().get(pk=filing.pk)
    if not can(acting_user, "review", filing):
        raise OutOfScope("备案审查由备案机关的执法监督人员办理")
    if acting_user.entity_id is None or acting_user.entity_id != filing.bureau_id:
        raise ActionRefused("filing.bureau", "只有受理备案的司法行政机关可以审查", "bureau")
    if filing.state != MajorFiling.State.FILED:
        raise ActionRefused("filing.state", "该决定尚未报送备案" if filing.state == MajorFiling.State.PENDING
                            else "该备案已审查", "state")
    points = clean_checklist(checklist)
    if opinion not in MajorFiling.Opinion.values:
        raise ActionRefused("filing.opinion", "审查意见应为予以备案或存在问题、责令纠正", "opinion")
    failed = [str(FILING_CHECKLIST_LABELS[k]) for k, ok in points.items() if not ok]
    if opinion == MajorFiling.Opinion.RECORD and failed:
        raise ActionRefused("filing.opinion", f"审查要点“{failed[0]}”不符合，不能予以备案", "opinion")
    if opinion == MajorFiling.Opinion.PROBLEM and not failed:
        raise ActionRefused("filing.opinion", "存在问题的，请在审查要点中标明不符合的事项", "opinion")
    text = (text or "").strip()
    if opinion == MajorFiling.Opinion.PROBLEM and not text:
        raise ActionRefused("filing.opinion_text", "请写明存在的问题和纠正要求", "text")
    if opinion == MajorFiling.Opinion.PROBLEM and order_kind not in ORDER_KINDS:
        raise ActionRefused("filing.order_kind", "纠正方式应为整改通知或执法监督建议书", "order_kind")
    reviewed_on = _today(on)
    before = snapshot(filing)
    if opinion == MajorFiling.Opinion.PROBLEM:
        body = (f"经对你单位报送备案的重大行政处罚决定（{filing.case.decision_number or filing.case.number}）进行审查，"
                f"发现以下问题：{'；'.join(failed)}。\n{text}")
        filing.order = do_issue_order(acting_user=acting_user, entity=filing.entity, case=filing.case, kind=order_kind,
                                      text=body, days=order_days, on=reviewed_on)
    filing.state, filing.reviewed_on, filing.reviewed_by = MajorFiling.State.REVIEWED, reviewed_on, acting_user
    filing.checklist, filing.opinion, filing.opinion_text = points, opinion, text
    filing.save()
    log_change(filing, "update", acting_user=acting_user, before=before, after=snapshot(filing), reason="备案审查")
    ledger.append("supervision.filing_reviewed", subject=filing, actor=acting_user, case=filing.case,
                  data={"opinion": opinion, "checklist": points, "text": text, "order": filing.order_id,
                        "reviewed_on": reviewed_on.isoformat()})
    return filing


@transaction.atomic
def do_set_filing_periods(bureau, *, acting_user, filing_days, review_days) -> FilingPeriods:
    if not bureau.is_justice_bureau:
        raise ActionRefused("validation", "备案审查期限由司法行政机关设定", "bureau")
    if not can_on_entity(acting_user, "change", FilingPeriods, bureau) or (
            acting_user.role == Role.SUPERVISOR and acting_user.entity_id != bureau.pk):
        raise OutOfScope()
    values = {}
    for field, value, label in (("filing_days", filing_days, "报送备案期限"), ("review_days", review_days, "备案审查期限")):
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 60:
            raise ActionRefused("filing.periods", f"{label}应为1至60个工作日", field)
        values[field] = value
    row = FilingPeriods.objects.select_for_update().filter(bureau=bureau).first()
    if row is None:
        row = FilingPeriods.objects.create(bureau=bureau, **values)
        log_change(row, "create", acting_user=acting_user, after=snapshot(row))
        return row
    before = snapshot(row)
    row.filing_days, row.review_days = values["filing_days"], values["review_days"]
    row.save()
    log_change(row, "update", acting_user=acting_user, before=before, after=snapshot(row))
    return row


def pending_count_by_year() -> dict[int, int]:
    out: dict[int, int] = {}
    for field in ("due_pending_year", "review_pending_year"):
        for year in MajorFiling.objects.filter(**{f"{field}__isnull": False}).values_list(field, flat=True):
            out[year] = out.get(year, 0) + 1
    return out


def resolve_pending(year: int, *, acting_user, on) -> int:
    n = 0
    for f in MajorFiling.objects.select_for_update().filter(Q(due_pending_year=year) | Q(review_pending_year=year)):
        before = snapshot(f)
        if f.due_pending_year == year:
            f.due_on, f.due_pending_year = pending.split(add_working_days(f.decided_on, f.days))
            n += f.due_pending_year is None
        if f.review_pending_year == year and f.filed_on and f.review_days:
            f.review_due_on, f.review_pending_year = pending.split(add_working_days(f.filed_on, f.review_days))
            n += f.review_pending_year is None
        f.save(update_fields=["due_on", "due_pending_year", "review_due_on", "review_pending_year"])
        log_change(f, "update", acting_user=acting_user, before=before, after=snapshot(f),
                   reason=f"录入{year}年节假日安排后计算备案期限")
    return n

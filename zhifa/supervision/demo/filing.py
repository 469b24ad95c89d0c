"""Demo 重大行政处罚备案审查, made through the actions: the demo entity's major penalty decisions (opened
by the `decide` subscriber when the demo cases were decided) are filed by its agency head; the
county justice bureau reviews the first (予以备案), and — when there is a second — finds a problem in
it and issues an 整改通知. Dates: filed on the 10th working day after the decision, reviewed 5 working days later
(today at the latest)."""
from __future__ import annotations

from django.utils import timezone

from zhifa.legalcal.periods import add_working_days
from zhifa.supervision.actions import filing as filing_actions
from zhifa.supervision.choices import FILING_CHECKLIST
from zhifa.supervision.models import MajorFiling


def _day(start, n, today):
    """The n-th working day after `start`, or today if that is later than today or not yet known."""
    due = add_working_days(start, n)
    return due.date if due.known and due.date <= today else today


def seed_demo_filings(entity, *, users, log=None):
    log = log or (lambda msg: None)
    head, supervisor = users.get("head"), users.get("supervisor")
    if head is None or supervisor is None:
        log("  filings: 缺少负责人或监督演示账号，未生成备案")
        return []
    today = timezone.localdate()
    filings = list(MajorFiling.objects.filter(entity=entity, state=MajorFiling.State.PENDING).order_by("id"))
    if not filings:
        log("  filings: 演示主体无重大行政处罚决定，未生成备案")
        return []
    done = []
    for n, f in enumerate(filings[:2]):
        if f.decided_on > today:
            continue
        filed_on = _day(f.decided_on, 10, today)
        f = filing_actions.do_file_major(f, acting_user=head, on=filed_on,
                                         note="随附行政处罚决定书、法制审核意见书、听证笔录及集体讨论记录。")
        if f.bureau_id != supervisor.entity_id:
            continue
        points = {k: True for k, _label in FILING_CHECKLIST}
        if n == 0:
            f = filing_actions.do_review_filing(f, acting_user=supervisor, checklist=points, opinion="record",
                                                text="经审查，该决定事实清楚、程序合法、适用法律正确，予以备案。",
                                                on=_day(filed_on, 5, today))
        else:
            f = filing_actions.do_review_filing(f, acting_user=supervisor, checklist={**points, "discretion": False},
                                                opinion="problem", order_kind="rectify", order_days=15, on=_day(filed_on, 5, today),
                                                text="决定书未写明适用的裁量档次及从轻、从重情节，请补正说理并报送整改情况。")
        done.append(f)
    log(f"  filings: 重大行政处罚备案 {len(filings)} 件，已审查 {len(done)} 件")
    return done

"""Presentation helpers on top of the core: offers with their forms, deadline rows, officer rows.

Nothing here writes; transitions run through `run_transition`, which calls the core's `do_*`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import Resolver404, resolve
from django.utils import timezone

from zhifa.cases import machine
from zhifa.cases.forms import cert_summary, transition_form
from zhifa.cases.models import Deadline

# How the case page groups the offered transitions.
EXITS = {"not_file", "revoke", "transfer"}
SIDE = {"assign_officers", "record_recusal", "extend_filing", "extend_decision_period", "suspend", "resume", "extend_seizure",
        "hold_collective_discussion"}


# Blocked offers not worth showing (resume on a case that is not suspended).
QUIET_RULES = {"case.is_suspended"}


@dataclass
class OfferView:
    name: str
    label: str
    allowed: bool
    rule: str = ""
    message: str = ""
    form: object = None
    group: str = "main"
    open: bool = False
    refusal: object = None
    extra: dict = field(default_factory=dict)
    # Set when the step is done on another form of the page (its element id): the offer is a link there.
    elsewhere: str = ""
    elsewhere_hint: str = ""


# Transitions whose working form, under a rule, is a panel of the case page rather than the generic
# transition form: (transition, rule, field the rule names) → (element id, hint).
ELSEWHERE = {("submit_legal_review", "review.packet_complete", "packet"):
             ("submit-packet", "本机关已制定法制审核目录清单，请在“审核”页签填写送审材料后提交")}


def _elsewhere(case, user, name, on):
    """(element id, hint) when the transition's own form would be refused for want of input that only
    another panel collects (提交法制审核 needs the 送审材料 once the entity has a review catalogue)."""
    from zhifa.cases.rules import RULES, Ctx
    from zhifa.common.actions import ActionRefused

    for (tname, rule, fld), target in ELSEWHERE.items():
        if tname != name or rule not in RULES:
            continue
        t = machine.transitions(case.kind).get(name)
        try:
            RULES[rule](Ctx(case=case, user=user, on=on or timezone.localdate(), transition=t, payload={}))
        except ActionRefused as e:
            if e.field == fld:
                return target
    return None


# 流程进度条: the machine's states in order are its main path, less the exits (shown only when the
# case left that way) and the optional steps (shown when the case went through them).
PATH_EXITS = ("not_filed", "revoked", "transferred")
PATH_OPTIONAL = ("hearing", "collective_discussion", "converted")


def progress_steps(case, visited: set[str]) -> list[dict]:
    """[{state, label, css: done|current|todo|off}] of the case's main path; `visited` = the states
    its timeline reached."""
    reached = visited | {case.state}
    path = [s for s in machine.STATES.get(case.kind, {})
            if s not in PATH_EXITS and (s not in PATH_OPTIONAL or s in reached)]
    if "converted" in path and "released" in path and "released" not in reached:
        path.remove("released")  # a seizure ends by release or by conversion, not both
    label = lambda s: machine.state_label(case.kind, s)  # noqa: E731
    if case.state in path:
        at = path.index(case.state)
        return [{"state": s, "label": label(s), "css": "done" if i < at else "current" if i == at else "todo"}
                for i, s in enumerate(path)]
    last = max((i for i, s in enumerate(path) if s in reached), default=-1)
    steps = [{"state": s, "label": label(s), "css": "done"} for s in path[:last + 1]]
    return steps + [{"state": case.state, "label": label(case.state), "css": "off"}]


def offers_for(case, user, *, posted=None, on=None):
    """The transitions the user holds the role for, allowed ones with a form.

    `posted` = (name, bound form, refusal) re-shows a submitted form open with its errors."""
    from zhifa.cases.actions import allowed_transitions

    out = []
    posted_name = posted[0] if posted else None
    for o in allowed_transitions(case, user, on=on):
        if not o.allowed and o.rule in QUIET_RULES and o.name != posted_name:
            continue
        group = "exit" if o.name in EXITS else "side" if o.name in SIDE else "main"
        view = OfferView(o.name, o.label, o.allowed, o.rule, o.message, group=group)
        goto = _elsewhere(case, user, o.name, on) if o.allowed else None
        if goto:
            view.elsewhere, view.elsewhere_hint = goto
        elif o.name == posted_name:
            view.form, view.refusal, view.open = posted[1], posted[2], True
        elif o.allowed:
            view.form = transition_form(o.name)(case=case, user=user, prefix=o.name, offer_label=o.label)
        out.append(view)
    if posted_name and posted_name not in {o.name for o in out}:
        t = machine.transitions(case.kind).get(posted_name)
        out.insert(0, OfferView(posted_name, t.label if t else posted_name, False, form=posted[1],
                                refusal=posted[2], open=True))
    order = {"main": 0, "side": 1, "exit": 2}
    out.sort(key=lambda v: (order[v.group], not v.allowed))
    return out


def run_transition(case, name, form, user):
    """Call the core's action for transition `name` with the form's payload."""
    from zhifa.cases import actions as case_actions

    d = form.cleaned_data
    kw = {"acting_user": user, "expected_version": d["version"], "on": d["on"]}
    if name in ("review_pass", "review_fail"):
        return case_actions.do_record_legal_review(case, **form.payload(), **kw)
    if "reason" in form.fields:
        kw["reason"] = d.get("reason") or ""
    fn = getattr(case_actions, f"do_{name}", None)
    if fn is None:
        return case_actions.apply_transition(case, name, **kw, **form.payload())
    return fn(case, **kw, **form.payload())


def deadline_row(dl: Deadline, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    days_left = (dl.due_on - today).days if dl.known and dl.due_on else None
    state, css = dl.get_state_display(), dl.state
    if dl.state == Deadline.State.RUNNING and days_left is not None and days_left < 0:
        state, css = "已超期（未办结）", "breached"
    elif dl.state == Deadline.State.RUNNING and days_left is not None and days_left <= 3:
        css = "soon"
    if dl.state in (Deadline.State.RUNNING, Deadline.State.PAUSED) and not dl.known:
        css = "unknown"
    return {"dl": dl, "days_left": days_left, "state": state, "css": css,
            "open": dl.state in (Deadline.State.RUNNING, Deadline.State.PAUSED, Deadline.State.BREACHED)}


def days_text(days_left):
    if days_left is None:
        return ""
    if days_left < 0:
        return f"超期{-days_left}日"
    if days_left == 0:
        return "今日到期"
    return f"剩{days_left}日"


def queue_deadline(case, today=None):
    """The deadline a work-queue row shows: nearest running known one, else running with unknown
    calendar, else paused, else breached."""
    dls = list(case.open_deadlines)
    running = [d for d in dls if d.state == Deadline.State.RUNNING]
    known = sorted((d for d in running if d.known and d.due_on), key=lambda d: d.due_on)
    for pick in (known, [d for d in running if not d.known],
                 [d for d in dls if d.state == Deadline.State.PAUSED],
                 [d for d in dls if d.state == Deadline.State.BREACHED]):
        if pick:
            return deadline_row(pick[0], today)
    return None


def officer_rows(case, on=None):
    from django.db.models import Prefetch

    from zhifa.cases.models import CaseOfficer
    from zhifa.orgs.models import Certificate

    on = on or timezone.localdate()
    rows = []
    qs = (CaseOfficer.objects.filter(case=case).select_related("officer", "officer__unit")
          .prefetch_related(Prefetch("officer__certificates", queryset=Certificate.objects.order_by("-expires_on"),
                                     to_attr="cert_list")))
    for co in qs:
        ok, text = cert_summary(co.officer, on, case.field)
        rows.append({"co": co, "valid": ok, "cert": text})
    return rows


def documents_url(case) -> str | None:
    """The documents panel (zhifa.documents), when that app serves it."""
    url = f"/documents/case/{case.pk}/"
    try:
        resolve(url)
    except Resolver404:
        return None
    return url


class CaseLogEntry:
    """A ChangeLog row for the shared _changelog_table.html whose diff also reads list values:
    the case snapshot holds power_items (M2M ids) and penalty_kinds (a JSON list), which the
    common ChangeLog.display_diff would look up as one foreign key."""

    def __init__(self, entry, kind=""):
        self._e, self._kind = entry, kind

    def __getattr__(self, name):
        return getattr(self._e, name)

    def display_diff(self):
        from zhifa.common.models import humanise

        model = self._e.content_type.model_class()
        out = []
        for name, b, a in self._e._raw_diff():
            if name in self._e.HIDDEN:
                continue
            try:
                field = model._meta.get_field(name) if model is not None else None
            except Exception:  # noqa: BLE001 - a field removed since the row was logged
                field = None
            label = str(field.verbose_name) if field is not None else name
            if name == "state" and self._kind:
                out.append((label, *(machine.state_label(self._kind, v) if v else v for v in (b, a))))
                continue
            out.append((label, *(_list_value(field, v) if isinstance(v, list) else humanise(field, v)
                                 for v in (b, a))))
        return out


def _list_value(field, value):
    from zhifa.cases.models import PenaltyKind

    if not value:
        return "（无）"
    if field is not None and field.many_to_many:
        return "、".join(str(o) for o in field.related_model._base_manager.filter(pk__in=value))
    if field is not None and field.name == "penalty_kinds":
        return "、".join(str(PenaltyKind(v).label) if v in PenaltyKind.values else str(v) for v in value)
    return "、".join(str(v) for v in value)

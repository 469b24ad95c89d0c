"""Fixture set-up of `zhifa bench cases` (not timed as part of any figure).

* The organisation: the demo seed at the chosen scale (entities, units, officers with certificates,
  published power-list items), the legal calendar from chinesecalendar.
* Case-handling entities: those with published penalty items and at least four active officers whose
  certificate covers the entity's field over the whole benchmark period. Their officers, an agency
  head, a unit head and a legal reviewer each get a login (bulk-created: unusable passwords, no
  change-log rows — the benchmark logs in with force_login).
* Plans for the cases driven through the real actions (phase 1), drawn from a seeded RNG.
* The open-case fixture (phase 3): cases bulk-created in the states the actions would leave them in,
  with parties, officers, power items, timeline events, numbers and statutory deadlines computed
  on the legal calendar exactly as zhifa.cases.deadlines.open_deadline does; no change-log rows.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

END_CAP = dt.date(2026, 11, 20)  # the calendar data (chinesecalendar) ends with 2026
SPAN_DAYS = 320
# The proposal names a discretion level (required where the item has a benchmark) and, as officers do
# when the amount is not the benchmark's, a written reason (行政处罚法 Art. 34).
DISCRETION = {"discretion_level": "一般", "discretion_reason": "综合违法情节、危害后果及改正情况，按一般情节裁量"}
STATEMENTS = ("对违法事实无异议，请求从轻处罚", "系初次违法，已立即改正", "不知道该商品已过保质期", "经营困难，请求减轻罚款")


def bench_window() -> tuple[dt.date, dt.date]:
    """The dates cases are handled on: after the seeded power-list items took effect (1 March of the
    seed year), up to today (or the end of the calendar data), at most SPAN_DAYS."""
    from django.db.models import Max

    from zhifa.powers.models import PowerItem, VersionStatus

    end = min(dt.date.today(), END_CAP)
    effective = PowerItem.objects.filter(category=PowerItem.Category.PENALTY, status=VersionStatus.PUBLISHED) \
        .aggregate(m=Max("effective_from"))["m"]
    start = max(end - dt.timedelta(days=SPAN_DAYS), (effective or end) + dt.timedelta(days=1))
    if (end - start).days < 90:
        raise RuntimeError(f"benchmark window {start}–{end} too short (power items effective {effective})")
    return start, end


@dataclass
class Desk:
    """One case-handling entity and its people."""

    entity: object
    unit: object
    field: str
    officers: list            # Officer rows with a valid certificate for the field (handlers)
    head: object = None       # User, agency head
    unit_head: object = None  # User
    reviewer: object = None   # User of a qualified legal reviewer (None: the entity has none)
    items: list = field(default_factory=list)  # published penalty PowerItems
    thresholds: dict = field(default_factory=dict)


# ---- the organisation --------------------------------------------------------------------------
def prepare_org(scale: str) -> dict:
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar
    from zhifa.site.demo import analyze, seed

    b = seed(scale)
    seed_from_chinesecalendar()
    periods.clear_cache()
    analyze()
    return {"entities": len(b.entities), "officers": b.officer_count, "items": b.power_count}


def build_desks(start: dt.date, end: dt.date) -> list[Desk]:
    from zhifa.cases.rules import hearing_thresholds
    from zhifa.common.roles import Role
    from zhifa.orgs.models import Certificate, Entity, Officer, Unit, User
    from zhifa.powers.models import PowerItem

    items = defaultdict(list)
    for it in PowerItem.objects.published(start).filter(category=PowerItem.Category.PENALTY).order_by("pk"):
        items[it.entity_id].append(it)
    units = {}
    for u in Unit.objects.order_by("pk"):
        units.setdefault(u.entity_id, u)
    certs = defaultdict(set)  # officer id → fields text of certificates valid over [start, end]
    for oid, fields in Certificate.objects.filter(status=Certificate.Status.VALID, issued_on__lte=start,
                                                  expires_on__gte=end).values_list("officer_id", "fields"):
        certs[oid].add(fields)
    officers = defaultdict(list)
    reviewers = {}
    for o in Officer.objects.filter(status=Officer.Status.ACTIVE, entity_id__in=items).order_by("pk"):
        if o.is_legal_reviewer and o.legal_qualification:
            reviewers.setdefault(o.entity_id, o)
        else:
            officers[o.entity_id].append(o)
    from zhifa.review.models import Catalogue

    # An entity with a review catalogue (the demo's main entity) needs evidence records in every
    # 送审材料; the driver's cases have none, so such entities take no part (which entities qualify
    # otherwise depends on the certificates valid on the run's date).
    with_catalogue = set(Catalogue.objects.values_list("entity_id", flat=True))
    desks = []
    for e in Entity.objects.filter(pk__in=items).exclude(pk__in=with_catalogue).select_related("region").order_by("pk"):
        f = (e.field_list or [""])[0]
        pool = [o for o in officers[e.pk] if any(f in text for text in certs[o.pk])]
        if len(pool) >= 4 and e.pk in units:
            desks.append(Desk(entity=e, unit=units[e.pk], field=f, officers=pool, items=items[e.pk][:40],
                              thresholds=hearing_thresholds(e)))
    # Logins, bulk-created (fixture): every handler, a head, a unit head and a reviewer per desk.
    users, links = [], []
    for d in desks:
        e = d.entity
        d.head = User(username=f"bh{e.pk}", role=Role.AGENCY_HEAD, entity=e, display_name=f"{e.short_code}负责人")
        d.unit_head = User(username=f"bu{e.pk}", role=Role.UNIT_HEAD, entity=e, unit=d.unit,
                           display_name=f"{d.unit.name}负责人")
        users += [d.head, d.unit_head]
        rev = reviewers.get(e.pk)
        if rev is not None and rev.user_id is not None and rev.user.role == Role.LEGAL_REVIEWER:
            d.reviewer = rev.user
        elif rev is not None and rev.user_id is None:
            d.reviewer = User(username=f"br{rev.pk}", role=Role.LEGAL_REVIEWER, entity=e, unit=rev.unit,
                              display_name=rev.name)
            users.append(d.reviewer)
            links.append((rev, d.reviewer))
        for o in d.officers:
            if o.user_id is None:
                u = User(username=f"bo{o.pk}", role=Role.OFFICER, entity=e, unit=o.unit, display_name=o.name)
                users.append(u)
                links.append((o, u))
    for u in users:
        u.set_unusable_password()
    User.objects.bulk_create(users, batch_size=1000)
    for o, u in links:
        o.user = u
    Officer.objects.bulk_update([o for o, _ in links], ["user"], batch_size=1000)
    users_by_officer = dict(User.objects.filter(officer__isnull=False).values_list("officer__pk", "pk"))
    cache = {u.pk: u for u in User.objects.filter(pk__in=users_by_officer.values())}
    for d in desks:  # officers must carry their User for the actions (user.officer) — re-fetch once
        for o in d.officers:
            o.user = cache.get(users_by_officer.get(o.pk))
    return desks


def weights(desks) -> list[float]:
    return [len(d.officers) for d in desks]


def party(rng: random.Random, desk: Desk, n: int, org_share=0.3) -> dict:
    from zhifa.common.identifiers import make_credit_code, make_id_number
    from zhifa.site.demo.names import address, mobile, person_name

    region = desk.entity.region.code
    if rng.random() < org_share:
        return {"kind": "org", "name": f"{desk.entity.region.name}{person_name(rng, 'M')[1:]}商贸有限公司",
                "credit_code": make_credit_code(region, f"{n:08d}", authority="9"),
                "legal_representative": person_name(rng, "M"), "address": address(rng, desk.entity.region.name),
                "phone": mobile(rng)}
    gender = "M" if rng.random() < 0.6 else "F"
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000))
    return {"kind": "person", "name": person_name(rng, gender), "address": address(rng, desk.entity.region.name),
            "id_number": make_id_number(region, born, n, gender), "phone": mobile(rng)}


def title_of(item, party_: dict) -> str:
    core = item.name.removeprefix("对")
    for suffix in ("的行政处罚", "的处罚", "行为的处罚"):
        core = core.removesuffix(suffix)
    return f"{party_['name']}{core}案"[:300]


# ---- phase 1: plans for cases taken to closure through the actions -----------------------------------
@dataclass
class Plan:
    desk: int
    lead: int
    assist: int
    item: int
    party: dict
    title: str
    path: str          # short | hearing | review | warning
    fine: Decimal | None
    statement: str     # "" → waived
    dates: list


def closure_plans(desks, n: int, start: dt.date, end: dt.date, seed=2026) -> list[Plan]:
    rng = random.Random(seed)
    w = weights(desks)
    plans = []
    for i in range(n):
        k = rng.choices(range(len(desks)), weights=w)[0]
        d = desks[k]
        lead, assist = rng.sample(range(len(d.officers)), 2)
        p = party(rng, d, 100000 + i)
        item = rng.randrange(len(d.items))
        r = rng.random()
        path = "warning" if r < 0.10 else "hearing" if r < 0.25 else "review" if r < 0.35 and d.reviewer else "short"
        limit = d.thresholds["org" if p["kind"] == "org" else "person"]
        if path == "warning":
            fine = None
        elif path == "hearing":
            fine = (limit * Decimal(rng.choice((1, 1, 1.5, 2, 3)))).quantize(Decimal("1"))
        else:
            fine = Decimal(rng.choice((200, 500, 800, 1000, 2000, 3000, 5000, 8000)))
            fine = min(fine, (limit - 100).quantize(Decimal("1")))
        d0 = start + dt.timedelta(days=rng.randrange((end - start).days - 70))
        gaps = [0, rng.randint(1, 3), rng.randint(5, 25), rng.randint(1, 3), rng.randint(1, 4),
                rng.randint(1, 3), rng.randint(0, 3), rng.randint(1, 10), rng.randint(0, 5)]
        dates, day = [], d0
        for g in gaps:
            day = day + dt.timedelta(days=g)
            dates.append(day)
        plans.append(Plan(k, lead, assist, item, p, title_of(d.items[item], p), path, fine,
                          "" if rng.random() < 0.6 else rng.choice(STATEMENTS), dates))
    return plans


def drive(plan: Plan, desks) -> int:
    """Register a general-procedure case and take it to 结案 through the actions; returns transitions."""
    from zhifa.cases import actions as case_actions

    d = desks[plan.desk]
    lead, assist = d.officers[plan.lead], d.officers[plan.assist]
    d0, d1, d2, d3, d4, d5, d6, d7, d8 = plan.dates
    case = case_actions.do_register_case(
        {"entity": d.entity, "unit": d.unit, "title": plan.title, "source": "inspection" if plan.lead % 2 else "complaint",
         "violation_on": d0 - dt.timedelta(days=5 + plan.lead % 60), "discovered_on": d0,
         "law_requires_review": plan.path == "review"},
        acting_user=lead.user, parties=[plan.party], officers=[(lead, "lead"), (assist, "assist")],
        power_items=[d.items[plan.item]], on=d0)
    n = 1

    def step(fn, user, on, **kw):
        nonlocal case, n
        case = fn(case, acting_user=user, expected_version=case.version, on=on, **kw)
        n += 1

    step(case_actions.do_file_case, lead.user, d0)
    step(case_actions.do_approve_filing, d.unit_head, d1)
    step(case_actions.do_start_investigation, assist.user, d1)
    if plan.fine is None:
        step(case_actions.do_propose, lead.user, d2, penalty_kinds=["warning"], **DISCRETION)
    else:
        step(case_actions.do_propose, lead.user, d2, penalty_kinds=["fine"], fine_amount=plan.fine,
             facts=f"经查，{plan.title.removesuffix('案')}，事实清楚。", **DISCRETION)
    step(case_actions.do_serve_notice, lead.user, d3)
    if plan.path == "hearing":
        step(case_actions.do_waive_hearing, lead.user, d4)
    if plan.statement:
        step(case_actions.do_record_statement, assist.user, d4, text=plan.statement)
    else:
        step(case_actions.do_record_statement, assist.user, d4, waived=True)
    if plan.path == "review":
        step(case_actions.do_submit_legal_review, lead.user, d4, reviewer=d.reviewer)
        step(case_actions.do_record_legal_review, d.reviewer, d5, outcome="agree", opinion="事实清楚，证据确凿，程序合法，适用依据正确")
    step(case_actions.do_decide, d.head, d5)
    step(case_actions.do_serve_decision, lead.user, d6)
    if plan.fine is not None:
        step(case_actions.do_record_payment, assist.user, d7, amount=plan.fine)
    step(case_actions.do_close, d.unit_head, d8)
    assert case.state == "closed", case.state
    return n


# ---- phase 3: the open-case fixture ---------------------------------------------------------------
GENERAL_PATH = [  # (transition, state reached)
    ("register", "registered"), ("file_case", "filing_pending"), ("approve_filing", "filed"),
    ("start_investigation", "investigating"), ("propose", "proposed"), ("serve_notice", "notified"),
    ("record_statement", "notified"), ("submit_legal_review", "legal_review"), ("decide", "decided"),
    ("serve_decision", "served"), ("record_payment", "executing"),
]
REACHED_BY = {"registered": "register", "filing_pending": "file_case", "filed": "approve_filing",
              "investigating": "start_investigation", "proposed": "propose", "notified": "serve_notice",
              "legal_review": "submit_legal_review", "decided": "decide", "served": "serve_decision",
              "executing": "record_payment"}
GENERAL_MIX = {"registered": 8, "filing_pending": 5, "filed": 5, "investigating": 36, "proposed": 10,
               "notified": 10, "legal_review": 3, "decided": 4, "served": 7, "executing": 12}
KIND_MIX = {"penalty_general": 86, "inspection": 9, "coercive": 5}
INSPECTION_MIX = {"planned": 40, "inspecting": 40, "result_recorded": 20}


class OpenCaseFactory:
    """Builds the open cases in memory, then writes them with bulk_create (a few statements per 2 000)."""

    def __init__(self, desks, start: dt.date, end: dt.date, seed=7):
        from zhifa.cases import machine
        from zhifa.cases.models import NumberCounter

        self.desks, self.start, self.end, self.rng = desks, start, end, random.Random(seed)
        self.w = weights(desks)
        self.labels = {kind: {t.name: t.label for t in ts.values()} for kind, ts in machine.MACHINES.items()}
        self.counters = Counter({(c.entity_id, c.doc_type, c.year): c.last for c in NumberCounter.objects.all()})
        self.rows = defaultdict(list)
        self.stats = Counter()

    def number(self, desk, doc_type, on):
        from zhifa.cases.numbering import format_number

        key = (desk.entity.pk, doc_type, on.year)
        self.counters[key] += 1
        return format_number(desk.entity.short_code, doc_type, on.year, self.counters[key])

    def deadline(self, case, kind, start, *, closed_on=None):
        from zhifa.cases.models import Deadline
        from zhifa.legalcal import periods

        period = periods.PERIODS[kind]
        due = periods.add_period(start, period.n, period.unit)
        dl = Deadline(case=case, kind=kind, label=period.label, basis=period.basis, started_on=start,
                      base_days=period.n, working_days=period.unit == periods.WORKING, due_on=due.date, known=due.known,
                      unknown_reason="" if due.known else due.reason)
        if closed_on is not None:
            late = due.known and closed_on > due.date and kind not in ("statement_defence", "hearing_request")
            dl.state, dl.met_on = (Deadline.State.BREACHED if late else Deadline.State.MET), closed_on
        self.rows["deadlines"].append(dl)
        return dl

    def event(self, case, kind, name, frm, to, actor, on, payload=None):
        from zhifa.cases.models import CaseEvent

        self.rows["events"].append(CaseEvent(case=case, transition=name, label=self.labels[kind][name], from_state=frm,
                                             to_state=to, actor=actor, on=on, payload=payload or {}))

    def _day(self, day, lo, hi):
        return min(self.end, day + dt.timedelta(days=self.rng.randint(lo, hi)))

    def make(self, i):
        from zhifa.cases.models import Case, CaseOfficer, Party

        rng = self.rng
        d = self.desks[rng.choices(range(len(self.desks)), weights=self.w)[0]]
        kind = rng.choices(list(KIND_MIX), weights=list(KIND_MIX.values()))[0]
        span = (self.end - self.start).days
        age = rng.randint(0, 90) if rng.random() < 0.8 else rng.randint(90, span)
        d0 = self.end - dt.timedelta(days=age)
        lead, assist = rng.sample(d.officers, 2)
        p = party(rng, d, 500000 + i, org_share=0.3 if kind == "penalty_general" else 0.8)
        item = rng.choice(d.items)
        case = Case(entity=d.entity, unit=d.unit, kind=kind, title=title_of(item, p), field=d.field,
                    source=rng.choice(("inspection", "inspection", "complaint", "referral", "monitoring")),
                    registered_on=d0, created_by=lead.user, discovered_on=d0,
                    region_path=d.entity.region.path)  # bulk_create skips Case.save
        self.rows["parties"].append(Party(case=case, **p))
        for o, role in ((lead, "lead"), (assist, "assist")):
            self.rows["officers"].append(CaseOfficer(case=case, officer=o, role=role, assigned_on=d0))
        self.rows["items"].append((case, item))
        if kind == "penalty_general":
            case.violation_on = d0 - dt.timedelta(days=rng.randint(3, 120))
            self.general(case, d, lead, assist, d0, p)
        elif kind == "inspection":
            self.inspection(case, d, lead, d0)
        else:
            self.coercive(case, d, lead, d0)
        self.rows["cases"].append(case)
        self.stats[f"{kind}:{case.state}"] += 1

    def general(self, case, d, lead, assist, d0, p):
        rng, KIND = self.rng, "penalty_general"
        target = rng.choices(list(GENERAL_MIX), weights=list(GENERAL_MIX.values()))[0]
        if target == "legal_review" and d.reviewer is None:
            target = "notified"
        names = [n for n, _ in GENERAL_PATH]
        steps = names[:names.index(REACHED_BY[target]) + 1]
        if target != "legal_review" and "submit_legal_review" in steps:
            steps.remove("submit_legal_review")
        if target == "notified" and rng.random() < 0.4:
            steps.append("record_statement")  # the party has answered; the decision is pending
        fine = Decimal(rng.choice((200, 500, 1000, 2000, 3000, 5000, 8000, 20000, 50000)))
        hearing = fine >= d.thresholds["org" if p["kind"] == "org" else "person"]
        case.decision_dl = case.statement_dl = case.hearing_dl = case.service_dl = None
        day, state, reached = d0, "", dict(GENERAL_PATH)
        for k, name in enumerate(steps):
            actor = {"approve_filing": d.unit_head, "decide": d.head}.get(name, lead.user if k % 2 == 0 else assist.user)
            payload = {}
            if name == "approve_filing":
                day = self._day(day, 1, 3)
                case.filed_on, case.number = day, self.number(d, "filing", day)
                case.decision_dl = self.deadline(case, "decision", day)
                payload = {"number": case.number}
            elif name == "start_investigation":
                day = self._day(day, 0, 2)
            elif name == "propose":
                day = self._day(day, 5, 40)
                case.penalty_kinds, case.fine_amount, case.proposed_on = ["fine"], fine, day
                case.discretion_level, case.discretion_reason = DISCRETION["discretion_level"], \
                    DISCRETION["discretion_reason"]
                case.facts = f"经查，{case.title.removesuffix('案')}。"
                payload = {"penalty_kinds": ["fine"], "fine_amount": str(fine)}
            elif name == "serve_notice":
                day = self._day(day, 1, 3)
                case.rights_notice_served_on, case.notice_includes_hearing = day, hearing
                case.statement_dl = self.deadline(case, "statement_defence", day)
                case.hearing_dl = self.deadline(case, "hearing_request", day) if hearing else None
                payload = {"hearing_rights": hearing}
            elif name == "record_statement":
                day = self._day(day, 1, 4)
                case.statement_waived = True
                self._close(case.statement_dl, day)
                if case.hearing_dl is not None:
                    case.hearing_waived = True
                    self._close(case.hearing_dl, day)
                payload = {"waived": True}
            elif name == "submit_legal_review":
                day = self._day(day, 0, 2)
                case.law_requires_review = True
                self.rows["reviews"].append((case, d.reviewer, day))
            elif name == "decide":
                day = self._day(day, 1, 5)
                case.decided_on, case.decided_by = day, d.head
                case.decision_number = self.number(d, "decision", day)
                self._close(case.decision_dl, day)
                case.service_dl = self.deadline(case, "service", day)
                payload = {"decision_number": case.decision_number}
            elif name == "serve_decision":
                day = self._day(day, 0, 4)
                case.served_on, case.service_method = day, "直接送达"
                self._close(case.service_dl, day)
                self.deadline(case, "payment", day)
            elif name == "record_payment":
                day = self._day(day, 1, 12)
                case.paid_amount, case.paid_on = (fine / 2).quantize(Decimal("0.01")), day
                payload = {"amount": str(case.paid_amount)}
            self.event(case, KIND, name, state, reached[name], actor, day, payload)
            state = reached[name]
        case.state, case.version, case.last_action_on = state, len(steps), day

    @staticmethod
    def _close(dl, day):
        from zhifa.cases.models import Deadline

        if dl is None or dl.state != Deadline.State.RUNNING:
            return
        late = dl.known and day > dl.due_on and dl.kind not in ("statement_defence", "hearing_request")
        dl.state, dl.met_on = (Deadline.State.BREACHED if late else Deadline.State.MET), day

    def inspection(self, case, d, lead, d0):
        KIND = "inspection"
        target = self.rng.choices(list(INSPECTION_MIX), weights=list(INSPECTION_MIX.values()))[0]
        case.number = self.number(d, "inspection", d0)
        self.event(case, KIND, "plan_inspection", "", "planned", lead.user, d0)
        state, version, day = "planned", 1, d0
        for name, to in (("start_inspection", "inspecting"), ("record_inspection_result", "result_recorded")):
            if state == target:
                break
            day = self._day(day, 1, 10)
            if name == "record_inspection_result":
                case.inspection_result, case.problems_found = "未发现违法行为", False
            self.event(case, KIND, name, state, to, lead.user, day)
            state, version = to, version + 1
        case.state, case.version, case.last_action_on = state, version, day

    def coercive(self, case, d, lead, d0):
        from zhifa.cases.models import Seizure

        case.number = self.number(d, "seizure", d0)
        self.rows["seizures"].append(Seizure(case=case, number=case.number, measure="seize",
                                             items=[{"name": "涉嫌不合格产品", "qty": self.rng.randint(1, 200), "unit": "件"}],
                                             approved_by=d.head, decided_on=d0))
        self.deadline(case, "seizure", d0)
        self.event(case, "coercive", "seize", "", "seized", lead.user, d0, {"measure": "seize"})
        case.state, case.version, case.last_action_on = "seized", 1, d0

    def write(self):
        from zhifa.cases.models import (
            Case,
            CaseEvent,
            CaseOfficer,
            Deadline,
            LegalReview,
            NumberCounter,
            Party,
            Seizure,
        )

        rows = self.rows
        rows["cases"].sort(key=lambda c: c.registered_on)  # ids ascend with dates, as in real use
        Case.objects.bulk_create(rows["cases"], batch_size=2000)
        for key in ("parties", "officers", "deadlines", "events", "seizures"):
            for obj in rows[key]:
                obj.case = obj.case  # pick up the case id assigned by bulk_create
        Party.objects.bulk_create(rows["parties"], batch_size=5000)
        CaseOfficer.objects.bulk_create(rows["officers"], batch_size=5000)
        Deadline.objects.bulk_create(rows["deadlines"], batch_size=5000)
        from zhifa.cases.deadlines import sync_next_due

        sync_next_due([c.pk for c in rows["cases"]])
        rows["events"].sort(key=lambda e: (e.case.pk, e.on))
        CaseEvent.objects.bulk_create(rows["events"], batch_size=5000)
        Seizure.objects.bulk_create(rows["seizures"], batch_size=5000)
        LegalReview.objects.bulk_create([LegalReview(case=c, reviewer=r, submitted_on=on) for c, r, on in rows["reviews"]],
                                        batch_size=5000)
        through = Case.power_items.through
        through.objects.bulk_create([through(case_id=c.pk, poweritem_id=it.pk) for c, it in rows["items"]],
                                    batch_size=5000)
        existing = {(c.entity_id, c.doc_type, c.year): c for c in NumberCounter.objects.all()}
        new, changed = [], []
        for (entity_id, doc_type, year), last in self.counters.items():
            c = existing.get((entity_id, doc_type, year))
            if c is None:
                new.append(NumberCounter(entity_id=entity_id, doc_type=doc_type, year=year, last=last))
            elif c.last != last:
                c.last = last
                changed.append(c)
        NumberCounter.objects.bulk_create(new)
        NumberCounter.objects.bulk_update(changed, ["last"])
        return {k: len(v) for k, v in rows.items()}

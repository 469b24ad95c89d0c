"""Deterministic demo data for 毕节 (seed 003): regions, entities, units, people, certificates,
trainings, advisers and an already published powers list (权责清单 and its companions).

Every business row is written through an action (bulk actions for speed), so every row has its
change-log entry. Randomness comes from one seeded `random.Random`, so a scale always produces
the same names, numbers and counts (dates are relative to today so that "expiring soon" stays so).
"""
from __future__ import annotations

import datetime as dt
import math
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.common.registry import demo_steps
from zhifa.common.roles import ADMIN_ROLES, Role
from zhifa.orgs import actions as org_actions
from zhifa.orgs.models import Certificate, Entity, LegalAdviser, Officer, Region, Training, Unit, User
from zhifa.orgs.regions import ensure_towns, load_regions
from zhifa.powers import actions as power_actions
from zhifa.powers.discretion import seed_benchmarks
from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, ServiceGuide
from zhifa.site.demo import catalog
from zhifa.site.demo.cases import seed_demo_cases
from zhifa.site.demo.catalog import BUREAUS, BY_KEY, COUNTY_SET, TOWN_UNITS, Bureau
from zhifa.site.demo.names import FIRMS, address, landline, mobile, person_name, town_names

DEMO_PASSWORD = "Zhifa@2026"
CITY_CODE = "520500"
MAIN_COUNTY = "520502"          # 七星关区
MAIN_BUREAU = "smj"              # 七星关区市场监督管理局: the demo logins' entity
SEED_REASON = "演示数据初始化"
ALL_KEYS = [b.key for b in BUREAUS]
BORN_FROM, BORN_TO = dt.date(1965, 1, 1), dt.date(2000, 12, 31)  # officers' birth dates
# Towns per county for the bijie scale: 263 乡(镇、街道) in all, as seed 003 reports.
BIJIE_TOWNS = {"520502": 42, "520521": 36, "520581": 31, "520523": 26, "520524": 33, "520525": 26,
               "520526": 42, "520527": 27}


def catalogue_code(region_code: str, bureau_no: int, code_cat: str, seq: int) -> str:
    """A demo 监管事项目录编码 (14 digits: region, bureau, category, sequence); real ones come from the
    national 监管事项目录 and are entered on the power item."""
    cat_no = list(catalog.CATEGORY_CODES.values()).index(code_cat) + 1
    return f"{region_code[:6]}{bureau_no:02d}{cat_no:02d}{seq:04d}"


@dataclass(frozen=True)
class Scale:
    name: str
    city_bureaus: list[str]
    county_bureaus: list[str]
    counties: list[str]
    towns: dict[str, int]          # county code -> number of towns
    town_entities: int | None       # towns per county that get a government entity (None = all)
    officers: int
    items: int                      # published power-list items


SCALES = {
    "county": Scale("county", ["sfj"], COUNTY_SET, [MAIN_COUNTY], {MAIN_COUNTY: 5}, 2, officers=140, items=380),
    "city": Scale("city", COUNTY_SET, COUNTY_SET, list(BIJIE_TOWNS), dict.fromkeys(BIJIE_TOWNS, 4), 2,
                  officers=1600, items=3300),
    "bijie": Scale("bijie", ALL_KEYS, ALL_KEYS, list(BIJIE_TOWNS), BIJIE_TOWNS, None,
                   officers=11963, items=25023),
}

DEMO_LOGINS = [  # username, role, where
    ("officer", Role.OFFICER, "main"),
    ("unithead", Role.UNIT_HEAD, "main"),
    ("reviewer", Role.LEGAL_REVIEWER, "main"),
    ("head", Role.AGENCY_HEAD, "main"),
    ("supervisor", Role.SUPERVISOR, "county_justice"),
    ("citysupervisor", Role.SUPERVISOR, "city_justice"),
    ("admin", Role.ADMIN, None),
    ("secadmin", Role.SECURITY_ADMIN, None),
    ("auditor", Role.AUDIT_ADMIN, None),
]
ADMIN_SCOPE = {Role.ADMIN: "（配置与账号）", Role.SECURITY_ADMIN: "（锁定、令牌、双因素）", Role.AUDIT_ADMIN: "（只读审计日志）"}
DEMO_ADMIN_NAMES = {"admin": "系统管理员", "secadmin": "安全管理员", "auditor": "安全审计员"}

TITLES = ("执法队员", "执法队员", "执法队员", "一级科员", "科员", "四级主任科员", "三级主任科员", "中队长", "副大队长",
          "副科长", "科长")
COURSES = ("《中华人民共和国行政处罚法》专题培训", "行政执法“三项制度”业务培训", "行政执法文书制作规范培训",
           "《中华人民共和国行政强制法》专题培训", "公共法律知识培训", "行政执法证件资格考试考前培训",
           "执法记录仪使用与音像记录规范", "重大执法决定法制审核实务")


def distribute(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each at least `minimum`."""
    n = len(weights)
    if n == 0:
        return []
    base = [minimum] * n
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total too small")
    s = sum(weights)
    raw = [rest * w / s for w in weights]
    floor = [int(math.floor(x)) for x in raw]
    left = rest - sum(floor)
    order = sorted(range(n), key=lambda i: (raw[i] - floor[i], -i), reverse=True)
    for i in order[:left]:
        floor[i] += 1
    return [b + f for b, f in zip(base, floor)]


def is_seeded() -> bool:
    return Entity.objects.exists()


@dataclass
class Place:
    region: Region
    level: str          # city / county / town
    label: str          # name used in entity names
    abbr: str           # first part of 机关代字
    county: Region | None = None   # for towns: their county
    id_regions: list[str] = field(default_factory=list)  # region codes for ID numbers


class Builder:
    def __init__(self, scale: Scale, log=None):
        self.scale = scale
        self.rng = random.Random(f"zhifa-demo-{scale.name}")
        self.today = timezone.localdate()
        self.log = log or (lambda msg: None)
        self.timings: dict[str, float] = {}
        self.used_credit: set[str] = set()
        self.used_ids: set[str] = set()
        self.cert_seq = 0
        self.entities: list[tuple[Entity, Bureau | None, Place]] = []
        self.units: dict[int, list[Unit]] = {}
        self.supervisors: dict[int, User] = {}   # region id -> supervisor user
        self.users: dict[str, User] = {}
        self.main_entity: Entity | None = None
        self.password = DEMO_PASSWORD  # for demo steps that log in as a second entity's head

    # ---- helpers ---------------------------------------------------------------------
    def _step(self, name, fn):
        t = time.perf_counter()
        fn()
        self.timings[name] = time.perf_counter() - t
        self.log(f"  {name}: {self.timings[name]:.1f}s")

    def credit_code(self, region_code: str) -> str:
        while True:
            code = make_credit_code(region_code, f"{self.rng.randrange(10 ** 8):08d}")
            if code not in self.used_credit:
                self.used_credit.add(code)
                return code

    def id_number(self, region_code: str, gender: str) -> tuple[str, dt.date]:
        while True:
            born = BORN_FROM + dt.timedelta(days=self.rng.randrange((BORN_TO - BORN_FROM).days + 1))
            value = make_id_number(region_code, born, self.rng.randrange(500), gender)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value, born

    # ---- build -------------------------------------------------------------------------
    def run(self):
        self._step("regions", self.build_regions)
        self._step("entities", self.build_entities)
        self._step("units", self.build_units)
        self._step("accounts", self.build_accounts)
        self._step("officers", self.build_officers)
        self._step("advisers", self.build_advisers)
        self._step("powers", self.build_powers)
        self._step("drafts", self.build_drafts)
        # 演示案件 through the real case actions (county and city scales only: bijie stays fast).
        self.cases = (seed_demo_cases(self.main_entity, acting_user=self.users["officer"], log=self.log)
                      if self.scale.name != "bijie" else [])
        # Each app's own demo steps, in order (`<app>/demo.py`, zhifa.common.registry.demo_steps).
        for step in demo_steps.entries():
            self._step(step.key, lambda fn=step.value: fn(self))
        return self

    def build_regions(self):
        load_regions()
        regions = {r.code: r for r in Region.objects.filter(code__in=[CITY_CODE, *self.scale.counties])}
        self.city = regions[CITY_CODE]
        self.counties = [regions[c] for c in self.scale.counties]
        used: set[str] = set()
        self.places: list[Place] = [Place(self.city, "city", "毕节市", "毕", id_regions=self.scale.counties)]
        for county in self.counties:
            abbr = county.name[0]
            self.places.append(Place(county, "county", county.name, abbr, id_regions=[county.code]))
        for county in self.counties:
            names = town_names(self.rng, self.scale.towns.get(county.code, 0), used)
            towns = ensure_towns(county, names)
            with_entity = towns if self.scale.town_entities is None else towns[:self.scale.town_entities]
            for t in with_entity:
                self.places.append(Place(t, "town", county.name + t.name, county.name[0] + t.name[:2],
                                         county=county, id_regions=[county.code]))

    def _entity(self, place: Place, bureau: Bureau | None, justice_by_region: dict) -> Entity:
        rng = self.rng
        if bureau is None:  # town government
            is_street = place.region.name.endswith("街道")
            name = place.label + ("办事处" if is_street else "人民政府")
            data = dict(short_code=place.abbr, kind=Entity.Kind.STATUTORY, fields="乡镇综合行政执法",
                        legal_basis=f"《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》；"
                                    f"《{place.county.name}赋予乡镇（街道）部分县级行政执法权限的决定》",
                        hearing_threshold_citizen=Decimal(2000), hearing_threshold_org=Decimal(20000))
            gov = f"{place.county.name}人民政府"
        else:
            name = place.label + bureau.name_at(place.level)
            laws = list(dict.fromkeys(catalog.law_name(it[2]) for it in bureau.items))[:3]
            data = dict(short_code=place.abbr + bureau.abbr, kind=bureau.kind, fields=bureau.fields,
                        is_justice_bureau=bureau.justice,
                        legal_basis="".join(f"《{x}》" for x in laws)
                                    + f"；《{place.label}{bureau.name_at(place.level)}职能配置、内设机构和人员编制规定》",
                        hearing_threshold_citizen=Decimal(bureau.thresholds[0]),
                        hearing_threshold_org=Decimal(bureau.thresholds[1]))
            gov = f"{place.label}人民政府"
        sup_region = place.county if place.level == "town" else place.region
        justice = justice_by_region.get(sup_region.code, f"{sup_region.name}司法局")
        return Entity(
            name=name, region=place.region, credit_code=self.credit_code(place.region.code),
            address=address(rng, place.label), phone=landline(rng),
            supervision_channel=f"{justice}行政执法监督投诉电话；12345政务服务便民热线",
            remedy_channel=f"对行政执法决定不服的，可以自知道该决定之日起六十日内向{gov}申请行政复议，"
                           f"或者自知道之日起六个月内依法向人民法院提起行政诉讼",
            **data)

    def build_entities(self):
        admin = self.admin = self._admin()
        justice_names = {p.region.code: p.label + "司法局" for p in self.places if p.level != "town"}
        first, entrusted = [], []
        for place in self.places:
            if place.level == "town":
                first.append((self._entity(place, None, justice_names), None, place))
                continue
            keys = self.scale.city_bureaus if place.level == "city" else self.scale.county_bureaus
            for key in keys:
                bureau = BY_KEY[key]
                e = self._entity(place, bureau, justice_names)
                (entrusted if bureau.entrusted_by else first).append((e, bureau, place))
        org_actions.do_bulk_create_entities([e for e, _, _ in first], acting_user=admin, reason=SEED_REASON)
        by_place_key = {(p.region.code, b.key): e for e, b, p in first if b}
        for e, b, p in entrusted:
            e.entrusted_by = by_place_key[(p.region.code, b.entrusted_by)]
        if entrusted:
            org_actions.do_bulk_create_entities([e for e, _, _ in entrusted], acting_user=admin, reason=SEED_REASON)
        self.entities = first + entrusted
        self.main_entity = by_place_key[(MAIN_COUNTY, MAIN_BUREAU)]
        self.justice = {p.region.id: e for e, b, p in self.entities if b and b.justice}

    def _admin(self) -> User:
        """The three administrators (三员分立), none a superuser: `admin` (系统管理员) seeds the demo."""
        for username, role, _where in DEMO_LOGINS:
            if role in ADMIN_ROLES and not User.objects.filter(username=username).exists():
                org_actions.do_create_admin(username=username, password=DEMO_PASSWORD, role=role,
                                            display_name=DEMO_ADMIN_NAMES[username], must_change=False)
        for username in DEMO_ADMIN_NAMES:
            self.users[username] = User.objects.get(username=username)
        return self.users["admin"]

    def build_units(self):
        units = []
        for e, b, _p in self.entities:
            names = b.units if b else TOWN_UNITS
            for i, name in enumerate(names):
                units.append(Unit(entity=e, name=name, is_legal_unit=(i == 1), phone=landline(self.rng)))
        org_actions.do_bulk_create_units(units, acting_user=self.admin, reason=SEED_REASON)
        for u in units:
            self.units.setdefault(u.entity.pk, []).append(u)

    def build_accounts(self):
        """Supervisors for every justice bureau (they confirm the seeded lists) and the demo logins."""
        main = self.main_entity
        main_units = self.units[main.pk]
        county_region = main.region
        for region_id, bureau in self.justice.items():
            if region_id == county_region.id:
                username, password, display = "supervisor", DEMO_PASSWORD, "赵立新"
            elif region_id == self.city.id:
                username, password, display = "citysupervisor", DEMO_PASSWORD, "周晓燕"
            else:
                # Confirming accounts of the other counties: no usable password (not demo logins).
                username, password, display = f"sup{bureau.region.code}", None, f"{bureau.region.name}执法监督员"
            user = org_actions.do_create_user(username=username, password=password, role=Role.SUPERVISOR,
                                              entity=bureau, display_name=display, acting_user=self.admin)
            self.supervisors[region_id] = user
            self.users[username] = user
        for username, role, unit, display in [
            ("unithead", Role.UNIT_HEAD, main_units[0], "刘志刚"),
            ("head", Role.AGENCY_HEAD, None, "杨永红"),
        ]:
            self.users[username] = org_actions.do_create_user(
                username=username, password=DEMO_PASSWORD, role=role, entity=main, unit=unit,
                display_name=display, acting_user=self.admin)
        # officer / reviewer get Officer profiles: created with the officers (build_officers).
        self.users["officer"] = org_actions.do_create_user(
            username="officer", password=DEMO_PASSWORD, role=Role.OFFICER, entity=main, unit=main_units[0],
            display_name="王建国", acting_user=self.admin)
        self.users["reviewer"] = org_actions.do_create_user(
            username="reviewer", password=DEMO_PASSWORD, role=Role.LEGAL_REVIEWER, entity=main,
            unit=main_units[1], display_name="陈静", acting_user=self.admin)

    # ---- people --------------------------------------------------------------------------
    def build_officers(self):
        rng = self.rng
        weights = []
        for _e, b, p in self.entities:
            w = b.officer_weight if b else 0.45
            weights.append(w * (1.3 if p.level == "city" else 1.0))
        counts = distribute(self.scale.officers, weights, minimum=3)
        officers, certs, trainings = [], [], []
        for k, ((e, _b, p), n) in enumerate(zip(self.entities, counts)):
            units = self.units[e.pk]
            main = e is self.main_entity
            # a few suspended / departed officers at every scale, beyond the random ones
            forced = {n - 1: Officer.Status.SUSPENDED} if k % 3 == 0 else {}
            if k % 4 == 1:
                forced[n - 2] = Officer.Status.LEFT
            reviewers = 0 if (rng.random() < 0.1 and not main) else max(1, round(n * 0.06))
            for i in range(n):
                gender = "M" if rng.random() < 0.62 else "F"
                o = Officer(entity=e, name=person_name(rng, gender), gender=gender, phone=mobile(rng))
                o.id_number, born = self.id_number(rng.choice(p.id_regions), gender)
                if i < reviewers:
                    o.unit, o.title = units[1], rng.choice(("科员", "副科长", "科长", "四级主任科员"))
                    o.legal_qualification = o.is_legal_reviewer = True
                else:
                    r = rng.random()
                    o.unit = units[0] if r < 0.65 else units[1] if r < 0.75 else rng.choice(units) if r < 0.95 else None
                    o.title = rng.choice(TITLES)
                    o.legal_qualification = rng.random() < 0.04
                if o.legal_qualification:
                    year, seq = rng.randint(2008, 2024), rng.randrange(10 ** 4)
                    o.legal_qualification_no = f"A{year}{p.region.code[:6]}{seq:04d}"
                r = rng.random()
                o.status = (Officer.Status.ACTIVE if r < 0.94 or i < reviewers
                            else Officer.Status.SUSPENDED if r < 0.96 else Officer.Status.LEFT)
                if i in forced and i >= reviewers + 1:
                    o.status = forced[i]
                if main and i == reviewers:  # the `officer` demo login: active, valid certificate
                    o.unit, o.status, o.title = units[0], Officer.Status.ACTIVE, "执法队员"
                    o.name, o.gender = self.users["officer"].display_name, "M"
                    o.user = self.users["officer"]
                    o.id_number, born = self.id_number(p.region.code, "M")
                elif main and i == 0:       # the `reviewer` demo login
                    o.name, o.gender = self.users["reviewer"].display_name, "F"
                    o.user = self.users["reviewer"]
                    o.id_number, born = self.id_number(p.region.code, "F")
                officers.append(o)
                cert = self._certificate(o, e, p, force_valid=o.user is not None, force_cert=i in forced)
                if cert:
                    certs.append(cert)
                if o.status == Officer.Status.ACTIVE:
                    trainings.extend(self._trainings(o))
        org_actions.do_bulk_create_officers(officers, certs, acting_user=self.admin, reason=SEED_REASON)
        org_actions.do_bulk_record_trainings(trainings, acting_user=self.admin, reason=SEED_REASON)
        self.officer_count, self.certificate_count, self.training_count = len(officers), len(certs), len(trainings)

    def _certificate(self, o: Officer, e: Entity, p: Place, force_valid=False, force_cert=False) -> Certificate | None:
        rng, today = self.rng, self.today
        if o.status == Officer.Status.LEFT and rng.random() < 0.5 and not force_cert:
            return None
        if o.status == Officer.Status.ACTIVE and not force_valid and rng.random() < 0.05:
            return None  # newly appointed, certificate not yet issued
        r = rng.random()
        if force_valid or r >= 0.06:
            issued = today - dt.timedelta(days=rng.randint(30, 5 * 365 - 90))
            expires = issued.replace(year=issued.year + 5) if not (issued.month == 2 and issued.day == 29) \
                else dt.date(issued.year + 5, 2, 28)
        elif r < 0.04:   # expiring within 60 days
            expires = today + dt.timedelta(days=rng.randint(1, 60))
            issued = expires - dt.timedelta(days=5 * 365)
        else:            # already expired
            expires = today - dt.timedelta(days=rng.randint(1, 200))
            issued = expires - dt.timedelta(days=5 * 365)
        status = {Officer.Status.SUSPENDED: Certificate.Status.SUSPENDED,
                  Officer.Status.LEFT: Certificate.Status.REVOKED}.get(o.status, Certificate.Status.VALID)
        self.cert_seq += 1
        check = rng.random()
        fields = "、".join(e.field_list[:2]) or "综合行政执法"
        return Certificate(
            officer=o, number=f"{p.region.code[:6]}{issued.year % 100:02d}{self.cert_seq:06d}",
            fields=fields, issuing_authority="贵州省人民政府", issued_on=issued, expires_on=expires,
            status=status, annual_check_year=today.year - 1 if check < 0.9 else None,
            annual_check_result=(Certificate.Check.PASSED if check < 0.88 else Certificate.Check.FAILED
                                 if check < 0.9 else Certificate.Check.NONE))

    def _trainings(self, o: Officer) -> list[Training]:
        rng, today = self.rng, self.today
        total = rng.choice((40, 44, 48, 56, 60, 64, 72)) if rng.random() < 0.85 else rng.choice((8, 12, 16, 24, 32, 36))
        parts = rng.randint(1, 3)
        hours, out = [], []
        left = total
        for k in range(parts):
            h = left if k == parts - 1 else max(4, round(left * rng.uniform(0.3, 0.6) / 4) * 4)
            h = min(h, left)
            if h <= 0:
                break
            hours.append(h)
            left -= h
        start = dt.date(today.year, 1, 1)
        span = max((today - start).days, 1)
        for h, course in zip(hours, rng.sample(COURSES, len(hours))):
            out.append(Training(officer=o, year=today.year, course=course, hours=Decimal(h),
                                finished_on=start + dt.timedelta(days=rng.randrange(span))))
        return out

    def build_advisers(self):
        rng, today = self.rng, self.today
        advisers = []
        for e, _b, p in self.entities:
            if p.level == "town" and rng.random() < 0.7:
                continue
            n = 2 if e is self.main_entity else 1
            for _ in range(n):
                public = rng.random() < 0.3
                gender = "M" if rng.random() < 0.6 else "F"
                start = dt.date(today.year - rng.randint(0, 1), 1, 1)
                advisers.append(LegalAdviser(
                    entity=e, kind=LegalAdviser.Kind.PUBLIC_LAWYER if public else LegalAdviser.Kind.ADVISER,
                    name=person_name(rng, gender),
                    licence_no=(f"{'3' if public else '1'}{p.region.code[:6]}{rng.randint(2005, 2022)}"
                                f"{rng.randint(10 ** 5, 10 ** 6 - 1)}0"),
                    firm=(self.justice.get((p.county or p.region).id, e).name if public else rng.choice(FIRMS)),
                    phone=mobile(rng), engaged_from=start,
                    engaged_to=(dt.date(start.year + 2, 12, 31) if rng.random() < 0.95
                                else today - dt.timedelta(days=30))))
        org_actions.do_bulk_create_advisers(advisers, acting_user=self.admin, reason=SEED_REASON)
        self.adviser_count = len(advisers)

    # ---- powers list ---------------------------------------------------------------------------
    def build_powers(self):
        rng = self.rng
        listed = [(e, b, p) for e, b, p in self.entities if b is not None]
        weights = [b.item_weight * (1.2 if p.level == "city" else 1.0) for e, b, p in listed]
        counts = distribute(self.scale.items, weights, minimum=5)
        effective = min(dt.date(self.today.year, 3, 1), self.today)
        by_region: dict[int, dict[str, list]] = {}
        self.item_plan = {}
        for (e, b, p), n in zip(listed, counts):
            bucket = by_region.setdefault(e.region_id, {"items": [], "insp": [], "guides": [], "flows": []})
            units = self.units[e.pk]
            seqs: dict[str, int] = {}
            items = []
            bureau_no = ALL_KEYS.index(b.key) + 1
            for cat, name, law, art in catalog.items_for(b, n):
                code_cat = catalog.CATEGORY_CODES[cat]
                seqs[code_cat] = seqs.get(code_cat, 0) + 1
                unit = units[0] if cat in (catalog.PENALTY, catalog.COERCION, catalog.INSPECTION) else units[min(2, len(units) - 1)]
                items.append(PowerItem(
                    entity=e, unit=unit, code=f"{e.region.code}{bureau_no:02d}{code_cat}{seqs[code_cat]:04d}",
                    name=name, category=cat, law=catalog.law_name(law), article=catalog.article(art),
                    basis_text=catalog.basis_text(cat, name, law, art, e.name),
                    duties=catalog.DUTIES.get(cat, catalog.DEFAULT_DUTIES), accountability=catalog.ACCOUNTABILITY,
                    supervision_code=catalogue_code(e.region.code, bureau_no, code_cat, seqs[code_cat]),
                    effective_from=effective))
            bucket["items"].extend(items)
            self.item_plan[e.pk] = seqs
            insp = [it for it in items if it.category == catalog.INSPECTION][:3]
            for k, it in enumerate(insp):
                key = k == 0
                bucket["insp"].append(InspectionItem(
                    entity=e, power_item_code=it.code, code=f"{it.code}-CC", name=it.name.removeprefix("对"),
                    kind=InspectionItem.Kind.KEY if key else InspectionItem.Kind.GENERAL,
                    ratio=None if key else Decimal(rng.choice((3, 5, 10, 20))),
                    frequency="每年不少于1次" if key else "每年1次", targets=f"{e.region.name}辖区内{b.fields.split('、')[0]}相关市场主体",
                    method=rng.choice(("现场检查", "书面检查、现场检查", "网络监测、现场检查")),
                    law=f"《{it.law}》{it.article}", effective_from=effective))
            lic = [it for it in items if it.category == catalog.LICENSING][:3]
            for it in lic:
                bucket["guides"].append(ServiceGuide(
                    entity=e, power_item_code=it.code, title=it.name, basis=f"《{it.law}》{it.article}",
                    accepting_unit=f"{e.region.name}政务服务中心{b.name_at(p.level)}窗口",
                    approving_unit=e.name,
                    materials="申请书\n申请人身份证明或营业执照复印件\n与申请事项有关的场所、设施、人员证明材料\n法律法规规定的其他材料",
                    steps="申请\n受理\n审查（必要时现场核查）\n决定\n送达（发证）",
                    time_limit=f"{rng.choice((5, 10, 15, 20))}个工作日（法定时限20个工作日）",
                    office_hours="周一至周五 上午9:00—12:00，下午13:00—17:00（法定节假日除外）",
                    address=e.address, phone=e.phone, fee="不收费", effective_from=effective))
            for title, cat in (("行政处罚一般程序流程图", catalog.PENALTY), ("行政许可办理流程图", catalog.LICENSING),
                               ("行政检查流程图", catalog.INSPECTION)):
                if any(it.category == cat for it in items):
                    bucket["flows"].append(Flowchart(entity=e, title=title, power_category=cat,
                                                     steps=FLOWS[cat], effective_from=effective))
        self.power_count = sum(len(v["items"]) for v in by_region.values())
        for region_id, bucket in by_region.items():
            sup = self.supervisors[region_id]
            for model, key in ((PowerItem, "items"), (InspectionItem, "insp"), (ServiceGuide, "guides"),
                               (Flowchart, "flows")):
                if bucket[key]:
                    power_actions.do_bulk_create_versioned(model, bucket[key], acting_user=self.admin,
                                                           reason=SEED_REASON, publish_by=sup)
        self.main_items = [it for it in by_region[self.main_entity.region_id]["items"] if it.entity is self.main_entity]
        # 行政处罚裁量基准 for the main entity's penalty items, published like the list (zhifa.powers.discretion).
        seed_benchmarks(self.main_entity, self.main_items, acting_user=self.admin,
                        publish_by=self.supervisors[self.main_entity.region_id])

    def build_drafts(self):
        """A few unpublished items in the main entity so the confirm workflow can be shown."""
        head, e = self.users["head"], self.main_entity
        units = self.units[e.pk]
        seq = self.item_plan[e.pk].get("CF", 0)
        bureau_no = ALL_KEYS.index(MAIN_BUREAU) + 1
        drafts = [
            ("对电子商务经营者未在首页显著位置公示营业执照信息的行政处罚", "电子商务法", 76),
            ("对电子商务平台经营者未履行核验、登记义务的行政处罚", "电子商务法", 80),
            ("对经营者未经消费者同意收集、使用消费者个人信息的行政处罚", "消费者权益保护法", 56),
        ]
        created = []
        for k, (name, law, art) in enumerate(drafts, 1):
            created.append(power_actions.do_create_versioned(PowerItem, {
                "entity": e, "unit": units[0], "code": f"{e.region.code}{bureau_no:02d}CF{seq + k:04d}",
                "name": name, "category": catalog.PENALTY, "law": catalog.law_name(law), "article": catalog.article(art),
                "basis_text": catalog.basis_text(catalog.PENALTY, name, law, art, e.name),
                "duties": catalog.DUTIES[catalog.PENALTY], "accountability": catalog.ACCOUNTABILITY,
            }, acting_user=head))
        power_actions.do_submit_versioned(created[-1], acting_user=head)
        # A revision of a published item: version 2 as a draft, version 1 stays public.
        target = next(it for it in self.main_items if it.category == catalog.PENALTY)
        power_actions.do_update_versioned(target, {"accountability": catalog.ACCOUNTABILITY + "\n6.未按规定公示处罚决定的。"},
                                          acting_user=head, reason="增加未公示处罚决定的追责情形")


def _flow(labels):
    steps = []
    for i, (label, kind) in enumerate(labels):
        nxt = [f"s{i + 2}"] if i + 1 < len(labels) else []
        steps.append({"key": f"s{i + 1}", "label": label, "kind": kind, "next": nxt})
    return steps


FLOWS = {
    catalog.PENALTY: _flow([("立案", "start"), ("调查取证", "task"), ("案件审查", "task"), ("重大执法决定法制审核", "decision"),
                      ("告知陈述申辩（听证）权利", "task"), ("作出处罚决定", "task"), ("送达", "task"), ("执行", "task"),
                      ("结案归档", "end")]),
    catalog.LICENSING: _flow([("申请", "start"), ("受理", "decision"), ("审查", "task"), ("决定", "decision"), ("送达", "task"),
                      ("办结", "end")]),
    catalog.INSPECTION: _flow([("制定检查计划（双随机抽取）", "start"), ("实施检查", "task"), ("结果处理", "decision"),
                      ("结果公示", "task"), ("归档", "end")]),
}


@transaction.atomic
def seed(scale: str = "county", log=None) -> Builder:
    """Generate one scale's demo data into an empty database (the caller checks `is_seeded`)."""
    return Builder(SCALES[scale], log=log).run()


def analyze():
    """Refresh planner statistics after a bulk load (PostgreSQL; autovacuum would get there later)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, password, role label, entity) for the table printed after seeding."""
    rows = []
    for username, _role, _where in DEMO_LOGINS:
        u = User.objects.select_related("entity").filter(username=username).first()
        if u:
            rows.append((username, DEMO_PASSWORD, str(Role(u.role).label), u.entity.name if u.entity else ADMIN_SCOPE.get(u.role, "—")))
    return rows

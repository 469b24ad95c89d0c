"""Statistics (统计报表): counts and amounts per entity, region, kind, category, outcome and period,
aggregated in the database (one GROUP BY per table), for the supervisors' statistics page, the
annual report (年度行政执法统计年报, zhifa.supervision.actions.reports) and the API.

A case counts in the period of its 立案 date (its registration date if never filed), exactly as
`figures.year_q`, so these tables, the supervision home and the annual report always agree.
Every figure of `figures.metrics` keeps its meaning here; the rest (outcomes, penalty kinds,
confiscations, collective discussions, publication timeliness) are added below.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, Q, Sum, Value, When
from django.db.models import F as DF
from django.db.models.functions import Coalesce, ExtractMonth, ExtractQuarter, ExtractYear
from django.http import Http404

from zhifa.cases.models import Case, CollectiveDiscussion, Kind, LegalReview, PenaltyKind, Seizure, Source
from zhifa.common.actions import ActionRefused
from zhifa.orgs.models import Entity, Region
from zhifa.supervision import figures

BASIS = Coalesce("filed_on", "registered_on")
MAX_DIMENSIONS = 3

# ---- metrics ----------------------------------------------------------------------------------

OUTCOMES = [  # first match wins (办理结果)
    ("not_punished", "不予行政处罚", Q(decided_on__isnull=False, no_penalty=True)),
    ("penalty", "作出行政处罚决定", Q(decided_on__isnull=False, kind__in=[Kind.PENALTY_GENERAL, Kind.PENALTY_SIMPLE])),
    ("not_filed", "不予立案", Q(state="not_filed")),
    ("revoked", "撤销立案", Q(state="revoked")),
    ("transferred", "移送", Q(state="transferred")),
    ("converted", "查封扣押转处罚", Q(kind=Kind.COERCIVE, state="converted")),
    ("released", "解除查封扣押", Q(kind=Kind.COERCIVE, state="released")),
    ("problems", "检查发现问题", Q(kind=Kind.INSPECTION, problems_found=True,
                               state__in=["result_recorded", "closed", "archived"])),
    ("no_problems", "检查未发现问题", Q(kind=Kind.INSPECTION, problems_found=False,
                                  state__in=["result_recorded", "closed", "archived"])),
]
OUTCOME_LABELS = dict([(k, label) for k, label, _ in OUTCOMES] + [("in_progress", "办理中")])


def outcome_expr():
    return CaseWhen(*[When(q, then=Value(k)) for k, _, q in OUTCOMES], default=Value("in_progress"),
                    output_field=CharField())


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    group: str                 # 案件 | 结果 | 处罚种类 | 金额 | 程序 | 公示
    money: bool = False


PUB_ACTIVE = ["draft", "published", "withdrawn", "expired"]  # every state but "held" (默认不公示)
DECIDED = Q(decided_on__isnull=False)
PENALISED = Q(decided_on__isnull=False, no_penalty=False, kind__in=[Kind.PENALTY_GENERAL, Kind.PENALTY_SIMPLE])


def _metric_q(today) -> dict[str, tuple[str, str, Q]]:
    """key → (label, group, Q over Case) for every counted metric."""
    out = {}
    for key, (label, q) in figures.metrics(today).items():
        group = "案件" if key in ("all", "open", "finished") or key in Kind.values else "程序"
        out[key] = (label, "结果" if key in ("decided", "fined") else "公示" if key == "published" else group, q)
    for key, label, q in OUTCOMES:
        if key not in out:
            out[key] = (label, "结果", q)
    out["transferred_crime"] = ("涉嫌犯罪移送", "结果", Q(state="transferred", transfer_kind="crime"))
    for k in PenaltyKind:
        out[f"pk_{k.value}"] = (str(k.label), "处罚种类", PENALISED & Q(penalty_kinds__icontains=f'"{k.value}"'))
    out.update({
        "hearing_asked": ("要求听证", "程序", Q(hearing_requested=True)),
        "review_problems": ("审核存在问题", "程序",
                            Q(pk__in=LegalReview.objects.filter(outcome=LegalReview.Outcome.PROBLEMS).values("case_id"))),
        "discussed": ("集体讨论", "程序", Q(pk__in=CollectiveDiscussion.objects.values("case_id"))),
        "seized": ("查封扣押", "程序", Q(pk__in=Seizure.objects.values("case_id"))),
        "pub_total": ("应公示", "公示", Q(publication__state__in=PUB_ACTIVE)),
        "pub_on_time": ("按时公示", "公示", Q(publication__state__in=PUB_ACTIVE, publication__published_on__isnull=False,
                                          publication__published_on__lte=DF("publication__due_on"))),
        "pub_late": ("逾期公示", "公示", Q(publication__state__in=PUB_ACTIVE, publication__published_on__isnull=False)
                     & (Q(publication__due_on__isnull=True)
                        | Q(publication__published_on__gt=DF("publication__due_on")))),
        "pub_missing": ("逾期未公示", "公示", Q(publication__state__in=PUB_ACTIVE,
                                            publication__published_on__isnull=True, publication__due_on__lt=today)),
        "pub_held": ("默认不公示", "公示", Q(publication__state="held")),
    })
    return out


MONEY = {"fines": ("罚款金额（元）", Sum("fine_amount", filter=Q(decided_on__isnull=False, fine_amount__gt=0))),
         "confiscation": ("没收金额（元）", Sum("confiscation_amount",
                                              filter=Q(decided_on__isnull=False, confiscation_amount__gt=0))),
         "paid": ("已缴罚没款（元）", Sum("paid_amount", filter=DECIDED))}

# The order of columns on pages and in exports; DEFAULT is what a query shows unless asked.
ORDER = (["all", "open", "finished"] + list(Kind.values)
         + ["decided", "penalty", "not_punished", "fined", "not_filed", "revoked", "transferred", "transferred_crime",
            "converted", "released", "problems", "no_problems"]
         + [f"pk_{k}" for k in PenaltyKind.values]
         + ["fines", "confiscation", "paid", "hearing_asked", "hearing", "reviewed", "review_problems",
            "discussed", "seized", "overdue", "pub_total", "published", "pub_on_time", "pub_late", "pub_missing",
            "pub_held"])
DEFAULT = ["all", "penalty_general", "penalty_simple", "inspection", "coercive", "penalty", "fines", "hearing",
           "reviewed", "discussed", "pub_on_time", "pub_late", "pub_missing"]


def metrics(today) -> dict[str, Metric]:
    q = _metric_q(today)
    out = {}
    for key in ORDER:
        if key in MONEY:
            out[key] = Metric(key, MONEY[key][0], "金额", money=True)
        else:
            label, group, _ = q[key]
            out[key] = Metric(key, label, group)
    return out


def aggregates(today, keys=None) -> dict:
    q = _metric_q(today)
    keys = keys or ORDER
    return {k: (MONEY[k][1] if k in MONEY else Count("id", filter=q[k][2])) for k in keys}


def clean_row(row: dict, keys) -> dict:
    for k in keys:
        if k in MONEY:
            row[k] = row.get(k) or Decimal("0.00")
        else:
            row[k] = row.get(k) or 0
    return row


# ---- periods and filters ----------------------------------------------------------------------

def period_bounds(year: int, quarter: int | None = None, month: int | None = None) -> tuple[dt.date, dt.date]:
    if month:
        start = dt.date(year, month, 1)
        end = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
    elif quarter:
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return start, end


def in_period(qs, start: dt.date | None, end: dt.date | None):
    qs = qs.annotate(_basis=BASIS)
    if start:
        qs = qs.filter(_basis__gte=start)
    if end:
        qs = qs.filter(_basis__lte=end)
    return qs


DIMENSIONS = {"region": "区划", "entity": "执法主体", "kind": "案件类别", "category": "执法领域", "outcome": "办理结果",
              "source": "案件来源", "year": "年度", "quarter": "季度", "month": "月份"}


@dataclass
class Spec:
    """A free query: group by `dims`, filtered by the rest; `metrics` to show."""
    dims: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=lambda: list(DEFAULT))
    region: object = None       # Region
    entity: object = None       # Entity
    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    kind: str = ""
    category: str = ""
    outcome: str = ""

    @property
    def bounds(self):
        return period_bounds(self.year, self.quarter, self.month) if self.year else (None, None)

    @property
    def period_label(self):
        if not self.year:
            return "全部年度"
        if self.month:
            return f"{self.year}年{self.month}月"
        if self.quarter:
            return f"{self.year}年第{self.quarter}季度"
        return f"{self.year}年"

    def params(self) -> dict:
        """The query string that reproduces this spec (links, exports)."""
        out = {"dims": ",".join(self.dims), "metrics": ",".join(self.metrics)}
        for k in ("year", "quarter", "month", "kind", "category", "outcome"):
            if getattr(self, k):
                out[k] = getattr(self, k)
        if self.region is not None:
            out["region"] = self.region.pk
        if self.entity is not None:
            out["entity"] = self.entity.pk
        return out


def _int(params, key, lo, hi, label):
    raw = str(params.get(key) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise ActionRefused("validation", f"{label}应为{lo}至{hi}之间的整数", key)
    return int(raw)


def _list(params, key):
    # A form sends one value per checkbox (dims=entity&dims=kind), links send "entity,kind".
    raw = ",".join(params.getlist(key)) if hasattr(params, "getlist") else (params.get(key) or "")
    if isinstance(raw, (list, tuple)):
        raw = ",".join(raw)
    return [x.strip() for x in str(raw).split(",") if x.strip()]


def parse_spec(user, params, today=None) -> Spec:
    """Spec from GET parameters / API arguments. Bad input → ActionRefused("validation", Chinese message,
    field); a region or entity outside the user's scope → 404."""
    today = today or figures.today()
    s = Spec()
    s.dims = _list(params, "dims")
    bad = [d for d in s.dims if d not in DIMENSIONS]
    if bad:
        raise ActionRefused("validation", f"分组维度“{bad[0]}”不存在，可选：{'、'.join(DIMENSIONS.values())}", "dims")
    if len(set(s.dims)) != len(s.dims) or len(s.dims) > MAX_DIMENSIONS:
        raise ActionRefused("validation", f"分组维度最多{MAX_DIMENSIONS}个且不能重复", "dims")
    known = metrics(today)
    s.metrics = _list(params, "metrics") or list(DEFAULT)
    bad = [m for m in s.metrics if m not in known]
    if bad:
        raise ActionRefused("validation", f"统计项“{bad[0]}”不存在", "metrics")
    s.year = _int(params, "year", 2000, today.year, "年度")
    s.quarter = _int(params, "quarter", 1, 4, "季度")
    s.month = _int(params, "month", 1, 12, "月份")
    if (s.quarter or s.month) and not s.year:
        raise ActionRefused("validation", "按季度或月份统计时请选择年度", "year")
    if s.quarter and s.month:
        raise ActionRefused("validation", "季度和月份只能选择其一", "month")
    s.kind = str(params.get("kind") or "")
    if s.kind and s.kind not in Kind.values:
        raise ActionRefused("validation", "案件类别不存在", "kind")
    s.outcome = str(params.get("outcome") or "")
    if s.outcome and s.outcome not in OUTCOME_LABELS:
        raise ActionRefused("validation", "办理结果不存在", "outcome")
    s.category = str(params.get("category") or "").strip()[:50]
    region_id, entity_id = str(params.get("region") or ""), str(params.get("entity") or "")
    if region_id:
        if not region_id.isdigit():
            raise ActionRefused("validation", "区划应为编号", "region")
        s.region = Region.objects.filter(pk=region_id).first()
        if s.region is None or not figures.region_allowed(user, s.region):
            raise Http404("区划不存在或不在您的数据范围内")
    if entity_id:
        if not entity_id.isdigit():
            raise ActionRefused("validation", "执法主体应为编号", "entity")
        s.entity = Entity.objects.restrict(user).select_related("region").filter(pk=entity_id).first()
        if s.entity is None:
            raise Http404("执法主体不存在或不在您的数据范围内")
    return s


def cases_for(user, spec: Spec):
    """The cases a spec covers, through the scope layer (user=None: every case, for the system's
    own reports)."""
    qs = Case.objects.all() if user is None else Case.objects.restrict(user, "view")
    if spec.region is not None:
        qs = qs.filter(entity__region__path__startswith=spec.region.path)
    if spec.entity is not None:
        qs = qs.filter(entity=spec.entity)
    if spec.kind:
        qs = qs.filter(kind=spec.kind)
    if spec.category:
        qs = qs.filter(field=spec.category)
    qs = in_period(qs, *spec.bounds)
    if spec.outcome:
        qs = qs.annotate(_outcome=outcome_expr()).filter(_outcome=spec.outcome)
    return qs


# ---- grouping ---------------------------------------------------------------------------------

_DIM_FIELDS = {"entity": ["entity_id", "entity__name"], "kind": ["kind"], "category": ["field"],
               "outcome": ["_outcome"], "source": ["source"], "year": ["_y"], "quarter": ["_y", "_q"],
               "month": ["_y", "_m"], "region": ["entity__region__path"]}


def _annotate_dims(qs, dims):
    extra = {}
    if "outcome" in dims:
        extra["_outcome"] = outcome_expr()
    if {"year", "quarter", "month"} & set(dims):
        extra["_y"] = ExtractYear(BASIS)
    if "quarter" in dims:
        extra["_q"] = ExtractQuarter(BASIS)
    if "month" in dims:
        extra["_m"] = ExtractMonth(BASIS)
    return qs.annotate(**extra) if extra else qs


def grouped(qs, dims: list[str], today, keys=None) -> list[dict]:
    """One GROUP BY over `qs` by the database columns of `dims`; rows carry the raw columns and the
    metrics in `keys` (all when None). The region dimension is grouped by region path here and
    folded into child regions by `query`."""
    keys = keys or ORDER
    fields = [f for d in dims for f in _DIM_FIELDS[d]]
    qs = _annotate_dims(qs.order_by(), dims)
    if not fields:
        return [clean_row(qs.aggregate(**aggregates(today, keys)), keys)]
    return [clean_row(r, keys) for r in qs.values(*fields).annotate(**aggregates(today, keys)).order_by(*fields)]


def dim_value(dim, row, child_of=None):
    """(sortable key, Chinese label) of one dimension of a grouped row."""
    if dim == "entity":
        return row["entity_id"], row["entity__name"]
    if dim == "kind":
        return row["kind"], str(Kind(row["kind"]).label) if row["kind"] in Kind.values else row["kind"]
    if dim == "category":
        return row["field"], row["field"] or "（未填写）"
    if dim == "outcome":
        return row["_outcome"], OUTCOME_LABELS.get(row["_outcome"], row["_outcome"])
    if dim == "source":
        return row["source"], str(Source(row["source"]).label) if row["source"] in Source.values else row["source"]
    if dim == "year":
        return row["_y"], f"{row['_y']}年" if row["_y"] else "（无日期）"
    if dim == "quarter":
        return (row["_y"], row["_q"]), f"{row['_y']}年第{row['_q']}季度" if row["_y"] else "（无日期）"
    if dim == "month":
        return (row["_y"], row["_m"]), f"{row['_y']}年{row['_m']}月" if row["_y"] else "（无日期）"
    if dim == "region":
        return child_of(row["entity__region__path"])
    raise KeyError(dim)


def _region_folder(base):
    """path of an entity's region → (child region code, name) of `base` containing it."""
    children = {r.path: r for r in Region.objects.filter(parent=base)}

    def child_of(path):
        rest = path[len(base.path):] if base and path.startswith(base.path) else ""
        code = rest.split("/", 1)[0]
        if not code:
            return (base.code, f"{base.name}（本级）") if base else ("", "")
        r = children.get(f"{base.path}{code}/")
        return (code, r.name) if r else (code, code)
    return child_of


@dataclass
class Result:
    spec: Spec
    dims: list[tuple[str, str]]
    metrics: list[Metric]
    rows: list[dict]           # {"keys": [..], "labels": [..], metric: value}
    total: dict

    def table(self):
        """Header and plain rows (labels then values), for exports."""
        header = [label for _, label in self.dims] + [m.label for m in self.metrics]
        rows = [r["labels"] + [r[m.key] for m in self.metrics] for r in self.rows]
        total = (["合计"] + [""] * (len(self.dims) - 1) if self.dims else []) + [self.total[m.key] for m in self.metrics]
        return header, rows, total


def query(user, spec: Spec, today=None) -> Result:
    today = today or figures.today()
    keys = spec.metrics
    qs = cases_for(user, spec)
    raw = grouped(qs, spec.dims, today, keys)
    total = grouped(qs, [], today, keys)[0]
    child_of = None
    if "region" in spec.dims:
        base = spec.region or (figures.home_region(user) if user is not None else None)
        child_of = _region_folder(base)
    rows: dict[tuple, dict] = {}
    for r in raw:
        pairs = [dim_value(d, r, child_of) for d in spec.dims]
        key = tuple(p[0] for p in pairs)
        row = rows.get(key)
        if row is None:  # several region paths fold into one child region: add them up
            row = rows[key] = {"keys": list(key), "labels": [p[1] for p in pairs], **{k: r[k] for k in keys}}
        else:
            for k in keys:
                row[k] += r[k]
    known = metrics(today)
    ordered = sorted(rows.values(), key=lambda r: [(k is None, str(k) if not isinstance(k, (int, tuple)) else k)
                                                   for k in r["keys"]])
    return Result(spec, [(d, DIMENSIONS[d]) for d in spec.dims], [known[k] for k in keys], ordered, total)


def jsonable(value):
    """Amounts as strings with two decimals (SQLite and PostgreSQL sum to different scales)."""
    return str(Decimal(value).quantize(Decimal("0.01"))) if isinstance(value, Decimal) else value

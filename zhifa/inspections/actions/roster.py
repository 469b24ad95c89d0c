"""名录库: roster objects (entered or imported from Excel) and immutable snapshots of both rosters."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, bulk_log_created, check_scope_new, snapshot, validate
from zhifa.common.identifiers import check_credit_code, check_id_number
from zhifa.common.xlsx import FILE_ROW, Column, ImportReport, parse_bool, parse_date, read_table, text
from zhifa.inspections import algorithm as alg
from zhifa.inspections.actions.common import step
from zhifa.inspections.choices import RISK_WORDS, KeyKind, ObjectKind, SnapshotKind
from zhifa.inspections.models import RosterObject, RosterSnapshot
from zhifa.orgs.models import Certificate, Officer


def check_key(key: str, kind: str) -> str | None:
    if kind == KeyKind.CREDIT_CODE:
        return check_credit_code(key)
    if kind == KeyKind.ID_NUMBER:
        return check_id_number(key)
    return None if key.strip() else "编号不能为空"


def risk_value(value: str) -> str | None:
    return RISK_WORDS.get((value or "").strip().upper())


@transaction.atomic
def do_save_object(data: dict, *, acting_user, obj: RosterObject | None = None, reason: str = "") -> RosterObject:
    """Enter or update one 检查对象; an update raises its version (snapshots keep the old row)."""
    entity = data.get("entity") or (obj.entity if obj else None)
    check_scope_new(acting_user, RosterObject, entity)
    kind = data.get("key_kind") or (obj.key_kind if obj else KeyKind.CREDIT_CODE)
    key = (data.get("key") or (obj.key if obj else "")).strip().upper()
    bad = check_key(key, kind)
    if bad:
        raise ActionRefused("roster.credit_code", f"统一社会信用代码/身份证号：{bad}", "key")
    if "risk" in data:
        risk = risk_value(str(data["risk"]))
        if risk is None:
            raise ActionRefused("roster.risk", "信用风险等级应为A、B、C、D或高、中高、中、低", "risk")
        data = {**data, "risk": risk}
    before = snapshot(obj) if obj else None
    if obj is None:
        obj = RosterObject(entity=entity)
    for field, value in data.items():
        if field != "entity":
            setattr(obj, field, value)
    obj.key, obj.key_kind = key, kind
    if before is not None:
        obj.version += 1
    validate(obj)
    obj.save()
    step(obj, None, acting_user=acting_user, before=before, reason=reason)
    return obj


ROSTER_COLUMNS = [
    Column("统一社会信用代码/身份证号", "key", 24, aliases=("统一社会信用代码", "社会信用代码", "身份证号", "编号")),
    Column("名称", "name", 30, aliases=("企业名称", "对象名称")),
    Column("法定代表人/负责人", "legal_representative", 12, required=False, aliases=("法定代表人", "负责人")),
    Column("住所/经营场所", "address", 30, required=False, aliases=("住所", "经营场所", "地址")),
    Column("对象类别", "kind", 10, required=False, help="市场主体、产品、项目、场所、其他"),
    Column("行业", "industry", 14, required=False),
    Column("所在区域", "area", 14, required=False, aliases=("区域",)),
    Column("规模", "size", 8, required=False),
    Column("信用风险等级", "risk", 10, aliases=("风险等级", "信用风险分类"), help="A/B/C/D 或 低/中/中高/高"),
    Column("经营异常", "abnormal", 8, required=False, aliases=("列入经营异常名录",)),
    Column("最近检查日期", "last_inspected_on", 12, required=False, aliases=("最近一次被检查日期",)),
]
HEADERS = {c.key: c.header for c in ROSTER_COLUMNS}
KINDS = {str(label): value for value, label in ObjectKind.choices}


def do_import_roster(file_obj, *, entity, acting_user) -> ImportReport:
    """Import or update an entity's roster from .xlsx. All or nothing: any problem → nothing is
    written and `report.errors` lists each one by row and column, in Chinese."""
    report = ImportReport()
    try:
        check_scope_new(acting_user, RosterObject, entity)
    except ActionRefused:
        report.add(FILE_ROW, "", "您没有维护该主体检查对象名录库的权限")
        return report
    rows = read_table(file_obj, ROSTER_COLUMNS, report)
    if rows is None:
        report.errors.sort(key=lambda e: e.row)
        return report
    parsed, seen = [], {}
    for n, raw in rows:
        problems = []
        key, _ = text(raw.get("key"))
        key = key.upper()
        kind, bad = KeyKind.CREDIT_CODE, check_credit_code(key) if key else "必填"
        if bad and key and not check_id_number(key):
            kind, bad = KeyKind.ID_NUMBER, None
        if bad:
            problems.append((HEADERS["key"], f"{bad}（{key}）" if key else bad))
        elif key in seen:
            problems.append((HEADERS["key"], f"与第{seen[key]}行重复"))
        else:
            seen[key] = n
        name, _ = text(raw.get("name"))
        if not name:
            problems.append((HEADERS["name"], "必填"))
        kind_text, _ = text(raw.get("kind"))
        obj_kind = KINDS.get(kind_text, ObjectKind.MARKET if not kind_text else None)
        if obj_kind is None:
            problems.append((HEADERS["kind"], f"应为{'、'.join(KINDS)}之一"))
        risk_text, _ = text(raw.get("risk"))
        risk = risk_value(risk_text)
        if risk is None:
            problems.append((HEADERS["risk"], "应为A、B、C、D或低、中、中高、高"))
        abnormal, why = parse_bool(raw.get("abnormal"))
        if why:
            problems.append((HEADERS["abnormal"], why))
        last, why = parse_date(raw.get("last_inspected_on"))
        if why:
            problems.append((HEADERS["last_inspected_on"], why))
        for column, reason in problems:
            report.add(n, column, reason)
        if not problems:
            parsed.append({"key": key, "key_kind": kind, "name": name[:200], "kind": obj_kind,
                           "industry": text(raw.get("industry"))[0][:60],
                           "legal_representative": text(raw.get("legal_representative"))[0][:50],
                           "address": text(raw.get("address"))[0][:200], "area": text(raw.get("area"))[0][:60],
                           "size": text(raw.get("size"))[0][:20], "risk": risk, "abnormal": bool(abnormal),
                           "last_inspected_on": last})
    report.errors.sort(key=lambda e: e.row)
    if not report.ok:
        return report
    with transaction.atomic():
        report.created = _write_rows(entity, parsed, acting_user)
    return report


def _write_rows(entity, parsed: list[dict], acting_user) -> int:
    existing = {o.key: o for o in RosterObject.objects.filter(entity=entity, key__in=[p["key"] for p in parsed])}
    new = []
    for p in parsed:
        obj = existing.get(p["key"])
        if obj is None:
            new.append(RosterObject(entity=entity, **p))
            continue
        changed = {k: v for k, v in p.items() if getattr(obj, k) != v}
        if changed:
            do_save_object(changed, obj=obj, acting_user=acting_user, reason="Excel导入更新")
    RosterObject.objects.bulk_create(new, batch_size=2000)
    bulk_log_created(new, acting_user=acting_user, reason="Excel导入")
    return len(new)


def roster_template() -> bytes:
    from zhifa.common.xlsx import workbook_bytes

    return workbook_bytes(ROSTER_COLUMNS, [["91520502MA6DL2KX4B", "示例：毕节市某某食品有限公司", "周某",
                                            "七星关区洪山路1号", "市场主体", "食品销售",
                                            "七星关区", "小型", "B", "否", "2025-06-01"]], sheet_title="检查对象名录库")


def _save_snapshot(entity, kind, rows, *, acting_user, field="", on=None) -> RosterSnapshot:
    if not rows:
        raise ActionRefused("roster.empty", "名录库为空，不能生成快照", "rows")
    now = timezone.now()
    snap = RosterSnapshot.objects.create(entity=entity, kind=kind, field=field, taken_at=now,
                                         taken_on=on or timezone.localdate(), taken_by=acting_user,
                                         count=len(rows), root=alg.root(rows), rows=rows)
    step(snap, "inspections.snapshot", acting_user=acting_user, kind=kind, count=snap.count, root=snap.root)
    return snap


@transaction.atomic
def do_snapshot_objects(entity, *, acting_user, industry: str = "", area: str = "") -> RosterSnapshot:
    """An immutable snapshot of the entity's active roster objects (optionally one industry/area)."""
    check_scope_new(acting_user, RosterSnapshot, entity)
    qs = RosterObject.objects.filter(entity=entity, is_active=True)
    if industry:
        qs = qs.filter(industry=industry)
    if area:
        qs = qs.filter(area=area)
    rows = alg.sort_objects(o.leaf() for o in qs.iterator(chunk_size=5000))
    return _save_snapshot(entity, SnapshotKind.OBJECTS, rows, acting_user=acting_user)


def inspector_rows(entity, *, on: dt.date, field: str = "") -> list[dict]:
    """执法检查人员名录库: active officers of the entity with a certificate valid on `on` (for
    `field`, when given), tagged by their certificate's fields and their unit (专长)."""
    certs = (Certificate.objects.filter(officer__entity=entity, officer__status=Officer.Status.ACTIVE,
                                        status=Certificate.Status.VALID, issued_on__lte=on, expires_on__gte=on)
             .select_related("officer__unit").order_by("officer_id", "-expires_on"))
    if field:
        certs = certs.filter(fields__contains=field)
    rows, seen = [], set()
    for c in certs:
        if c.officer_id in seen:
            continue
        seen.add(c.officer_id)
        o = c.officer
        rows.append({"officer": o.pk, "name": o.name, "certificate": c.number, "cert_expires": c.expires_on.isoformat(),
                     "fields": c.fields, "specialty": o.unit.name if o.unit_id else ""})
    return alg.sort_inspectors(rows)


@transaction.atomic
def do_snapshot_inspectors(entity, *, acting_user, field: str = "", on: dt.date | None = None) -> RosterSnapshot:
    check_scope_new(acting_user, RosterSnapshot, entity)
    on = on or timezone.localdate()
    return _save_snapshot(entity, SnapshotKind.INSPECTORS, inspector_rows(entity, on=on, field=field),
                          acting_user=acting_user, field=field, on=on)

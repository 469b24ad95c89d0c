"""Import in the other direction: the 执法主体 / 执法人员 / 执法事项 lists a province publishes, and the 信用风险分类
results of inspection objects. The format (docs/exchange.md) is the provincial table family's own: the same
field codes (ZTBM …) or their Chinese labels as column headers, in a .csv (UTF-8 or GB18030), an .xlsx or a
.json (a list of objects, or {"records": [...]}).

Every row is validated against the field spec (validators for every code) and then applied through the
owning app's actions (orgs, powers) with their own rules, change log and ledger entries. A row whose record
already holds the same values is left alone (idempotent: importing a file twice changes nothing the second
time). All or nothing: with any error nothing is written and every error is reported by row and field, in
Chinese. `preview=True` runs the same import and rolls it back (the staff page's 预览). The import itself is a
ListImport row, change-logged and ledgered ("exchange.list_import").

Named rules: exchange.role, exchange.import_file (the file cannot be read), exchange.import_rows (rows refused)."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.db import transaction

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.identifiers import check_credit_code, check_id_number
from zhifa.common.models import ChangeLog
from zhifa.common.xlsx import MAX_ROWS, MAX_UPLOAD_BYTES, Column, ImportReport, read_table, text
from zhifa.exchange import provincial
from zhifa.exchange.actions.batches import _check_role
from zhifa.exchange.choices import Table
from zhifa.exchange.models import ListImport
from zhifa.ledger import log as ledger

Kind = ListImport.Kind

# kind → the table whose field spec the rows follow, the key fields, and import-only extra fields.
EXTRA: dict[str, dict[str, tuple[str, Callable[[str], str | None]]]] = {
    # 机关代字 is the platform's own (document numbers); a new entity needs it, an update may omit it.
    Kind.ENTITIES: {"JGDZ": ("机关代字", lambda v: None if len(v) <= 20 else "不能超过20个字符")},
    Kind.OFFICERS: {},
    Kind.POWERS: {},
}


def _subject_code(value: str) -> str | None:
    """A credit-risk subject: an organisation's 统一社会信用代码 or a person's 身份证号."""
    reason = check_credit_code(value)
    if reason is None or check_id_number(value) is None:
        return None
    return reason


CREDIT_RISK_SPEC: dict[str, tuple[str, Callable[[str], str | None]]] = {
    "DXBM": ("统一社会信用代码/身份证号", _subject_code),
    "XYFXDJ": ("信用风险等级", lambda v: None),  # checked with the words (高/中高/中/低) below
    "DXMC": ("对象名称", lambda v: None),
}
TABLE: dict[str, str] = {Kind.ENTITIES: Table.SJ_ZFZT, Kind.OFFICERS: Table.SJ_ZFRY, Kind.POWERS: Table.SJ_ZFSX}
# Fields a row may leave out (derived or kept as they are).
OPTIONAL: dict[str, set[str]] = {
    Kind.ENTITIES: {"WTJGBM", "ZFLY", "BGDZ", "LXDH", "ZTZT", "JGDZ"},
    Kind.OFFICERS: {"XB", "SSZTMC", "ZJZT", "RYZT"},
    Kind.POWERS: {"SSZTMC", "JGSXBM", "BBH", "SXRQ"},
    Kind.CREDIT_RISK: {"DXMC"},
}


def spec(kind: str) -> dict[str, tuple[str, Callable[[str], str | None]]]:
    if kind == Kind.CREDIT_RISK:
        return CREDIT_RISK_SPEC
    return {**provincial.SCHEMAS[TABLE[kind]], **EXTRA[kind]}


@dataclass
class RowOutcome:
    row: int
    key: str
    action: str  # 新增 / 更新 / 未变化 / 未匹配
    detail: str = ""


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row, "字段（代码）：原因")
    record: ListImport | None = None
    preview: bool = False

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- reading the file --------------------------------------------------------------------------------

def _refuse_file(message: str) -> NoReturn:
    raise ActionRefused("exchange.import_file", f"导入文件：{message}", "file")


def read_rows(data: bytes, filename: str, kind: str) -> list[tuple[int, dict[str, str]]]:
    """[(row number as the file shows it, {field code: text})]. Headers may be the codes or the labels."""
    fields = spec(kind)
    if len(data) > MAX_UPLOAD_BYTES:
        _refuse_file(f"文件过大（上限{MAX_UPLOAD_BYTES // (1024 * 1024)}MB），请拆分后分批导入")
    if not data.strip():
        _refuse_file("文件是空的")
    names = {code: code for code in fields} | {label: code for code, (label, _c) in fields.items()}
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx" or data[:2] == b"PK":
        columns = [Column(label, code, required=code not in OPTIONAL[kind], aliases=(code,))
                   for code, (label, _c) in fields.items()]
        report = ImportReport()
        table = read_table(io.BytesIO(data), columns, report)
        if table is None:
            _refuse_file("；".join(f"第{e.row}行{e.column}：{e.message}" if e.row else e.message
                                   for e in report.errors[:5]))
        assert table is not None
        return [(n, {k: text(v)[0] for k, v in raw.items()}) for n, raw in table]
    if suffix == "json" or data.lstrip()[:1] in (b"[", b"{"):
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            _refuse_file("不是有效的JSON（UTF-8）")
        items = doc.get("records") if isinstance(doc, dict) else doc
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            _refuse_file("JSON应为对象列表，或含 records 列表的对象")
        assert isinstance(items, list)
        raw_rows = [(n, {str(k): v for k, v in item.items()}) for n, item in enumerate(items, 1)]
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                decoded = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            _refuse_file("CSV文件应为UTF-8或GB18030编码")
        reader = csv.DictReader(io.StringIO(decoded))
        raw_rows = [(n, {str(k or "").strip(): v for k, v in item.items()}) for n, item in enumerate(reader, 2)]
        headers = {str(h or "").strip() for h in (reader.fieldnames or [])}
        missing = [f"{label}（{code}）" for code, (label, _c) in fields.items()
                   if code not in OPTIONAL[kind] and code not in headers and label not in headers]
        if missing:
            _refuse_file(f"缺少列：{'、'.join(missing)}（表头用字段代码或中文名称）")
    if len(raw_rows) > MAX_ROWS:
        _refuse_file(f"数据超过{MAX_ROWS}行，请拆分为多个文件分批导入")
    out = []
    for n, raw in raw_rows:
        row = {names[k]: text(v)[0] for k, v in raw.items() if k in names}
        if any(row.values()):
            out.append((n, row))
    if not out:
        _refuse_file("没有数据行")
    return out


def check_row(kind: str, row: dict[str, str]) -> list[str]:
    """The field spec's checks (and the table's cross-field checks) on one row; each reason names its field."""
    reasons = []
    for code, (label, check) in spec(kind).items():
        value = row.get(code, "")
        if code in OPTIONAL[kind] and not value:
            continue
        if (reason := check(value)) is not None:
            reasons.append(f"{label}（{code}）：{reason}")
    if kind in TABLE and not reasons:
        reasons += provincial.cross(TABLE[kind], row, None)
    return reasons


# ---- applying one row ----------------------------------------------------------------------------------

def _label(model, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _changed(obj, data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if getattr(obj, k) != v}


def _entity_by_code(code: str, label: str):
    from zhifa.orgs.models import Entity

    entity = Entity.objects.filter(credit_code=code).first()
    if entity is None:
        raise ActionRefused("exchange.import_rows", f"{label}：系统中没有统一社会信用代码为{code}的执法主体")
    return entity


def _apply_entity(row: dict[str, str], *, acting_user) -> tuple[str, str]:
    from zhifa.orgs import actions as orgs
    from zhifa.orgs.models import Entity, Region

    region = Region.objects.filter(code=row["XZQHDM"]).first()
    if region is None:
        raise ActionRefused("exchange.import_rows", f"行政区划代码（XZQHDM）：系统中没有区划{row['XZQHDM']}")
    kinds = {v: k for k, v in provincial.ENTITY_KIND.items()}
    data: dict[str, Any] = {
        "name": row["ZTMC"], "kind": kinds[row["ZTLB"]], "region": region,
        "entrusted_by": _entity_by_code(row["WTJGBM"], "委托机关统一社会信用代码（WTJGBM）") if row.get("WTJGBM") else None,
    }
    for code, name in (("ZFLY", "fields"), ("BGDZ", "address"), ("LXDH", "phone"), ("JGDZ", "short_code")):
        if row.get(code):
            data[name] = row[code]
    if row.get("ZTZT"):
        data["is_active"] = row["ZTZT"] == "1"
    entity = Entity.objects.filter(credit_code=row["ZTBM"]).first()
    if entity is not None and (entity.region.code or "")[:6] == row["XZQHDM"]:
        data["region"] = entity.region  # a 乡镇 entity: the list's 6-digit code is its county's
    if entity is None:
        if not data.get("short_code"):
            raise ActionRefused("exchange.import_rows", "机关代字（JGDZ）：新增执法主体时必填")
        orgs.do_create_entity({**data, "credit_code": row["ZTBM"]}, acting_user=acting_user)
        return "新增", row["ZTMC"]
    changes = _changed(entity, data)
    if not changes:
        return "未变化", entity.name
    orgs.do_update_entity(entity, changes, acting_user=acting_user, reason="导入省级执法主体清单")
    return "更新", "、".join(_label(Entity, k) for k in changes)


def _apply_officer(row: dict[str, str], *, acting_user) -> tuple[str, str]:
    from zhifa.common.fields import match
    from zhifa.orgs import actions as orgs
    from zhifa.orgs.models import Certificate, Officer

    entity = _entity_by_code(row["SSZTBM"], "所属执法主体统一社会信用代码（SSZTBM）")
    idn = row["SFZH"].upper()
    genders = {v: k for k, v in provincial.GENDER.items()}
    data: dict[str, Any] = {"name": row["XM"], "entity": entity,
                            "gender": genders.get(row.get("XB", "")) or ("M" if int(idn[16]) % 2 else "F")}
    if row.get("RYZT"):
        data["status"] = {v: k for k, v in provincial.OFFICER_STATE.items()}[row["RYZT"]]
    issued, expires = dt.date.fromisoformat(row["FZRQ"]), dt.date.fromisoformat(row["YXQZ"])
    cert_data: dict[str, Any] = {"fields": row["ZFLY"], "issuing_authority": row["FZJG"], "issued_on": issued,
                                 "expires_on": expires}
    if row.get("ZJZT"):
        cert_data["status"] = {v: k for k, v in provincial.CERT_STATE.items()}[row["ZJZT"]]
    officer = Officer.objects.filter(match(Officer, "id_number", idn)).first()
    cert = Certificate.objects.filter(number=row["ZFZH"]).select_related("officer").first()
    if cert is not None and officer is not None and cert.officer_id != officer.pk:
        raise ActionRefused("exchange.import_rows", f"执法证号（ZFZH）：{row['ZFZH']}已属于其他执法人员")
    if cert is not None and officer is None:
        raise ActionRefused("exchange.import_rows", f"执法证号（ZFZH）：{row['ZFZH']}已属于其他执法人员（身份证号不同）")
    action, what = "未变化", []
    if officer is None:
        officer = orgs.do_create_officer({**data, "id_number": idn}, acting_user=acting_user)
        action = "新增"
    else:
        if officer.unit is not None and officer.unit.entity_id != entity.pk:
            data["unit"] = None  # moved to another entity: its unit stays behind
        changes = _changed(officer, data)
        if changes:
            orgs.do_update_officer(officer, changes, acting_user=acting_user, reason="导入省级执法人员清单")
            action, what = "更新", [_label(Officer, k) for k in changes]
    if cert is None:
        orgs.do_issue_certificate({**cert_data, "officer": officer, "number": row["ZFZH"]}, acting_user=acting_user)
        if action == "未变化":
            action, what = "更新", ["执法证"]
    else:
        changes = _changed(cert, cert_data)
        if changes:
            orgs.do_update_certificate(cert, changes, acting_user=acting_user, reason="导入省级执法人员清单")
            if action == "未变化":
                action = "更新"
            what += [_label(Certificate, k) for k in changes]
    return action, "、".join(what) or row["XM"]


def _apply_power(row: dict[str, str], *, acting_user) -> tuple[str, str]:
    from zhifa.powers import actions as powers
    from zhifa.powers.models import PowerItem

    entity = _entity_by_code(row["SSZTBM"], "实施主体统一社会信用代码（SSZTBM）")
    categories = {v: k for k, v in provincial.POWER_CATEGORY.items()}
    if len(row["SDYJ"]) > 200:
        raise ActionRefused("exchange.import_rows", "设定依据（SDYJ）：不能超过200个字符")
    data: dict[str, Any] = {"name": row["SXMC"], "category": categories[row["QLLB"]], "law": row["SDYJ"]}
    if row.get("JGSXBM"):
        data["supervision_code"] = row["JGSXBM"]
    item = PowerItem.objects.filter(entity=entity, code=row["SXBM"], is_head=True).first()
    if item is None:
        extra = {"effective_from": dt.date.fromisoformat(row["SXRQ"])} if row.get("SXRQ") else {}
        powers.do_create_versioned(PowerItem, {**data, **extra, "entity": entity, "code": row["SXBM"]},
                                   acting_user=acting_user)
        return "新增", f"{row['SXMC']}（草稿，待司法局确认）"
    current = {**{k: getattr(item, k) for k in data}, "law": f"{item.law}{item.article}"}
    if all(current[k] == v for k, v in data.items()):
        return "未变化", item.name
    if item.article and data["law"] == f"{item.law}{item.article}":
        data.pop("law")
    elif item.article:
        data["article"] = ""
    powers.do_update_versioned(item, data, acting_user=acting_user, reason="导入省级执法事项清单")
    return "更新", f"{row['SXMC']}（新版本待司法局确认）" if not item.is_editable else row["SXMC"]


def _apply_risk(row: dict[str, str], *, acting_user, filename: str) -> tuple[str, str]:
    from zhifa.inspections.choices import RISK_WORDS
    from zhifa.inspections.models import RosterObject

    risk = RISK_WORDS.get(row["XYFXDJ"].strip().upper())
    if risk is None:
        raise ActionRefused("exchange.import_rows", "信用风险等级（XYFXDJ）：应为A、B、C、D或低、中、中高、高")
    key = row["DXBM"].strip().upper()
    objects = list(RosterObject.objects.restrict(acting_user, "view").select_for_update()
                   .filter(key=key, is_active=True).order_by("id")) if acting_user else list(
        RosterObject.objects.select_for_update().filter(key=key, is_active=True).order_by("id"))
    if not objects:
        return "未匹配", "名录库中没有该对象"
    changed = 0
    for obj in objects:
        if obj.risk == risk:
            continue
        before = snapshot(obj)
        obj.risk, obj.version = risk, obj.version + 1
        obj.save(update_fields=["risk", "version"])
        log_change(obj, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(obj),
                   reason=f"导入信用风险分类结果（{filename}）")
        changed += 1
    if not changed:
        return "未变化", f"{len(objects)}个名录库"
    return "更新", f"{changed}个名录库改为{risk}类"


APPLY: dict[str, Callable[..., tuple[str, str]]] = {
    Kind.ENTITIES: _apply_entity, Kind.OFFICERS: _apply_officer, Kind.POWERS: _apply_power}


class _Rollback(Exception):
    pass


def do_import_list(kind: str, data: bytes, filename: str, *, acting_user, preview: bool = False) -> ImportResult:
    """Import a province's list of `kind` (entities, officers, powers, credit_risk). Refuses with
    exchange.import_file when the file cannot be read; otherwise returns the result (errors → nothing written)."""
    _check_role(acting_user)
    if kind not in Kind.values:
        raise ActionRefused("exchange.import_kind", f"清单类别“{kind}”无效（应为{'、'.join(Kind.values)}之一）", "kind")
    rows = read_rows(data, filename, kind)
    result = ImportResult(kind=kind, rows=len(rows), preview=preview)
    checked = [(n, row, check_row(kind, row)) for n, row in rows]
    for n, _row, reasons in checked:
        result.errors += [(n, r) for r in reasons]
    key = "DXBM" if kind == Kind.CREDIT_RISK else next(iter(spec(kind)))
    seen: dict[tuple[str, ...], int] = {}
    for n, row, _r in checked:
        ident = (row.get(key, "").upper(), row.get("SSZTBM", "")) if kind == Kind.POWERS else (row.get(key, "").upper(),)
        if ident in seen:
            result.errors.append((n, f"{spec(kind)[key][0]}（{key}）：与第{seen[ident]}行重复"))
        seen.setdefault(ident, n)
    # Rows whose fields pass go on to the database's checks, so that one pass reports every problem.
    failed = {n for n, _m in result.errors}
    checked = [c for c in checked if c[0] not in failed]
    if kind == Kind.ENTITIES:  # an entrusting body first, so that its entrusted ones can name it
        checked.sort(key=lambda r: (r[1].get("ZTLB") == "3", r[0]))
    try:
        with transaction.atomic(), ledger.batched():
            for n, row, _r in checked:
                try:
                    with transaction.atomic():
                        if kind == Kind.CREDIT_RISK:
                            action, detail = _apply_risk(row, acting_user=acting_user, filename=filename)
                        else:
                            action, detail = APPLY[kind](row, acting_user=acting_user)
                except ActionRefused as e:
                    result.errors.append((n, e.message))
                    continue
                result.outcomes.append(RowOutcome(n, row.get(key, ""), action, detail))
            result.outcomes.sort(key=lambda o: o.row)
            if result.errors or preview:
                raise _Rollback
            result.record = _record(kind, data, filename, result, acting_user)
    except _Rollback:
        result.errors.sort()
    return result


def _record(kind: str, data: bytes, filename: str, result: ImportResult, acting_user) -> ListImport:
    record = ListImport.objects.create(
        kind=kind, filename=filename[:200], sha256=hashlib.sha256(data).hexdigest(), rows=result.rows,
        created=result.count("新增"), updated=result.count("更新"), unchanged=result.count("未变化"),
        skipped=result.count("未匹配"), imported_by=acting_user if acting_user and acting_user.pk else None)
    ledger.append("exchange.list_import", subject=record, actor=acting_user, data={
        "kind": kind, "sha256": record.sha256, "rows": record.rows, "created": record.created,
        "updated": record.updated, "unchanged": record.unchanged, "skipped": record.skipped})
    log_change(record, ChangeLog.Action.IMPORT, acting_user=acting_user, after=snapshot(record),
               reason=f"导入{record.get_kind_display()}（{filename}）")
    return record

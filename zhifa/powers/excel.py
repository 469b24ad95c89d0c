"""Excel export and import of 权责清单事项 (power-list items).

Export: the head version of each item in the user's scope, honouring the list filters.
Import: all-or-nothing like the officer import; new items become version-1 DRAFTS (to be
submitted to the same-level justice bureau), via `do_bulk_create_versioned`, which writes one
ChangeLog row per item. 版本 and 状态 columns are export-only and ignored on import.
"""
from __future__ import annotations

from collections.abc import Iterator

from zhifa.common.scope import rule_for
from zhifa.common.xlsx import (
    FILE_ROW,
    Column,
    ImportReport,
    RowReader,
    label_map,
    parse_choice,
    read_table,
    template_notes,
    workbook_bytes,
)
from zhifa.orgs.excel import DB_CHUNK, OwnerResolver, finish_import, report_duplicates
from zhifa.powers.models import PowerItem, VersionStatus

_CATEGORIES = "、".join(str(label) for _, label in PowerItem.Category.choices)

POWER_ITEM_COLUMNS = [
    Column("实施主体", "entity", 30, required=False, aliases=("执法主体",),
           help="可选列；填主体全称，留空为您所在的执法主体；须在您的管理范围内"),
    Column("事项编码", "code", 18, help="必填；同一主体内不得重复"),
    Column("事项名称", "name", 36, help="必填"),
    Column("权力类别", "category", 12, help=f"必填：{_CATEGORIES}"),
    Column("依据法律法规", "law", 30, help="必填，如“中华人民共和国食品安全法”"),
    Column("条款", "article", 18, help="可留空，如“第一百二十二条第一款”"),
    Column("依据条文内容", "basis_text", 40, required=False, help="可选列"),
    Column("责任事项", "duties", 36, help="可留空"),
    Column("追责情形", "accountability", 36, help="可留空"),
    Column("承办机构", "unit", 16, aliases=("内设机构",), help="可留空；须为该主体已有的内设机构名称"),
    Column("版本", "version", 6, required=False, help="仅导出用，导入时忽略（新事项为第1版）"),
    Column("状态", "status", 14, required=False, help="仅导出用，导入时忽略（新事项为草稿）"),
]
POWER_ITEM_HEADERS = [c.header for c in POWER_ITEM_COLUMNS]
HEADERS = {c.key: c.header for c in POWER_ITEM_COLUMNS}
EXAMPLE_CODE = "示例-0001"
TEMPLATE_REMARKS = [
    "第1行为表头，请勿修改；第2行是示例，导入前请删除。",
    "导入只新增事项，导入后为草稿，须提交同级司法行政机关确认后才公布。",
    "本主体已有的事项编码不能再导入（修改已有事项请在系统中编辑）。",
    "任何一行有错误时整个文件都不会导入，请按错误清单修改后重新上传。",
    "单个文件最多 20000 行。",
]


def power_item_rows(qs, user) -> Iterator[list]:
    """Export rows for an (already restricted and filtered) power-item queryset."""
    category, status = label_map(PowerItem.Category.choices), label_map(VersionStatus.choices)
    seen: set[int] = set()
    for r in qs.values("pk", "entity__name", "code", "name", "category", "law", "article", "basis_text",
                       "duties", "accountability", "unit__name", "version", "status").iterator(chunk_size=2000):
        if r["pk"] in seen:
            continue
        seen.add(r["pk"])
        yield [r["entity__name"], r["code"], r["name"], category.get(r["category"], r["category"]), r["law"],
               r["article"], r["basis_text"], r["duties"], r["accountability"], r["unit__name"] or "",
               r["version"], status.get(r["status"], r["status"])]


def power_item_template(user=None) -> bytes:
    entity = getattr(user, "entity", None)
    example = [entity.name if entity else "某某市场监督管理局", EXAMPLE_CODE,
               "对生产经营不符合食品安全标准的食品的行政处罚", "行政处罚", "中华人民共和国食品安全法",
               "第一百二十四条第一款", "", "立案、调查、审查、告知、决定、送达、执行",
               "不履行或不正确履行职责的，依法追究责任", "执法稽查大队", "", ""]
    return workbook_bytes(POWER_ITEM_COLUMNS, [example], "权责清单",
                          notes=template_notes(POWER_ITEM_COLUMNS, TEMPLATE_REMARKS))


def import_power_items(file_obj, *, acting_user) -> ImportReport:
    """Import new power-list items as drafts. All or nothing; see the module docstring."""
    report = ImportReport()
    if rule_for(PowerItem, acting_user, "change") is None:
        report.add(FILE_ROW, "", "您没有导入权责清单的权限")
        return report
    rows = read_table(file_obj, POWER_ITEM_COLUMNS, report)
    if rows is None:
        return report
    owners = OwnerResolver(PowerItem, acting_user, rows, entity_header=HEADERS["entity"], unit_header=HEADERS["unit"],
                           noun="权责事项")
    maxlen = {k: PowerItem._meta.get_field(k).max_length for k in ("code", "name", "law", "article")}
    items, codes = [], []  # codes: (row, (entity_id, code))
    for n, raw in rows:
        problems: list[tuple[str, str]] = []

        txt = RowReader(raw, problems, HEADERS, maxlen).txt
        entity, unit = owners.resolve(raw, problems)
        code = txt("code", True)
        if code == EXAMPLE_CODE:
            problems.append((HEADERS["code"], "这是模板中的示例行，请删除后再导入"))
        name = txt("name", True)
        category, reason = parse_choice(raw.get("category"), PowerItem.Category.choices)
        if reason:
            problems.append((HEADERS["category"], reason))
        elif not category:
            problems.append((HEADERS["category"], "必填"))
        law = txt("law", True)
        data = dict(article=txt("article"), basis_text=txt("basis_text"), duties=txt("duties"),
                    accountability=txt("accountability"))
        if code and entity is not None:
            codes.append((n, (entity.pk, code)))
        for column, reason in problems:
            report.add(n, column, reason)
        if not problems:
            items.append(PowerItem(entity=entity, unit=unit, code=code, name=name, category=category, law=law,
                                   status=VersionStatus.DRAFT, **data))

    report_duplicates(codes, HEADERS["code"], "事项编码（同一实施主体）", report)
    taken = _existing_codes(sorted({v for _, v in codes}))
    for n, v in codes:
        if v in taken:
            report.add(n, HEADERS["code"], "该实施主体已有此事项编码（导入只用于新增事项，请删除此行或改在系统中修改）")
    return finish_import(report, lambda: _create(items, acting_user))


def _existing_codes(pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    entity_ids = sorted({e for e, _ in pairs})
    codes = sorted({c for _, c in pairs})
    found = set()
    for i in range(0, len(codes), DB_CHUNK):
        found.update(PowerItem.objects.filter(is_head=True, entity_id__in=entity_ids,
                                              code__in=codes[i:i + DB_CHUNK]).values_list("entity_id", "code"))
    return found & set(pairs)


def _create(items, acting_user):
    from zhifa.powers.actions import do_bulk_create_versioned

    return do_bulk_create_versioned(PowerItem, items, acting_user=acting_user, reason="Excel导入")


def _spec():
    from zhifa.common.excel_views import ExcelSpec

    return ExcelSpec("权责清单", POWER_ITEM_COLUMNS, power_item_rows, import_power_items, power_item_template,
                     notes=TEMPLATE_REMARKS[1:3])


POWER_ITEM_EXCEL = _spec()

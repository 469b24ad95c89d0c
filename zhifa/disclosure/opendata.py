"""开放数据: every public dataset as bulk CSV / JSON with a data dictionary.

One table, DATASETS, says for each dataset which rows are public (always the same queries as the
public pages: decisions come from public.published(), so withdrawn and expired entries never
appear) and which fields go out, with a Chinese description and a type. The downloads, the
dictionary page (/gs/data/), the machine-readable dictionary (/gs/data/dictionary.json) and the
public API's list endpoints all read this table, so a field cannot be exported without being
documented. Rows are streamed from a server-side cursor, so memory stays flat however many rows.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from zhifa.common import exports
from zhifa.common.models import ChangeLog
from zhifa.disclosure import public
from zhifa.orgs.models import Certificate, Entity
from zhifa.powers import models as power_models

LICENCE = ("本平台开放数据可免费获取、复制、传播和用于商业或非商业用途，使用时须注明来源“行政执法公示平台”，"
           "不得歪曲、篡改数据原意；数据以平台实时公示内容为准。")
CHUNK = 1000
BASE = "/gs"


def licence() -> str:
    return getattr(settings, "ZHIFA_OPEN_DATA_LICENCE", LICENCE)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str  # integer | string | text | date | decimal | uuid | url | json


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple[Field, ...]
    queryset: Callable
    row: Callable  # (obj, base_url) -> dict with exactly the field keys
    model_label: str

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]


def _d(value):
    return value.isoformat() if value else None


def _dec(value):
    return str(value) if value is not None else None


# ---- decisions --------------------------------------------------------------------------------
DECISION_FIELDS = (
    Field("id", "公示编号（稳定标识）", "integer"), Field("url", "公示页面地址（稳定链接）", "url"),
    Field("title", "公示标题", "string"), Field("entity", "执法主体", "string"),
    Field("entity_id", "执法主体编号", "integer"), Field("region", "所在区划", "string"),
    Field("kind", "决定类别", "string"), Field("category", "执法领域", "string"),
    Field("decision_number", "决定书文号", "string"), Field("target", "行政相对人（已脱敏）", "string"),
    Field("decided_on", "决定日期", "date"), Field("published_on", "公示日期", "date"),
    Field("fine_amount", "罚款金额（元）", "decimal"), Field("confiscation", "没收种类", "string"),
    Field("confiscation_amount", "没收金额（元）", "decimal"), Field("body", "公示正文（已脱敏）", "text"),
    Field("ledger_seq", "防篡改日志序号", "integer"),
)


def _decision_row(pub, base):
    d = public.decision_dict(pub)
    return {"id": d.pop("id"), "url": f"{base}{BASE}/results/{pub.pk}/", **d}


def _decisions():
    return public.published().order_by("id")


# ---- entities, officers ------------------------------------------------------------------------
def _entities():
    return Entity.objects.filter(is_active=True).select_related("region").order_by("id")


def _entity_row(e, base):
    return {"id": e.pk, "name": e.name, "kind": e.get_kind_display(), "credit_code": e.credit_code,
            "region_code": e.region.code, "region": e.region.name, "fields": e.fields, "address": e.address,
            "phone": e.phone, "supervision_channel": e.supervision_channel, "remedy_channel": e.remedy_channel}


def _certificates():
    today = timezone.localdate()
    return (Certificate.objects.filter(status="valid", issued_on__lte=today, expires_on__gte=today)
            .select_related("officer", "officer__entity").order_by("id"))


def _certificate_row(c, base):
    return {"number": c.number, "url": f"{base}{BASE}/cert/{c.number}/", "name": c.officer.name,
            "entity": c.officer.entity.name, "entity_id": c.officer.entity_id, "fields": c.fields,
            "issuing_authority": c.issuing_authority, "issued_on": _d(c.issued_on), "expires_on": _d(c.expires_on),
            "status": c.get_status_display()}


# ---- powers lists --------------------------------------------------------------------------------
def _published(model_name):
    def qs():
        return getattr(power_models, model_name).objects.published().select_related("entity").order_by("id")
    return qs


def _common(o):
    return {"lineage": str(o.lineage), "version": o.version, "entity": o.entity.name, "entity_id": o.entity_id,
            "effective_from": _d(o.effective_from)}


def _power_row(o, base):
    return {**_common(o), "code": o.code, "name": o.name, "category": o.get_category_display(), "law": o.law,
            "article": o.article, "basis_text": o.basis_text, "duties": o.duties, "accountability": o.accountability}


def _inspection_row(o, base):
    return {**_common(o), "code": o.code, "name": o.name, "kind": o.get_kind_display(),
            "power_item_code": o.power_item_code, "ratio": _dec(o.ratio), "frequency": o.frequency,
            "targets": o.targets, "method": o.method, "law": o.law}


def _guide_row(o, base):
    return {**_common(o), "power_item_code": o.power_item_code, "title": o.title, "basis": o.basis,
            "accepting_unit": o.accepting_unit, "approving_unit": o.approving_unit, "materials": o.materials,
            "steps": o.steps, "time_limit": o.time_limit, "office_hours": o.office_hours, "address": o.address,
            "phone": o.phone, "fee": o.fee}


def _flowchart_row(o, base):
    steps = [s.get("label", "") if isinstance(s, dict) else str(s) for s in (o.steps or [])]
    return {**_common(o), "title": o.title, "power_category": o.get_power_category_display(), "steps": steps}


VERSIONED = (Field("lineage", "事项标识（各版本不变的稳定标识）", "uuid"), Field("version", "版本号", "integer"),
             Field("entity", "实施主体", "string"), Field("entity_id", "实施主体编号", "integer"),
             Field("effective_from", "生效日期", "date"))

DATASETS: dict[str, Dataset] = {d.slug: d for d in (
    Dataset("decisions", "执法结果（行政执法决定）",
            "已公示且在公示期内的行政执法决定，已按规定脱敏；撤下或公示期满、信用修复后停止公示的不含在内。",
            DECISION_FIELDS, _decisions, _decision_row, "disclosure.publication"),
    Dataset("entities", "执法部门（执法主体）", "有效的行政执法主体及其监督、救济渠道。", (
        Field("id", "执法主体编号（稳定标识）", "integer"), Field("name", "主体全称", "string"),
        Field("kind", "主体类别", "string"), Field("credit_code", "统一社会信用代码", "string"),
        Field("region_code", "区划代码（GB/T 2260）", "string"), Field("region", "所在区划", "string"),
        Field("fields", "执法领域", "string"), Field("address", "办公地址", "string"),
        Field("phone", "联系电话", "string"), Field("supervision_channel", "监督渠道", "string"),
        Field("remedy_channel", "救济渠道", "string")), _entities, _entity_row, "orgs.entity"),
    Dataset("officers", "执法人员（有效执法证件）", "今日有效的行政执法证件及其公开信息（亮证信息）。", (
        Field("number", "执法证号（稳定标识）", "string"), Field("url", "亮证查询地址", "url"),
        Field("name", "姓名", "string"), Field("entity", "执法主体", "string"),
        Field("entity_id", "执法主体编号", "integer"), Field("fields", "执法领域", "string"),
        Field("issuing_authority", "发证机关", "string"), Field("issued_on", "发证日期", "date"),
        Field("expires_on", "有效期至", "date"), Field("status", "证件状态", "string")),
        _certificates, _certificate_row, "orgs.certificate"),
    Dataset("power-items", "权责清单事项", "经同级司法行政机关确认并发布的现行权责清单事项。", VERSIONED + (
        Field("code", "事项编码", "string"), Field("name", "事项名称", "string"), Field("category", "权力类别", "string"),
        Field("law", "依据法律法规", "string"), Field("article", "条款", "string"),
        Field("basis_text", "依据条文内容", "text"), Field("duties", "责任事项", "text"),
        Field("accountability", "追责情形", "text")), _published("PowerItem"), _power_row, "powers.poweritem"),
    Dataset("inspection-items", "随机抽查事项", "现行随机抽查事项清单。", VERSIONED + (
        Field("code", "抽查事项编码", "string"), Field("name", "抽查事项名称", "string"),
        Field("kind", "事项类别", "string"), Field("power_item_code", "对应权责事项编码", "string"),
        Field("ratio", "抽查比例（%）", "decimal"), Field("frequency", "抽查频次", "string"),
        Field("targets", "检查对象", "string"), Field("method", "检查方式", "string"),
        Field("law", "检查依据", "string")), _published("InspectionItem"), _inspection_row, "powers.inspectionitem"),
    Dataset("service-guides", "服务指南", "现行行政许可等事项的服务指南。", VERSIONED + (
        Field("power_item_code", "事项编码", "string"), Field("title", "事项名称", "string"),
        Field("basis", "设定依据", "text"), Field("accepting_unit", "受理机构", "string"),
        Field("approving_unit", "决定机构", "string"), Field("materials", "申请材料（每行一项）", "text"),
        Field("steps", "办理流程（每行一步）", "text"), Field("time_limit", "办理时限", "string"),
        Field("office_hours", "办公时间", "string"), Field("address", "办理地点", "string"),
        Field("phone", "咨询电话", "string"), Field("fee", "收费标准", "string")),
        _published("ServiceGuide"), _guide_row, "powers.serviceguide"),
    Dataset("flowcharts", "执法流程图", "现行行政执法流程图的步骤。", VERSIONED + (
        Field("title", "流程名称", "string"), Field("power_category", "适用权力类别", "string"),
        Field("steps", "流程步骤（CSV中以“ → ”连接）", "json")), _published("Flowchart"), _flowchart_row,
        "powers.flowchart"),
)}


# ---- output --------------------------------------------------------------------------------------
def rows(ds: Dataset, base: str = "") -> Iterator[dict]:
    for obj in ds.queryset().iterator(chunk_size=CHUNK):
        yield ds.row(obj, base)


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = " → ".join(str(v) for v in value)
    return exports.cell(value)  # a public download: names must not open as live formulas


def csv_stream(ds: Dataset, base: str = "") -> Iterator[str]:
    """UTF-8 with BOM (Excel opens Chinese text correctly); header row of field keys."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(ds.keys)
    buf = []
    for r in rows(ds, base):
        buf.append(writer.writerow([_cell(r[k]) for k in ds.keys]))
        if len(buf) >= 200:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)


def json_stream(ds: Dataset, base: str = "") -> Iterator[str]:
    """A JSON array, one object per row, written piece by piece."""
    yield "[\n"
    first, buf = True, []
    for r in rows(ds, base):
        buf.append(("" if first else ",\n") + json.dumps(r, ensure_ascii=False))
        first = False
        if len(buf) >= 200:
            yield "".join(buf)
            buf = []
    yield "".join(buf) + "\n]\n"


def last_updated(ds: Dataset) -> dt.datetime | None:
    """The latest recorded change of the dataset's rows (change log; publications also by date)."""
    ct = ContentType.objects.get_for_model(apps.get_model(ds.model_label))
    return ChangeLog.objects.filter(content_type=ct).order_by("-time").values_list("time", flat=True).first()


def dictionary(base: str = "") -> dict:
    """The machine-readable data dictionary (/gs/data/dictionary.json)."""
    out = []
    for ds in DATASETS.values():
        updated = last_updated(ds)
        out.append({"name": ds.slug, "title": ds.title, "description": ds.description,
                    "download_csv": f"{base}{BASE}/data/{ds.slug}.csv",
                    "download_json": f"{base}{BASE}/data/{ds.slug}.json",
                    "api": f"{base}/api/v1/public/data/{ds.slug}",
                    "updated": timezone.localtime(updated).isoformat() if updated else None,
                    "update_frequency": "实时（每次下载时从平台公示内容生成）",
                    "fields": [{"name": f.key, "description": f.label, "type": f.type} for f in ds.fields]})
    return {"publisher": "行政执法公示平台", "licence": licence(), "encoding": "UTF-8",
            "generated_at": timezone.localtime().isoformat(), "datasets": out}

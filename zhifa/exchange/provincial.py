"""The provincial platform's table family (省级行政执法综合管理监督信息系统): 执法主体, 执法人员, 执法事项,
检查对象, 行政处罚, 行政强制, 行政检查. Same three steps as the national records (records.py): `*_facts(obj)`
reads a row of the platform into plain values, `*_record(facts)` writes the table's record from them (pure:
tests/exchange/golden/sj_*.json pin them), and SCHEMAS is the field spec every record is validated against
before it may leave (validators.validate). docs/exchange.md lists the fields.

Subjects (Row.key): "entity:<pk>", "officer:<pk>", "power:<lineage>" (a new version of an item is an update of
the same record), "object:<pk>", "case:<pk>", "seizure:<pk>"."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from zhifa.common.identifiers import check_credit_code, check_id_number, check_phone
from zhifa.exchange.choices import INSPECTION_RESULT, PARTY_CATEGORY, Table
from zhifa.exchange.records import _yuan, penalty_codes, region6
from zhifa.exchange.validators import (
    _date,
    _money,
    _one_of,
    _optional,
    _penalty_codes,
    _text,
    _whole,
    check_catalogue_code,
    check_certificate_number,
    check_party_code,
    check_power_code,
    check_region6,
)

Check = Callable[[str], "str | None"]

# Code lists of the provincial tables.
ENTITY_KIND = {"statutory": "1", "authorised": "2", "entrusted": "3"}
ENTITY_STATE = {True: "1", False: "0"}  # 1 有效, 0 已撤销
GENDER = {"M": "1", "F": "2"}
CERT_STATE = {"valid": "1", "suspended": "2", "revoked": "3"}
OFFICER_STATE = {"active": "1", "suspended": "2", "left": "3"}
POWER_CATEGORY = {"licensing": "01", "penalty": "02", "coercion": "03", "inspection": "04", "levy": "05",
                  "payment": "06", "confirmation": "07", "reward": "08", "adjudication": "09", "other": "10",
                  "supervision": "11"}
OBJECT_KEY_KIND = {"credit_code": "1", "id_number": "2", "other": "3"}
OBJECT_KIND = {"market": "1", "product": "2", "project": "3", "site": "4", "other": "5"}
MEASURE = {"seal": "1", "seize": "2"}
RISK_LEVELS = {"A", "B", "C", "D"}

_party: dict[str, tuple[str, Check]] = {
    "XDRLB": ("行政相对人类别", _one_of({"1", "2"}, "行政相对人类别")),
    "XDRMC": ("行政相对人名称", _text(200)),
    "XDRBM": ("行政相对人编码", _text(18)),
}
_body: dict[str, tuple[str, Check]] = {
    "ZTBM": ("执法主体统一社会信用代码", check_credit_code),
    "ZTMC": ("执法主体名称", _text(120)),
    "XZQHDM": ("行政区划代码", check_region6),
}

SCHEMAS: dict[str, dict[str, tuple[str, Check]]] = {
    Table.SJ_ZFZT: {
        "ZTBM": ("统一社会信用代码", check_credit_code),
        "ZTMC": ("主体名称", _text(120)),
        "ZTLB": ("主体类别", _one_of(set(ENTITY_KIND.values()), "主体类别")),
        "WTJGBM": ("委托机关统一社会信用代码", _optional(check_credit_code)),
        "XZQHDM": ("行政区划代码", check_region6),
        "ZFLY": ("执法领域", _optional(_text(300))),
        "BGDZ": ("办公地址", _optional(_text(200))),
        "LXDH": ("联系电话", _optional(check_phone)),
        "ZTZT": ("主体状态", _one_of(set(ENTITY_STATE.values()), "主体状态")),
    },
    Table.SJ_ZFRY: {
        "ZFZH": ("执法证号", check_certificate_number),
        "XM": ("姓名", _text(50)),
        "SFZH": ("身份证号", lambda v: check_id_number(v)),
        "XB": ("性别", _one_of(set(GENDER.values()), "性别")),
        "SSZTBM": ("所属执法主体统一社会信用代码", check_credit_code),
        "SSZTMC": ("所属执法主体名称", _text(120)),
        "ZFLY": ("执法领域", _text(200)),
        "FZJG": ("发证机关", _text(100)),
        "FZRQ": ("发证日期", _date),
        "YXQZ": ("有效期至", _date),
        "ZJZT": ("证件状态", _one_of(set(CERT_STATE.values()), "证件状态")),
        "RYZT": ("人员状态", _one_of(set(OFFICER_STATE.values()), "人员状态")),
    },
    Table.SJ_ZFSX: {
        "SXBM": ("事项编码", check_power_code),
        "SXMC": ("事项名称", _text(300)),
        "QLLB": ("权力类别", _one_of(set(POWER_CATEGORY.values()), "权力类别")),
        "SSZTBM": ("实施主体统一社会信用代码", check_credit_code),
        "SSZTMC": ("实施主体名称", _text(120)),
        "JGSXBM": ("监管事项目录编码", _optional(check_catalogue_code)),
        "SDYJ": ("设定依据", _text(400)),
        "BBH": ("版本号", _whole(1, 9999)),
        "SXRQ": ("生效日期", _date),
    },
    Table.SJ_JCDX: {
        "DXBM": ("对象编码", _text(40)),
        "DXBMLB": ("对象编码类别", _one_of(set(OBJECT_KEY_KIND.values()), "对象编码类别")),
        "DXMC": ("对象名称", _text(200)),
        "DXLB": ("对象类别", _one_of(set(OBJECT_KIND.values()), "对象类别")),
        "XYFXDJ": ("信用风险等级", _one_of(RISK_LEVELS, "信用风险等级")),
        "JYYC": ("列入经营异常名录", _one_of({"0", "1"}, "列入经营异常名录")),
        "SSZTBM": ("名录库所属主体统一社会信用代码", check_credit_code),
        "ZSDZ": ("住所/经营场所", _optional(_text(200))),
    },
    Table.SJ_XZCF: {
        "AJBH": ("案件编号", _text(60)), **_body, **_party,
        "AY": ("案由", _text(300)),
        "CFJDSWH": ("处罚决定书文号", _text(60)),
        "CFLB": ("处罚类别", _penalty_codes),
        "CFJDRQ": ("处罚决定日期", _date),
        "FKJE": ("罚款金额（元）", _money),
        "MSJE": ("没收金额（元）", _money),
        "JGSXBM": ("监管事项目录编码", _optional(check_catalogue_code)),
    },
    Table.SJ_XZQZ: {
        "AJBH": ("案件编号", _text(60)), **_body, **_party,
        "QZJDSWH": ("行政强制决定书文号", _text(60)),
        "QZCS": ("强制措施", _one_of(set(MEASURE.values()), "强制措施")),
        "JDRQ": ("决定日期", _date),
        "QX": ("期限（日）", _whole(1, 60)),
        "JCRQ": ("解除日期", _optional(_date)),
    },
    Table.SJ_XZJC: {
        "AJBH": ("案件编号", _text(60)), **_body, **_party,
        "JCRQ": ("检查日期", _date),
        "JCJG": ("检查结果", _one_of({code for code, _label in INSPECTION_RESULT.values()}, "检查结果")),
        "JCJGMS": ("检查结果描述", _text(2000)),
        "JGSXBM": ("监管事项目录编码", _optional(check_catalogue_code)),
    },
}


def cross(table: str, record: dict, today: dt.date | None) -> list[str]:
    """The checks of a provincial record that need two of its fields."""
    out = []
    if table == Table.SJ_ZFZT:
        if record.get("ZTLB") == "3" and not record.get("WTJGBM"):
            out.append("委托机关统一社会信用代码（WTJGBM）：受委托组织必须填写委托机关")
        if record.get("ZTLB") != "3" and record.get("WTJGBM"):
            out.append("委托机关统一社会信用代码（WTJGBM）：只有受委托组织才有委托机关")
        if record.get("WTJGBM") and record.get("WTJGBM") == record.get("ZTBM"):
            out.append("委托机关统一社会信用代码（WTJGBM）：委托机关不能是本主体")
    if table == Table.SJ_ZFRY:
        issued, expires = record.get("FZRQ") or "", record.get("YXQZ") or ""
        if _date(issued) is None and _date(expires) is None and expires <= issued:
            out.append("有效期至（YXQZ）：应晚于发证日期")
        idn, gender = record.get("SFZH") or "", record.get("XB")
        if (check_id_number(idn, today=today) is None and gender in GENDER.values()
                and GENDER["M" if int(idn[16]) % 2 else "F"] != gender):
            out.append("性别（XB）：与身份证号第17位不符")
    if table == Table.SJ_JCDX:
        kind, key = record.get("DXBMLB"), record.get("DXBM") or ""
        if kind in ("1", "2") and (reason := check_party_code(key, kind, today)):
            out.append(f"对象编码（DXBM）：{reason}")
    if table == Table.SJ_XZQZ:
        start, end = record.get("JDRQ") or "", record.get("JCRQ") or ""
        if end and _date(start) is None and _date(end) is None and end < start:
            out.append("解除日期（JCRQ）：不能早于决定日期")
    return out


# ---- records from facts (pure) ------------------------------------------------------------------------

def entity_record(f: dict[str, Any]) -> dict[str, str]:
    return {"ZTBM": f["credit_code"], "ZTMC": f["name"], "ZTLB": ENTITY_KIND.get(f["kind"], ""),
            "WTJGBM": f["entrusted_by_code"], "XZQHDM": f["region_code"], "ZFLY": f["fields"],
            "BGDZ": f["address"], "LXDH": f["phone"], "ZTZT": ENTITY_STATE[bool(f["is_active"])]}


def officer_record(f: dict[str, Any]) -> dict[str, str]:
    return {"ZFZH": f["certificate_number"], "XM": f["name"], "SFZH": f["id_number"],
            "XB": GENDER.get(f["gender"], ""), "SSZTBM": f["entity_credit_code"], "SSZTMC": f["entity_name"],
            "ZFLY": f["fields"], "FZJG": f["issuing_authority"], "FZRQ": f["issued_on"], "YXQZ": f["expires_on"],
            "ZJZT": CERT_STATE.get(f["certificate_status"], ""), "RYZT": OFFICER_STATE.get(f["status"], "")}


def power_record(f: dict[str, Any]) -> dict[str, str]:
    return {"SXBM": f["code"], "SXMC": f["name"], "QLLB": POWER_CATEGORY.get(f["category"], ""),
            "SSZTBM": f["entity_credit_code"], "SSZTMC": f["entity_name"], "JGSXBM": f["supervision_code"],
            "SDYJ": f"{f['law']}{f['article']}", "BBH": str(f["version"]), "SXRQ": f["effective_from"]}


def object_record(f: dict[str, Any]) -> dict[str, str]:
    return {"DXBM": f["key"], "DXBMLB": OBJECT_KEY_KIND.get(f["key_kind"], ""), "DXMC": f["name"],
            "DXLB": OBJECT_KIND.get(f["kind"], ""), "XYFXDJ": f["risk"], "JYYC": "1" if f["abnormal"] else "0",
            "SSZTBM": f["entity_credit_code"], "ZSDZ": f["address"]}


def _case_common(f: dict[str, Any]) -> dict[str, str]:
    return {"AJBH": f["case_number"], "ZTBM": f["entity_credit_code"], "ZTMC": f["entity_name"],
            "XZQHDM": f["region_code"], "XDRLB": PARTY_CATEGORY.get(f["party_kind"], ""),
            "XDRMC": f["party_name"], "XDRBM": f["party_code"]}


def penalty_record(f: dict[str, Any]) -> dict[str, str]:
    return {**_case_common(f), "AY": f["title"], "CFJDSWH": f["decision_number"],
            "CFLB": penalty_codes(f["penalty_kinds"]), "CFJDRQ": f["decided_on"], "FKJE": _yuan(f["fine_amount"]),
            "MSJE": _yuan(f["confiscation_amount"]), "JGSXBM": f["catalogue_code"]}


def coercion_record(f: dict[str, Any]) -> dict[str, str]:
    return {**_case_common(f), "QZJDSWH": f["measure_number"], "QZCS": MEASURE.get(f["measure"], ""),
            "JDRQ": f["measure_decided_on"], "QX": str(f["period_days"]), "JCRQ": f["released_on"]}


def inspection_record(f: dict[str, Any]) -> dict[str, str]:
    code, label = INSPECTION_RESULT[bool(f["problems_found"])]
    return {**_case_common(f), "JCRQ": f["inspected_on"], "JCJG": code, "JCJGMS": f["result_text"] or label,
            "JGSXBM": f["catalogue_code"]}


BUILDERS: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {Table.SJ_ZFZT: entity_record, Table.SJ_ZFRY: officer_record, Table.SJ_ZFSX: power_record,
            Table.SJ_JCDX: object_record, Table.SJ_XZCF: penalty_record, Table.SJ_XZQZ: coercion_record,
            Table.SJ_XZJC: inspection_record}


# ---- facts from the platform's rows ---------------------------------------------------------------------

def entity_facts(e) -> dict[str, Any]:
    return {"credit_code": e.credit_code, "name": e.name, "kind": e.kind,
            "entrusted_by_code": e.entrusted_by.credit_code if e.entrusted_by_id else "",
            "region_code": region6(e.region), "fields": e.fields, "address": e.address, "phone": e.phone,
            "is_active": e.is_active}


def officer_facts(o, cert) -> dict[str, Any]:
    return {"certificate_number": cert.number, "name": o.name, "id_number": o.id_number or "",
            "gender": o.gender, "entity_credit_code": o.entity.credit_code, "entity_name": o.entity.name,
            "fields": cert.fields, "issuing_authority": cert.issuing_authority,
            "issued_on": cert.issued_on.isoformat(), "expires_on": cert.expires_on.isoformat(),
            "certificate_status": cert.status, "status": o.status}


def power_facts(p) -> dict[str, Any]:
    return {"code": p.code, "name": p.name, "category": p.category, "entity_credit_code": p.entity.credit_code,
            "entity_name": p.entity.name, "supervision_code": p.supervision_code, "law": p.law,
            "article": p.article, "version": p.version, "effective_from": p.effective_from.isoformat()}


def object_facts(o) -> dict[str, Any]:
    return {"key": o.key, "key_kind": o.key_kind, "name": o.name, "kind": o.kind, "risk": o.risk,
            "abnormal": o.abnormal, "entity_credit_code": o.entity.credit_code, "address": o.address}


def case_facts(case) -> dict[str, Any]:
    from zhifa.exchange.records import case_facts as national

    return {**national(case), "title": case.title}


def seizure_facts(s, case_facts_: dict[str, Any]) -> dict[str, Any]:
    return {**case_facts_, "measure_number": s.number, "measure": s.measure,
            "measure_decided_on": s.decided_on.isoformat() if s.decided_on else "",
            "period_days": s.period_days + (s.extended_days if s.extended else 0),
            "released_on": s.released_on.isoformat() if s.released_on else ""}


def current_certificate(officer):
    """The certificate the personnel list shows: the valid one expiring last, else the latest issued."""
    certs = sorted(officer.certificates.all(), key=lambda c: (c.status == "valid", c.expires_on, c.pk))
    return certs[-1] if certs else None

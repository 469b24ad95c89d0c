"""What goes into a document: case_data() reads a case into plain JSON; compose() turns that
into the template context of one document type and lists what is missing.

The split keeps compose() pure: the same code fills the real documents and the sample
context a newly uploaded template is test-rendered with (sample_context), so a template that
renders with the sample renders with every case that has the data.

Template authors see one schema for every type (keys are always present, empty when not
applicable); the README-style field list is FIELD_HELP.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhifa.documents import text
from zhifa.documents.types import DocType


# ---------------------------------------------------------------------------------------------
# Reading a case
# ---------------------------------------------------------------------------------------------
def _iso(d):
    return d.isoformat() if d else ""


def _dec(v):
    return str(v) if v not in (None, "") else ""


def _id_details(id_number: str) -> dict:
    """Gender and birth date from an 18-digit resident ID number (GB 11643)."""
    if len(id_number or "") != 18:
        return {"gender": "", "birth_date": ""}
    try:
        birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return {"gender": "", "birth_date": ""}
    return {"gender": "男" if int(id_number[16]) % 2 else "女", "birth_date": birth.isoformat()}


def review_body(entity) -> str:
    """行政复议机关 by default (行政复议法 2023 Art. 24): the people's government at the entity's
    level; for a government itself (or a town), the government one level up. Vertical agencies
    (Art. 27) set their own channel in Entity.remedy_channel."""
    region = entity.region
    if entity.name.endswith("人民政府") or region.level == 4:
        region = region.parent or region
    return f"{region.name}人民政府"


def court(entity) -> str:
    region = entity.region
    if region.level == 3:  # county level: the basic court where the agency sits (行政诉讼法 Art. 18)
        return f"{region.name}人民法院"
    return "有管辖权的人民法院"


def case_data(case, *, on: dt.date) -> dict:
    """Everything a document may need from a case, as JSON (dates ISO, amounts strings)."""
    from zhifa.accounts.links import case_access_code
    from zhifa.cases.models import CaseEvent, CaseOfficer, Deadline
    from zhifa.cases.rules import hearing_triggers
    from zhifa.documents.models import GeneratedDocument
    from zhifa.legalcal import pending, periods

    e = case.entity
    entity = {
        "name": e.name, "short_code": e.short_code, "credit_code": e.credit_code, "address": e.address,
        "phone": e.phone, "region": e.region.full_name, "remedy_channel": e.remedy_channel,
        "supervision_channel": e.supervision_channel, "review_body": review_body(e), "court": court(e),
    }
    parties = []
    for p in case.parties.all():
        row = {"kind": p.kind, "kind_label": p.get_kind_display(), "name": p.name, "id_number": p.id_number,
               "credit_code": p.credit_code, "legal_representative": p.legal_representative,
               "address": p.address, "phone": p.phone, "is_minor": p.is_minor}
        row.update(_id_details(p.id_number) if p.kind == "person" else {"gender": "", "birth_date": ""})
        parties.append(row)
    officers = []
    field = case.field or ""
    handlers = CaseOfficer.objects.filter(case=case, active=True).select_related("officer", "officer__unit")
    for co in sorted(handlers, key=lambda co: (co.role != CaseOfficer.OfficerRole.LEAD, co.pk)):  # 主办 first
        o = co.officer
        certs = list(o.valid_certificates(on=on, field=field or None)) or list(o.valid_certificates(on=on))
        officers.append({"name": o.name, "role": co.role, "role_label": co.get_role_display(),
                         "certificate_number": certs[0].number if certs else "", "title": o.title,
                         "unit": o.unit.name if o.unit_id else "", "phone": o.phone})
    items = [{"code": i.code, "name": i.name, "law": i.law, "article": i.article, "basis": i.basis,
              "basis_text": i.basis_text} for i in case.power_items.all()]
    deadlines = {}
    for dl in Deadline.objects.filter(case=case).order_by("id"):
        deadlines[dl.kind] = {"label": dl.label, "due_on": _iso(dl.due_on), "known": dl.known,
                              "state": dl.state, "basis": dl.basis, "pending_year": dl.unknown_year,
                              "display": dl.due_display,
                              # the period in words, true whether or not its last day is known yet
                              "text": pending.phrase(dl.base_days + dl.extended_days,
                                                     "个工作日" if dl.working_days else "日",
                                                     start="自起算之日起")}
    events = {}
    for ev in CaseEvent.objects.filter(case=case).select_related("actor").order_by("id"):
        events[ev.transition] = {"on": _iso(ev.on), "reason": ev.reason,
                                 "actor": (ev.actor.display_name or ev.actor.username) if ev.actor_id else ""}

    def wd(start, n):
        if not start:
            return {"date": "", "known": True, "reason": "", "text": pending.phrase(n)}
        due = periods.add_working_days(start, n)
        # While the year is not entered: "自收到之日起5个工作日内" instead of a date (issue 13).
        return {"date": _iso(due.date) if due.known else "", "known": due.known,
                "reason": "" if due.known else pending.label(due.unknown_year),
                "text": _iso(due.date) if due.known else pending.phrase(n)}

    seizure = None
    s = case.seizures.order_by("id").last()
    if s is not None:
        sdl = deadlines.get("seizure", {})
        seizure = {"number": s.number, "measure": s.measure, "measure_label": s.get_measure_display(),
                   "items": s.items or [], "decided_on": _iso(s.decided_on), "period_days": s.period_days,
                   "extended_days": s.extended_days if s.extended else 0, "released_on": _iso(s.released_on),
                   "approved_by": (s.approved_by.display_name or s.approved_by.username) if s.approved_by_id else "",
                   "due_on": sdl.get("due_on", "")}
    chair = case.hearing_chair
    review = case.reviews.exclude(outcome="").order_by("id").last()
    latest = {}
    for doc in GeneratedDocument.objects.filter(case=case).order_by("doc_type", "-version"):
        latest.setdefault(doc.doc_type, {"number": doc.number, "version": doc.version, "extra": doc.extra,
                                         "generated_on": _iso(doc.generated_at.date())})
    return {
        "entity": entity,
        "case": {
            "id": case.pk, "number": case.number, "access_code": case_access_code(case.pk), "title": case.title, "kind": case.kind,
            "kind_label": case.get_kind_display(), "state": case.state, "state_label": case.state_label,
            "field": field, "source_label": case.get_source_display(), "source_detail": case.source_detail,
            "violation_on": _iso(case.violation_on), "discovered_on": _iso(case.discovered_on),
            "registered_on": _iso(case.registered_on), "filed_on": _iso(case.filed_on),
            "limitation_warning": case.limitation_warning, "legal_basis": case.legal_basis, "facts": case.facts,
            "penalty_kinds": list(case.penalty_kinds or []), "fine_amount": _dec(case.fine_amount),
            "confiscation_amount": _dec(case.confiscation_amount), "no_penalty": case.no_penalty,
            "proposed_on": _iso(case.proposed_on), "rights_notice_served_on": _iso(case.rights_notice_served_on),
            "notice_includes_hearing": case.notice_includes_hearing,
            "statement_received_on": _iso(case.statement_received_on), "statement_text": case.statement_text,
            "statement_waived": case.statement_waived, "hearing_requested": case.hearing_requested,
            "hearing_requested_on": _iso(case.hearing_requested_on), "hearing_waived": case.hearing_waived,
            "hearing_notified_on": _iso(case.hearing_notified_on),
            "hearing_scheduled_on": _iso(case.hearing_scheduled_on), "hearing_held_on": _iso(case.hearing_held_on),
            "hearing_record": case.hearing_record, "decision_number": case.decision_number,
            "decided_on": _iso(case.decided_on),
            "decided_by": (case.decided_by.display_name or case.decided_by.username) if case.decided_by_id else "",
            "served_on": _iso(case.served_on), "service_method": case.service_method,
            "paid_amount": _dec(case.paid_amount), "paid_on": _iso(case.paid_on),
            "execution_note": case.execution_note, "closed_on": _iso(case.closed_on),
            "exit_reason": case.exit_reason, "transfer_to": case.transfer_to,
            "inspection_result": case.inspection_result, "problems_found": case.problems_found,
        },
        "parties": parties,
        "officers": officers,
        "power_items": items,
        "hearing_triggers": hearing_triggers(case) if case.kind == "penalty_general" else [],
        "hearing_chair": {"name": chair.name, "title": chair.title} if chair else None,
        "statement_due": wd(case.rights_notice_served_on, periods.PERIODS["statement_defence"].n),
        "hearing_request_due": wd(case.rights_notice_served_on, periods.PERIODS["hearing_request"].n),
        "hearing_earliest": wd(case.hearing_notified_on, periods.PERIODS["hearing_notice"].n),
        "seizure": seizure,
        "deadlines": deadlines,
        "events": events,
        "review": {"outcome": review.get_outcome_display(), "opinion": review.opinion,
                   "decided_on": _iso(review.decided_on)} if review else None,
        "documents": latest,
        "extensions": _extensions(case, on),
    }


def _extensions(case, on) -> dict:
    """What other apps add to a case's document data (common.registry.document_facts)."""
    from zhifa.common.registry import document_facts

    out = {}
    for entry in document_facts.entries():
        value = entry.value(case, on=on)
        if value:
            out[entry.key] = value
    return out


# ---------------------------------------------------------------------------------------------
# Composing one document's context
# ---------------------------------------------------------------------------------------------
PENALTY_LABELS = {
    "warning": "警告", "criticism": "通报批评", "fine": "罚款", "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物", "suspend_licence": "暂扣许可证件", "lower_qualification": "降低资质等级",
    "revoke_licence": "吊销许可证件", "limit_activity": "限制开展生产经营活动", "suspend_business": "责令停产停业",
    "close": "责令关闭", "restrict_practice": "限制从业",
}


def paras(value) -> list[str]:
    """Text (or a list) → non-empty paragraphs."""
    if isinstance(value, (list, tuple)):
        lines = [str(v) for v in value]
    else:
        lines = str(value or "").replace("\r\n", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]


def _d(iso: str) -> dict:
    """A date for templates: iso, 二〇二六年四月二日 and 2026年4月2日."""
    return {"iso": iso or "", "cn": text.cn_date(iso), "num": text.num_date(iso)}


class Composer:
    def __init__(self, doc_type: str, data: dict, extra: dict, *, number: str, today: dt.date, version: int = 1):
        self.t, self.data, self.extra = doc_type, data, {k: v for k, v in (extra or {}).items() if v not in (None, "")}
        self.number, self.today, self.version = number, today, version
        self.missing: list[str] = []
        self.c = data["case"]

    def need(self, ok, what: str):
        if not ok:
            self.missing.append(what)
        return ok

    def x(self, key, default=""):
        value = self.extra.get(key, default)
        return value if value not in (None,) else default

    def evidence_text(self) -> str:
        """The 决定书 lists the evidence the 告知书 listed unless the form gives its own (issue 18:
        the decision refused "缺少：证据" though its form said it defaults from the 告知书)."""
        own = self.x("evidence")
        if own or self.t != DocType.PENALTY_DECISION:
            return own
        notice = (self.data.get("documents") or {}).get(DocType.PENALTY_NOTICE) or {}
        return (notice.get("extra") or {}).get("evidence", "") or ""

    # ---- sections --------------------------------------------------------------------------
    def parties(self):
        out = []
        for p in self.data["parties"]:
            person = p["kind"] == "person"
            out.append({**p, "id_label": "身份证号" if person else "统一社会信用代码",
                        "id_value": p["id_number"] if person else p["credit_code"],
                        "you": "你" if person else "你单位", "birth_date_num": text.num_date(p.get("birth_date"))})
        return out

    def officers(self):
        return self.data["officers"]

    def officers_text(self, officers):
        return "、".join(f"{o['name']}（执法证号：{o['certificate_number'] or '无'}）" for o in officers)

    def basis(self):
        items = self.data["power_items"]
        own = paras(self.c["legal_basis"])
        listed = [i["basis"] for i in items if i["basis"]]
        return {"text": "；".join(own) if own else "、".join(dict.fromkeys(listed)),
                "paras": own or list(dict.fromkeys(listed)), "power_items": items}

    def penalty(self):
        c = self.c
        items = []
        amount_used = False
        for kind in c["penalty_kinds"]:
            label = PENALTY_LABELS.get(kind, kind)
            if kind == "fine":
                items.append(f"罚款{text.rmb_phrase(c['fine_amount'])}" if c["fine_amount"] else label)
            elif kind in ("confiscate_gains", "confiscate_property") and c["confiscation_amount"] and not amount_used:
                amount_used = True
                what = "没收违法所得" if kind == "confiscate_gains" else "没收非法财物，价值"
                items.append(f"{what}{text.rmb_phrase(c['confiscation_amount'])}")
            else:
                detail = self.x(f"penalty_{kind}_detail")
                items.append(f"{label}（{detail}）" if detail else label)
        fine = c["fine_amount"]
        return {
            "kinds": [PENALTY_LABELS.get(k, k) for k in c["penalty_kinds"]], "parts": items,
            "text": "；".join(items), "fine": fine, "fine_money": text.money(fine), "fine_upper": text.rmb_upper(fine),
            "confiscation": c["confiscation_amount"], "confiscation_upper": text.rmb_upper(c["confiscation_amount"]),
            "total_upper": text.rmb_upper(sum((Decimal(v) for v in (fine, c["confiscation_amount"]) if v), Decimal(0)))
            if (fine or c["confiscation_amount"]) else "",
            "no_penalty": c["no_penalty"], "has_money": bool(fine or c["confiscation_amount"]),
        }

    def performance(self, penalty):
        """Art. 59 (四): how and by when the penalty is carried out."""
        if self.x("performance"):
            return paras(self.x("performance"))
        out = []
        if penalty["has_money"]:
            place = self.x("payment_place", "指定的银行或者通过电子支付系统")
            out.append(f"当事人应当自收到本决定书之日起十五日内，到{place}缴纳罚没款（《中华人民共和国行政处罚法》"
                       f"第六十七条）。")
            if penalty["fine"]:
                out.append("到期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额；"
                           "并可以依法申请人民法院强制执行（《中华人民共和国行政处罚法》第七十二条）。")
        others = [PENALTY_LABELS.get(k, k) for k in self.c["penalty_kinds"]
                  if k not in ("fine", "confiscate_gains", "confiscate_property")]
        if others:
            out.append(f"{'、'.join(others)}自本决定书送达之日起执行。")
        if not out:
            out.append("本决定自送达之日起执行。")
        return out

    def remedy(self, what="本决定"):
        e = self.data["entity"]
        channel = e["remedy_channel"].strip()
        txt = (f"当事人如不服{what}，可以自收到本决定书之日起六十日内向{e['review_body']}申请行政复议；"
               f"也可以自收到本决定书之日起六个月内依法向{e['court']}提起行政诉讼。")
        if channel:
            txt += f"（救济渠道：{channel}）"
        return {"text": txt, "review_body": e["review_body"], "court": e["court"], "review_days": 60,
                "litigation_months": 6, "channel": channel,
                "no_suspension": "申请行政复议或者提起行政诉讼期间，不停止本决定的执行，法律另有规定的除外。"}

    def rights(self, party_you: str):
        d = self.data
        hearing = bool(self.c["notice_includes_hearing"] or d["hearing_triggers"])
        s_due, h_due = d["statement_due"], d["hearing_request_due"]
        s_until = f"（即{text.cn_date(s_due['date'])}前）" if s_due["date"] else ""
        h_until = f"（即{text.cn_date(h_due['date'])}前）" if h_due["date"] else ""
        statement = (f"根据《中华人民共和国行政处罚法》第七条、第四十四条、第四十五条的规定，{party_you}享有陈述、申辩的权利。"
                     f"如有陈述、申辩意见，请于收到本告知书之日起五个工作日内{s_until}向本机关提出；"
                     f"逾期未提出的，视为放弃陈述、申辩的权利。")
        hearing_text = ""
        if hearing:
            hearing_text = (f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{party_you}有权要求举行听证。"
                            f"如要求听证，应当在收到本告知书之日起五个工作日内{h_until}向本机关提出；"
                            f"逾期未提出的，视为放弃听证的权利。")
        return {"statement": statement, "statement_days": 5, "statement_until": _d(s_due["date"]),
                "hearing": hearing, "hearing_text": hearing_text, "hearing_days": 5,
                "hearing_until": _d(h_due["date"]), "hearing_reasons": d["hearing_triggers"]}

    # ---- the whole context ------------------------------------------------------------------
    def compose(self) -> dict:
        d, c, t = self.data, self.c, self.t
        parties = self.parties()
        party = parties[0] if parties else dict.fromkeys(("kind", "kind_label", "name", "id_number", "credit_code", "legal_representative", "address", "phone", "gender", "birth_date", "birth_date_num", "id_label", "id_value", "you"), "")
        officers = self.officers()
        basis = self.basis()
        penalty = self.penalty()
        doc_date = self.doc_date()
        facts = paras(c["facts"])
        evidence = paras(self.evidence_text())
        ctx = {
            "doc": {"type": t, "name": str(DocType(t).label), "number": self.number, "version": self.version,
                    "date": _d(doc_date), "generated_on": _d(self.today.isoformat())},
            "entity": d["entity"],
            "case": {**c, "facts_paras": facts, "violation_on_d": _d(c["violation_on"]),
                     "registered_on_d": _d(c["registered_on"]), "filed_on_d": _d(c["filed_on"]),
                     "decided_on_d": _d(c["decided_on"]), "served_on_d": _d(c["served_on"]),
                     "closed_on_d": _d(c["closed_on"]), "paid_on_d": _d(c["paid_on"]),
                     "discovered_on_d": _d(c["discovered_on"]), "proposed_on_d": _d(c["proposed_on"]),
                     "paid_money": text.money(c["paid_amount"]), "paid_upper": text.rmb_upper(c["paid_amount"])},
            "parties": parties, "party": party, "party_names": "、".join(p["name"] for p in parties),
            "officers": officers, "officers_text": self.officers_text(officers),
            "officer_names": "、".join(o["name"] for o in officers),
            "basis": basis, "penalty": penalty, "evidence": evidence,
            "performance": self.performance(penalty) if t == DocType.PENALTY_DECISION else [],
            "remedy": self.remedy(), "rights": self.rights(party["you"] or "你（单位）"),
            "hearing": self.hearing(), "seizure": self.seizure(), "service": self.service(parties),
            "record": self.record(parties, officers), "closing": self.closing(penalty),
            "approval": self.approval(), "extra": {k: v for k, v in self.extra.items() if isinstance(v, str)},
        }
        ctx.update(self.letter_parts(ctx))
        self.check(ctx)
        return ctx

    def letter_parts(self, ctx):
        """Pieces of the letters worked out here so templates stay plain."""
        c, penalty = self.c, ctx["penalty"]
        ordinals = "一二三四五六七八九十"
        numbered = [f"（{ordinals[i] if i < 10 else i + 1}）{item}{'；' if i < len(penalty['parts']) - 1 else '。'}"
                    for i, item in enumerate(penalty["parts"])]
        procedure = []
        notice = self.data["documents"].get(DocType.PENALTY_NOTICE) or {}
        if c["rights_notice_served_on"]:
            num = f"（{notice['number']}）" if notice.get("number") else ""
            rights = "陈述、申辩和要求听证" if c["notice_includes_hearing"] else "陈述、申辩"
            procedure.append(f"本机关于{text.cn_date(c['rights_notice_served_on'])}向当事人送达了《行政处罚事先告知书》{num}，"
                             f"告知拟作出行政处罚的内容及事实、理由、依据，以及依法享有的{rights}的权利。")
        if c["statement_waived"]:
            procedure.append("当事人明确表示放弃陈述、申辩的权利。")
        elif c["statement_text"]:
            procedure.append(f"当事人于{text.cn_date(c['statement_received_on'])}提出陈述、申辩意见：{c['statement_text']}")
            if self.x("statement_review"):
                procedure.append(f"经复核，{self.x('statement_review')}")
        elif c["rights_notice_served_on"]:
            procedure.append("当事人在规定期限内未提出陈述、申辩意见。")
        if c["hearing_held_on"]:
            procedure.append(f"应当事人要求，本机关于{text.cn_date(c['hearing_held_on'])}依法举行了听证。")
        elif c["hearing_waived"]:
            procedure.append("当事人明确表示放弃听证的权利。")
        has_procedure = bool(procedure)
        n = "二三四五六" if not has_procedure else "三四五六七"
        officers = ctx["officers"]
        title = c["title"]
        for suffix in ("一案", "案"):
            if title.endswith(suffix) and len(title) > len(suffix):
                title = title[: -len(suffix)]
                break
        measure = (self.data["seizure"] or {}).get("measure_label", "查封、扣押")
        return {
            "case": {**ctx["case"], "cause": title},
            "penalty": {**penalty, "items_numbered": numbered},
            "procedure_paras": procedure if self.t == DocType.PENALTY_DECISION else [],
            "heading_no": {"basis": n[0], "performance": n[1], "remedy": n[2]},
            "reason_paras": paras(self.x("reason")) if self.t != DocType.SEIZURE_DECISION else [],
            # 裁量说明 from the circumstances ticked on the case (the discretion app, via document_facts).
            "discretion_paras": (self.data.get("extensions") or {}).get("discretion", {}).get("paras", [])
            if self.t in (DocType.PENALTY_NOTICE, DocType.PENALTY_DECISION) else [],
            "contact": {"name": "、".join(o["name"] for o in officers[:2]), "phone": ctx["entity"]["phone"]},
            "seizure_remedy": self.remedy(f"本{measure}决定")["text"],
        }

    def doc_date(self) -> str:
        c, t = self.c, self.t
        if self.x("date"):
            return str(self.x("date"))[:10]
        by_type = {
            DocType.PENALTY_DECISION: c["decided_on"], DocType.HEARING_NOTICE: c["hearing_notified_on"],
            DocType.HEARING_RECORD: c["hearing_held_on"] or c["hearing_scheduled_on"],
            DocType.SEIZURE_DECISION: (self.data["seizure"] or {}).get("decided_on", ""),
            DocType.SEIZURE_LIST: (self.data["seizure"] or {}).get("decided_on", ""),
        }
        return by_type.get(t) or self.today.isoformat()

    def hearing(self):
        c, d = self.c, self.data
        chair = d["hearing_chair"] or {"name": "", "title": ""}
        notice_extra = (d["documents"].get(DocType.HEARING_NOTICE) or {}).get("extra", {})
        place = self.x("hearing_place") or notice_extra.get("hearing_place", "")
        time = self.x("hearing_time") or notice_extra.get("hearing_time", "")
        return {"date": _d(c["hearing_scheduled_on"]), "held_on": _d(c["hearing_held_on"] or c["hearing_scheduled_on"]),
                "time": time, "place": place, "chair": chair["name"], "chair_title": chair["title"],
                "clerk": self.x("clerk") or notice_extra.get("clerk", ""), "notified_on": _d(c["hearing_notified_on"]),
                "earliest": _d(d["hearing_earliest"]["date"]), "public": not self.x("not_public"),
                "record_paras": paras(c["hearing_record"]) + paras(self.x("record")),
                "agent": self.x("agent"), "requested_on": _d(c["hearing_requested_on"])}

    def seizure(self):
        s = self.data["seizure"]
        if not s:
            return {"number": "", "measure": "", "measure_label": "查封（扣押）", "goods": [], "released_on": "", "decided_on": _d(""), "period_days": 30,
                    "extended_days": 0, "due_on": _d(""), "place": "", "approved_by": "", "reason_paras": []}
        rows = []
        for n, item in enumerate(s["items"], start=1):
            item = item if isinstance(item, dict) else {"name": str(item)}
            rows.append({"no": n, "name": str(item.get("name", "")),
                         "spec": str(item.get("spec") or item.get("specification") or item.get("model") or ""),
                         "quantity": str(item.get("quantity") or item.get("qty") or item.get("count") or ""),
                         "unit": str(item.get("unit") or ""),
                         "note": str(item.get("note") or item.get("remark") or item.get("condition") or "")})
        s = {k: v for k, v in s.items() if k != "items"}
        return {**s, "goods": rows, "decided_on": _d(s["decided_on"]), "due_on": _d(s["due_on"]),
                "place": self.x("place") or (self.data["parties"][0]["address"] if self.data["parties"] else ""),
                "reason_paras": paras(self.x("reason")) or paras(self.c["facts"])}

    def service(self, parties):
        c, d = self.c, self.data
        default = DocType.PENALTY_DECISION if c["decision_number"] else DocType.PENALTY_NOTICE
        if c["kind"] == "coercive":
            default = DocType.SEIZURE_DECISION
        served_type = self.x("served_doc_type", default)
        try:
            served_label = str(DocType(served_type).label)
        except ValueError:
            served_label = str(served_type)
        latest = d["documents"].get(served_type) or {}
        number = latest.get("number", "")
        if not number and served_type == DocType.PENALTY_DECISION:
            number = c["decision_number"]
        if not number and served_type == DocType.SEIZURE_DECISION:
            number = (d["seizure"] or {}).get("number", "")
        served_on = self.x("served_on") or (c["served_on"] if served_type == DocType.PENALTY_DECISION else "") or (
            c["rights_notice_served_on"] if served_type == DocType.PENALTY_NOTICE else "")
        recipient = self.x("recipient") or (parties[0]["name"] if parties else "")
        address = self.x("service_address") or (parties[0]["address"] if parties else "")
        return {"doc_type": served_type, "doc_name": served_label, "doc_number": number,
                "doc_generated": bool(latest), "recipient": recipient, "address": address,
                "method": self.x("method") or (c["service_method"] if served_type == DocType.PENALTY_DECISION else "") or "直接送达",
                "served_on": _d(served_on), "servers": "、".join(o["name"] for o in d["officers"]),
                "note": self.x("note")}

    def record(self, parties, officers):
        """询问笔录 / 现场检查笔录: the extra fields an officer fills in."""
        party = parties[0] if parties else {}
        interviewee = {
            "name": self.x("interviewee_name") or (party.get("name") if party.get("kind") == "person"
                                                     else party.get("legal_representative", "")),
            "gender": self.x("interviewee_gender") or (party.get("gender") if party.get("kind") == "person" else ""),
            "id_number": self.x("interviewee_id_number") or (party.get("id_number") if party.get("kind") == "person"
                                                             else ""),
            "work_unit": self.x("interviewee_work_unit") or (party.get("name") if party.get("kind") == "org" else ""),
            "position": self.x("interviewee_position") or ("法定代表人" if party.get("kind") == "org" else ""),
            "address": self.x("interviewee_address") or party.get("address", ""),
            "phone": self.x("interviewee_phone") or party.get("phone", ""),
        }
        qa = []
        for item in self.extra.get("qa") or []:
            if isinstance(item, dict) and (item.get("q") or item.get("a")):
                qa.append({"q": str(item.get("q", "")), "a": str(item.get("a", ""))})
        content = paras(self.x("content")) or (paras(self.c["inspection_result"]) if self.t == DocType.INSPECTION_RECORD
                                               else [])
        recorder = self.x("recorder") or (officers[1]["name"] if len(officers) > 1 else "")
        return {"place": self.x("place") or (party.get("address", "") if self.t == DocType.INSPECTION_RECORD else ""),
                "start": self.x("start"), "end": self.x("end"), "interviewee": interviewee, "qa": qa,
                "content_paras": content, "recorder": recorder, "present_person": self.x("present_person"),
                "present_position": self.x("present_position"), "blank_lines": 8 if not (qa or content) else 0}

    def closing(self, penalty):
        c = self.c
        if c["kind"] == "penalty_general":
            if c["decision_number"]:
                outcome = f"本机关于{text.cn_date(c['decided_on'])}作出{c['decision_number']}行政处罚决定：{penalty['text']}。"
            elif c["exit_reason"]:
                outcome = f"本案{c['state_label']}。理由：{c['exit_reason']}"
            else:
                outcome = ""
        elif c["kind"] == "coercive":
            s = self.data["seizure"] or {}
            outcome = (f"本机关于{text.cn_date(s.get('decided_on'))}作出{s.get('number', '')}{s.get('measure_label', '')}决定"
                       + (f"，已于{text.cn_date(s.get('released_on'))}解除" if s.get("released_on") else "") + "。")
        else:
            outcome = c["inspection_result"]
        execution = []
        if penalty["fine"]:
            paid = Decimal(c["paid_amount"] or 0)
            execution.append(f"应缴罚款{text.rmb_phrase(penalty['fine'])}，已缴{text.rmb_phrase(paid)}"
                             + (f"（缴纳日期：{text.num_date(c['paid_on'])}）" if c["paid_on"] else "") + "。")
        execution += paras(c["execution_note"]) + paras(self.x("execution"))
        return {"outcome": outcome, "execution_paras": execution, "opinion": self.x("opinion"),
                "summary_paras": paras(self.x("summary")) or paras(c["facts"]) or paras(c["inspection_result"])}

    def approval(self):
        ev = self.data["events"]
        filing = ev.get("approve_filing") or {}
        request = ev.get("file_case") or {}
        review = self.data["review"] or {"outcome": "", "opinion": "", "decided_on": ""}
        return {"filing_requested_on": _d(request.get("on", "")), "filing_request_reason": request.get("reason", ""),
                "filing_approved_by": filing.get("actor", ""), "filing_approved_on": _d(filing.get("on", "")),
                "filing_opinion": filing.get("reason", "") or ("同意立案" if filing else ""),
                "review": {**review, "decided_on": _d(review["decided_on"])}}

    # ---- what each type cannot do without ---------------------------------------------------
    def check(self, ctx):
        t, c, need = self.t, self.c, self.need
        parties, officers = ctx["parties"], ctx["officers"]
        need(ctx["entity"]["name"], "执法主体名称")
        need(parties, "当事人")
        for p in parties:
            need(p["name"], "当事人姓名或名称")
        if t in (DocType.PENALTY_NOTICE, DocType.PENALTY_DECISION, DocType.SEIZURE_DECISION):
            for p in parties:
                need(p["address"], f"当事人“{p['name']}”的地址")
        if t in (DocType.INQUIRY_RECORD, DocType.INSPECTION_RECORD, DocType.SEIZURE_LIST, DocType.HEARING_RECORD, DocType.FILING_APPROVAL):
            need(len(officers) >= 2, "两名以上执法人员（《行政处罚法》第四十二条）")
        if t in (DocType.INQUIRY_RECORD, DocType.INSPECTION_RECORD, DocType.SEIZURE_LIST, DocType.PENALTY_NOTICE):
            for o in officers:
                need(o["certificate_number"], f"执法人员“{o['name']}”的有效执法证号")
        if t == DocType.FILING_APPROVAL:
            need(c["title"], "案由")
            need(c["facts"] or c["source_detail"], "简要案情（违法事实或案件来源说明）")
        if t in (DocType.INQUIRY_RECORD, DocType.INSPECTION_RECORD):
            need(ctx["record"]["place"], "询问地点" if t == DocType.INQUIRY_RECORD else "检查地点")
        if t == DocType.INQUIRY_RECORD:
            need(ctx["record"]["interviewee"]["name"], "被询问人姓名")
        if t in (DocType.PENALTY_NOTICE, DocType.PENALTY_DECISION):
            need(c["facts"], "违法事实")
            need(ctx["basis"]["text"], "法律依据")
            need(ctx["penalty"]["parts"], "拟作出的行政处罚（种类及幅度）" if t == DocType.PENALTY_NOTICE else "行政处罚的种类")
            need("fine" not in c["penalty_kinds"] or c["fine_amount"], "罚款金额")
            need(not c["no_penalty"], "行政处罚内容（本案拟不予行政处罚，应制作不予行政处罚的文书）")
        if t == DocType.PENALTY_NOTICE:
            need(c["proposed_on"], "拟处理意见（请先办理“提出拟处理意见”）")
        if t == DocType.PENALTY_DECISION:
            need(c["decision_number"] and c["decided_on"], "行政处罚决定（文号和决定日期；请先办理“作出行政处罚决定”）")
            need(ctx["evidence"], "证据（请逐项列明认定违法事实的证据）")
        if t == DocType.HEARING_NOTICE:
            h = ctx["hearing"]
            need(c["hearing_scheduled_on"] and c["hearing_notified_on"], "听证日期（请先办理“通知听证”）")
            need(h["chair"], "听证主持人")
            need(h["time"], "听证开始时间（如“上午9时30分”）")
            need(h["place"], "听证地点")
            early = self.data["hearing_earliest"]
            if c["hearing_scheduled_on"] and early["date"] and c["hearing_scheduled_on"] < early["date"]:
                self.missing.append(f"至少提前七个工作日通知的听证日期（最早可于{text.num_date(early['date'])}举行，"
                                    f"《行政处罚法》第六十四条）")
        if t == DocType.HEARING_RECORD:
            h = ctx["hearing"]
            need(c["hearing_scheduled_on"] or c["hearing_held_on"], "听证日期（请先办理“通知听证”）")
            need(h["chair"], "听证主持人")
            need(h["place"], "听证地点")
        if t == DocType.SERVICE_RECEIPT:
            s = ctx["service"]
            need(s["doc_number"] or s["doc_generated"], f"送达的文书（请先生成{s['doc_name']}）")
            need(s["address"], "送达地点")
        if t in (DocType.SEIZURE_DECISION, DocType.SEIZURE_LIST):
            s = self.data["seizure"]
            need(s, "查封、扣押记录（请先办理“提请查封、扣押”）")
            need(not s or s["decided_on"], "行政机关负责人的批准（查封、扣押待负责人批准）")
            if s:
                need(ctx["seizure"]["goods"], "查封、扣押的场所、设施或者财物清单")
        if t == DocType.SEIZURE_DECISION:
            need(ctx["seizure"]["reason_paras"], "查封、扣押的理由")
            need(ctx["basis"]["text"], "查封、扣押的依据")
        if t == DocType.CLOSING_REPORT:
            need(c["number"], "案件编号（案件尚未立案或编号）")
            need(ctx["closing"]["outcome"], "处理结果（案件尚未作出决定或检查结论）")


def compose(doc_type: str, data: dict, extra: dict, *, number: str, today: dt.date, version: int = 1):
    """→ (context, missing): the template context and the Chinese names of missing data."""
    comp = Composer(doc_type, data, extra, number=number, today=today, version=version)
    ctx = comp.compose()
    return ctx, list(dict.fromkeys(comp.missing))


# ---------------------------------------------------------------------------------------------
# A complete sample (uploaded templates are test-rendered with it)
# ---------------------------------------------------------------------------------------------
def sample_data() -> dict:
    party = {"kind": "org", "kind_label": "法人或其他组织", "name": "某某食品有限公司", "id_number": "",
             "credit_code": "91520502MA6DXXXX0X", "legal_representative": "周某", "address": "贵州省毕节市七星关区某路1号",
             "phone": "13800000000", "is_minor": False, "gender": "", "birth_date": ""}
    person = {"kind": "person", "kind_label": "自然人", "name": "陈某", "id_number": "520502198005010011",
              "credit_code": "", "legal_representative": "", "address": "贵州省毕节市七星关区某街2号",
              "phone": "13900000000", "is_minor": False, "gender": "男", "birth_date": "1980-05-01"}
    due = {"date": "2026-04-10", "known": True, "reason": ""}
    return {
        "entity": {"name": "某区市场监督管理局", "short_code": "某市监", "credit_code": "11520502MB0000000X",
                   "address": "某区某路1号", "phone": "0857-8221234", "region": "贵州省毕节市七星关区",
                   "remedy_channel": "", "supervision_channel": "", "review_body": "某区人民政府",
                   "court": "某区人民法院"},
        "case": {
            "id": 0, "number": "某市监立〔2026〕1号", "access_code": "ABCD1234", "title": "销售过期食品案", "kind": "penalty_general",
            "kind_label": "行政处罚（一般程序）", "state": "decided", "state_label": "已作出决定", "field": "市场监管",
            "source_label": "投诉举报", "source_detail": "12345热线转办", "violation_on": "2026-02-01",
            "discovered_on": "2026-03-02", "registered_on": "2026-03-02", "filed_on": "2026-03-03",
            "limitation_warning": "", "legal_basis": "《中华人民共和国食品安全法》第一百二十四条第一款",
            "facts": "当事人销售超过保质期的食品。\n货值金额500元。", "penalty_kinds": ["warning", "fine"],
            "fine_amount": "5000.00", "confiscation_amount": "500.00", "no_penalty": False,
            "proposed_on": "2026-04-01", "rights_notice_served_on": "2026-04-02", "notice_includes_hearing": True,
            "statement_received_on": "2026-04-03", "statement_text": "当事人称系疏忽。", "statement_waived": False,
            "hearing_requested": True, "hearing_requested_on": "2026-04-08", "hearing_waived": False,
            "hearing_notified_on": "2026-04-09", "hearing_scheduled_on": "2026-04-20",
            "hearing_held_on": "2026-04-20", "hearing_record": "当事人到场申辩。", "decision_number": "某市监罚决〔2026〕1号",
            "decided_on": "2026-04-23", "decided_by": "局长", "served_on": "2026-04-24", "service_method": "直接送达",
            "paid_amount": "5000.00", "paid_on": "2026-05-08", "execution_note": "已缴清罚款。",
            "closed_on": "2026-05-11", "exit_reason": "", "transfer_to": "", "inspection_result": "发现过期食品。",
            "problems_found": True,
        },
        "parties": [party, person],
        "officers": [
            {"name": "刘一", "role": "lead", "role_label": "主办", "certificate_number": "52000000001", "title": "",
             "unit": "执法稽查大队", "phone": ""},
            {"name": "陈二", "role": "assist", "role_label": "协办", "certificate_number": "52000000002", "title": "",
             "unit": "执法稽查大队", "phone": ""}],
        "power_items": [{"code": "CF-0001", "name": "对销售不符合食品安全标准的食品的处罚",
                         "law": "中华人民共和国食品安全法", "article": "第一百二十四条",
                         "basis": "《中华人民共和国食品安全法》第一百二十四条", "basis_text": ""}],
        "hearing_triggers": ["罚款达到较大数额"],
        "hearing_chair": {"name": "杨三", "title": "法规科科长"},
        "statement_due": due, "hearing_request_due": due,
        "hearing_earliest": {"date": "2026-04-20", "known": True, "reason": ""},
        "seizure": {"number": "某市监强措〔2026〕1号", "measure": "seize", "measure_label": "扣押",
                    "items": [{"name": "过期饼干", "spec": "500g/袋", "quantity": "20", "unit": "袋", "note": ""}],
                    "decided_on": "2026-03-05", "period_days": 30, "extended_days": 0, "released_on": "",
                    "approved_by": "局长", "due_on": "2026-04-04"},
        "deadlines": {}, "events": {"file_case": {"on": "2026-03-02", "reason": "", "actor": "刘一"},
                                    "approve_filing": {"on": "2026-03-03", "reason": "同意立案", "actor": "科长"}},
        "review": {"outcome": "同意", "opinion": "事实清楚，证据充分。", "decided_on": "2026-04-22"},
        "documents": {DocType.HEARING_NOTICE: {"number": "某市监听通〔2026〕1号", "version": 1, "generated_on": "2026-04-09",
                                         "extra": {"hearing_place": "本局听证室", "hearing_time": "上午9时30分"}},
                      DocType.PENALTY_DECISION: {"number": "某市监罚决〔2026〕1号", "version": 1,
                                           "generated_on": "2026-04-23", "extra": {}}},
    }


SAMPLE_EXTRA = {
    "evidence": "现场检查笔录\n询问笔录\n产品照片", "hearing_place": "本局听证室", "hearing_time": "上午9时30分",
    "clerk": "王记录", "place": "某某食品有限公司经营场所", "start": "2026年3月4日9时00分", "end": "2026年3月4日10时00分",
    "qa": [{"q": "我们是某区市场监督管理局的执法人员，现向你出示执法证件。你是否看清楚？", "a": "看清楚了。"}],
    "content": "现场检查情况。", "present_person": "周某", "present_position": "法定代表人", "opinion": "建议结案。",
}


SAMPLE_NUMBERS = {DocType.FILING_APPROVAL: "某市监立〔2026〕1号", DocType.PENALTY_NOTICE: "某市监罚告〔2026〕1号",
                  DocType.HEARING_NOTICE: "某市监听通〔2026〕1号", DocType.PENALTY_DECISION: "某市监罚决〔2026〕1号",
                  DocType.SEIZURE_DECISION: "某市监强措〔2026〕1号", DocType.INSPECTION_RECORD: "某市监检〔2026〕1号"}


def sample_context(doc_type: str) -> dict:
    ctx, _missing = compose(doc_type, sample_data(), SAMPLE_EXTRA, number=SAMPLE_NUMBERS.get(doc_type, ""),
                            today=dt.date(2026, 4, 23))
    return ctx


FIELD_HELP = [
    ("doc.name / doc.number / doc.date.cn", "文书名称、文号、落款日期（如二〇二六年四月二十三日）"),
    ("entity.name / entity.address / entity.phone", "执法主体名称、地址、电话"),
    ("party.name / party.address / party.id_label / party.id_value", "第一当事人；parties 为全部当事人"),
    ("officers（name, certificate_number）/ officers_text", "承办执法人员及执法证号"),
    ("case.number / case.title / case.facts_paras", "案件编号、案由、违法事实（分段）"),
    ("evidence", "证据（分项）"),
    ("basis.text / basis.paras", "法律依据"),
    ("penalty.text / penalty.items_numbered / penalty.fine_upper", "处罚内容、分项、罚款大写金额"),
    ("performance", "履行方式和期限（分段，决定书）"),
    ("rights.statement / rights.hearing / rights.hearing_text", "陈述申辩、听证权利告知（告知书）"),
    ("hearing.date.cn / hearing.time / hearing.place / hearing.chair", "听证日期、时间、地点、主持人"),
    ("seizure.number / seizure.goods / seizure.period_days", "查封扣押决定书文号、清单（goods）、期限"),
    ("service.doc_name / service.doc_number / service.recipient", "送达文书名称、文号、受送达人"),
    ("remedy.text", "申请行政复议、提起行政诉讼的途径和期限"),
    ("过滤器 cn_date / rmb / money", "{{ case.decided_on|cn_date }}、{{ penalty.fine|rmb }}"),
]

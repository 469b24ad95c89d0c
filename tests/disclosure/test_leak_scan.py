"""Walk every public page and public API response of a world with decided, published, held and
withdrawn cases and fail on any ID number, phone number, home address or natural person's full
name of the data (and on any valid ID number or mobile number at all)."""
import datetime as dt
import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from tests import factories
from tests.disclosure.conftest import decided_case
from tests.disclosure.test_reports import xlsx_text
from zhifa.cases.models import Party
from zhifa.common.identifiers import check_id_number
from zhifa.common.xlsx import XLSX_CONTENT_TYPE
from zhifa.disclosure import opendata
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.models import AnnualReport, Complaint, CreditRepair
from zhifa.guidance.models import published
from zhifa.orgs.models import Certificate, Entity, Officer
from zhifa.supervision.actions import social
from zhifa.supervision.models import SocialSupervisor


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.links.append(href)


# 年度统计年报: the list (its links lead to each report and its .xlsx).
REPORT_URLS = ["/gs/reports/", "/gs/reports/?year=2026"]


def build(cw):
    people = [("张建国", "13985712345", "七星关区洪山路18号3单元401室"), ("欧阳丽华", "0857-8765432", "大方县顺德路2号"),
              ("王小红", "15808571234", "七星关区麻园路99号"), ("李小明", "18685712399", "七星关区碧阳大道3号")]
    cases = []
    for name, phone, addr in people:
        party = factories.person_party(name, phone=phone, address=addr, is_minor=(name == "李小明"))
        cases.append(decided_case(cw, party=party, facts=f"当事人{name}（电话{phone}）在{addr}附近销售过期食品。"))
    org = factories.org_party("七星关区鑫源商贸有限公司", phone="13312345678", address="七星关区清毕路5号")
    cases.append(decided_case(cw, party=org))
    pubs = [c.publication for c in cases]
    for p in pubs[:3] + pubs[4:]:
        publication_actions.do_approve(p, acting_user=cw["head"], on=dt.date(2026, 4, 23))
    publication_actions.do_withdraw(pubs[1], acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被变更")
    Officer.objects.filter(pk=cw["h1"].pk).update(phone="13700000001")
    factories.case(cw)  # a case in progress, not decided
    from tests.supervision.transfer_helpers import published_guidance

    published_guidance(cw)  # 案例指导 on the portal (issue 7 item 7)
    from zhifa.disclosure.actions.complaints import do_submit_complaint

    do_submit_complaint(entity=cw["smj"], kind="complaint", content="举报某超市销售过期食品，请核查。",
                        contact="13911112222", client="leak-scan")
    # 投诉举报 handling and 社会监督员 (issue 7): a hotline complaint with a named complainant, handled
    # and answered; a social supervisor's personal page with a lead.
    from zhifa.disclosure.actions import complaints
    from zhifa.supervision.actions import social

    c = complaints.do_register_complaint(acting_user=cw["sup_county"], kind="complaint", source="12345",
                                content="12345转办：某药店销售处方药不凭处方，请查处。", complainant="郑秀英",
                                contact="13655556666", entity=cw["smj"])
    complaints.do_add_step(c, acting_user=cw["officer"], note="电话联系郑秀英（13655556666）了解情况")
    complaints.do_answer_complaint(c, acting_user=cw["head"], answer="经核查，已责令该药店整改。")
    s = social.do_appoint_supervisor(acting_user=cw["sup_county"], name="何律师", kind="lawyer",
                                     contact="13577778888", appointed_on=dt.date(2026, 1, 1),
                                     term_ends_on=dt.date(2030, 12, 31))
    social.do_submit_lead(social.token_for(s), content="某执法人员检查时未出示执法证件。", entity=cw["smj"],
                          on=dt.date(2026, 4, 20))
    # 年度统计年报 (issue 6 item 11): published, with its downloads.
    from zhifa.supervision.actions import reports

    reports.do_publish_annual_report(reports.do_generate_annual_report(cw["smj"], 2026, acting_user=cw["head"]),
                                     acting_user=cw["head"])
    # 信用修复 applied for online by the party, with its (private) contact
    from zhifa.disclosure.actions.credit_repair import do_submit_repair_online
    from zhifa.disclosure.pipeline import access_code

    do_submit_repair_online(pubs[0], access_code=access_code(cases[0]), applicant="张建国", contact="13822223333",
                            reason="已缴清罚款并整改到位", client="leak-scan", on=dt.date(2026, 8, 1))
    return cases


def secrets():
    out = set()
    for p in Party.objects.all():
        out |= {p.id_number, p.phone}
        if p.kind == "person":
            out |= {p.name, p.address}
    out |= set(Complaint.objects.values_list("contact", flat=True))
    out |= set(Complaint.objects.values_list("complainant", flat=True))
    out |= set(SocialSupervisor.objects.values_list("contact", flat=True))
    out |= set(CreditRepair.objects.values_list("contact", flat=True))
    for o in Officer.objects.all():
        out |= {o.id_number, o.phone}
    return {s for s in out if s and len(s) >= 2}


# 开放数据 downloads, dictionary and feed (issue 6 item 9): scanned like every other page.
OPEN_DATA_URLS = ["/gs/data/", "/gs/data/dictionary.json", "/gs/feed.atom", "/gs/feed.atom?entity=1"] + [
    f"/gs/data/{s}.{fmt}" for s in ("decisions", "entities", "officers", "power-items", "inspection-items",
                                    "service-guides", "flowcharts") for fmt in ("csv", "json")]


def body_of(resp) -> str:
    return (b"".join(resp.streaming_content) if resp.streaming else resp.content).decode()


def scan(text, where, secret, public_phones):
    for s in secret:
        assert s not in text, f"{where} 泄露了 {s}"
    # Digit runs inside hex hashes and signatures (proofs, tree heads) are not identifiers.
    for m in re.finditer(r"(?<![0-9a-fA-F])\d{17}[\dX](?![0-9a-fA-F])", text):
        assert check_id_number(m.group()) is not None, f"{where} 含有身份证号 {m.group()}"
    for m in re.finditer(r"(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])", text):
        assert m.group() in public_phones, f"{where} 含有手机号 {m.group()}"


def test_no_private_data_on_any_public_page_or_api_response(cw, client):
    cases = build(cw)
    secret = secrets()
    public_phones = set(Entity.objects.values_list("phone", flat=True))
    assert len(secret) > 10
    seen, todo = set(), ["/gs/"] + [f"/gs/results/{c.publication.pk}/" for c in cases]
    todo += [f"/gs/results/?q={q}" for q in ("食品", "张", "1398", "5208", "洪山")]
    todo += [f"/gs/progress/?number={c.number}&code=BAD" for c in cases]
    todo += [f"/gs/results/{c.publication.pk}/repair/" for c in cases]  # 信用修复 (online request, status)
    todo += [f"/gs/cert/{n}/" for n in Certificate.objects.values_list("number", flat=True)]
    todo += [f"/gs/contact/?code={c}" for c in Complaint.objects.values_list("tracking_code", flat=True)]
    todo += [f"/gs/jiandu/{social.token_for(s)}/" for s in SocialSupervisor.objects.all()]
    todo += OPEN_DATA_URLS
    todo += ["/gs/guidance/", "/gs/guidance/?q=食品"]
    todo += REPORT_URLS
    pages = 0
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        if url.endswith(".pdf"):  # rendered from the same figures as the .xlsx, which is scanned
            continue
        resp = client.get(url)
        assert resp.status_code in (200, 404), url
        text = xlsx_text(resp) if resp.get("Content-Type") == XLSX_CONTENT_TYPE else body_of(resp)
        scan(text, url, secret, public_phones)
        pages += 1
        if resp.get("Content-Type", "").startswith("text/html"):
            parser = Links()
            parser.feed(text)
            for href in parser.links:
                full = urljoin(url, href)
                if urlparse(full).path.startswith("/gs/") and full not in seen:
                    todo.append(full)
    assert pages >= 20
    for pk in AnnualReport.objects.values_list("pk", flat=True):  # the walk reached each report and its workbook
        assert {f"/gs/reports/{pk}/", f"/gs/reports/{pk}/report.xlsx"} <= seen
    api = ["/api/v1/public/decisions", "/api/v1/public/decisions?q=食品", "/api/v1/public/progress"]
    for c in cases:
        api += [f"/api/v1/public/decisions/{c.publication.pk}", f"/api/v1/public/decisions/{c.publication.pk}/proof"]
    api += [f"/api/v1/public/certificates/{n}" for n in Certificate.objects.values_list("number", flat=True)]
    api += [f"/api/v1/public/complaints/{c}" for c in Complaint.objects.values_list("tracking_code", flat=True)]
    api += [f"/api/v1/complaints/track/{c}" for c in Complaint.objects.values_list("tracking_code", flat=True)]
    api += [f"/api/v1/social/feedback/{social.token_for(s)}" for s in SocialSupervisor.objects.all()]
    api += ["/api/v1/public/guidance"] + [f"/api/v1/public/guidance/{pk}" for pk in published().values_list("pk", flat=True)]
    api += ["/api/v1/public/reports"] + [f"/api/v1/public/reports/{pk}" for pk in
                                          AnnualReport.objects.values_list("pk", flat=True)]
    api += ["/api/openapi.json", "/api/v1/public/data"] + [f"/api/v1/public/data/{s}" for s in opendata.DATASETS]
    for url in api:
        resp = client.get(url)
        assert resp.status_code in (200, 404), url
        scan(resp.content.decode(), url, secret, public_phones)
        scan(json.dumps(resp.json(), ensure_ascii=False), url, secret, public_phones)
    # The published set: a decision carries exactly these fields.
    one = client.get(f"/api/v1/public/decisions/{cases[0].publication.pk}").json()
    assert set(one) == {"id", "title", "entity", "entity_id", "region", "kind", "category", "decision_number",
                        "target", "decided_on", "published_on", "fine_amount", "confiscation", "confiscation_amount", "body",
                        "ledger_seq"}  # 没收 is part of the decided penalty (issue 18)
    # Every open-data export carries exactly its documented fields; a decision the published set plus its URL.
    for slug, ds in opendata.DATASETS.items():
        rows = json.loads(body_of(client.get(f"/gs/data/{slug}.json")))
        assert all(list(r) == ds.keys for r in rows), slug
    assert set(opendata.DATASETS["decisions"].keys) == set(one) | {"url"}
    exported = {r["id"] for r in json.loads(body_of(client.get("/gs/data/decisions.json")))}
    assert cases[1].publication.pk not in exported and cases[3].publication.pk not in exported
    # Held (minor) and withdrawn decisions are nowhere.
    for c in (cases[1], cases[3]):
        assert client.get(f"/gs/results/{c.publication.pk}/").status_code == 404

"""Generating case documents from cases built with the case core's actions."""
import datetime as dt
import hashlib

import pytest

from tests import factories
from tests.documents.helpers import (
    ADDRESS,
    BASIS,
    EVIDENCE,
    FACTS,
    decided_case,
    general_case,
    hold_hearing,
    inspection_case,
    investigate,
    notify_and_schedule_hearing,
    propose,
    read_bytes,
    read_docx,
    review_and_decide,
    seizure_case,
    serve_pay_close,
)
from zhifa.cases.models import NumberCounter
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.documents import actions as doc_actions
from zhifa.documents.actions import do_generate_document
from zhifa.documents.models import GeneratedDocument
from zhifa.documents.types import SPECS

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(shared_cw, _calendar):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def gen(w, case, doc_type, user=None, **extra):
    return do_generate_document(case, doc_type, acting_user=user or w["u1"], extra=extra, pdf=False)


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


# ---- every type renders from a real case ----------------------------------------------------
def test_general_procedure_documents_along_the_case(cw):
    """立案审批表 → 询问笔录 → 现场检查笔录 → 事先告知书 → 听证通知书 → 听证笔录 → 决定书 → 送达回证 → 结案报告."""
    w = cw
    case = general_case(w)
    filing = gen(w, case, "filing_approval")
    text = read_docx(filing)
    assert "立案审批表" in text and "陈某某" in text and "12345热线转办" in text and "（批准立案后生成）" in text
    assert filing.number == ""
    investigate(w, case)
    case.refresh_from_db()
    filing2 = gen(w, case, "filing_approval")
    assert filing2.number == case.number == "七市监立〔2026〕1号" and filing2.version == 2
    assert "同意立案" in read_docx(filing2)

    inquiry = gen(w, case, "inquiry_record", place="本局询问室", start="2026年3月4日9时00分",
                  qa=[{"q": "你是否销售过期饼干？", "a": "是的，共20袋。"}])
    text = read_docx(inquiry)
    assert "询问笔录" in text and "本局询问室" in text and "你是否销售过期饼干？" in text and "是的，共20袋。" in text
    for o in (w["h1"], w["h2"]):
        assert o.certificates.get().number in text

    insp = gen(w, case, "inspection_record", content="现场发现过期饼干20袋。")
    text = read_docx(insp)
    assert "现场检查笔录" in text and ADDRESS in text and "现场发现过期饼干20袋。" in text and insp.number == ""

    propose(w, case)
    notify_and_schedule_hearing(w, case)
    notice = gen(w, case, "penalty_notice", evidence=EVIDENCE, date="2026-04-01")  # else dated (numbered) today
    assert notice.number == "七市监罚告〔2026〕1号"
    hn = gen(w, case, "hearing_notice", hearing_time="上午9时30分", hearing_place="本局三楼听证室")
    text = read_docx(hn)
    assert hn.number == "七市监听通〔2026〕1号"
    assert "二〇二六年四月二十日上午9时30分" in text and "本局三楼听证室" in text and "杨三" in text
    assert "委托一至二人代理" in text and "申请回避" in text and "二〇二六年四月九日" in text

    hold_hearing(w, case)
    record = gen(w, case, "hearing_record", clerk="王五")
    text = read_docx(record)
    assert "听证笔录" in text and "本局三楼听证室" in text and "请求从轻处罚" in text and "王五" in text

    review_and_decide(w, case)
    case.refresh_from_db()
    decision = gen(w, case, "penalty_decision", evidence=EVIDENCE)
    assert decision.number == case.decision_number == "七市监罚决〔2026〕1号"
    text = read_docx(decision)
    assert "七市监罚告〔2026〕1号" in text  # the notice served is cited in the decision

    receipt = gen(w, case, "service_receipt")
    text = read_docx(receipt)
    assert "送达回证" in text and "《行政处罚决定书》七市监罚决〔2026〕1号" in text and ADDRESS in text

    serve_pay_close(w, case)
    case.refresh_from_db()
    closing = gen(w, case, "closing_report", opinion="罚款已缴清，建议结案。")
    text = read_docx(closing)
    assert "结案报告" in text and "七市监罚决〔2026〕1号" in text and "已缴人民币贰万元整" in text
    assert "罚款已缴清，建议结案。" in text
    made = set(GeneratedDocument.objects.filter(case=case).values_list("doc_type", flat=True))
    assert made == {s.code for s in SPECS.values() if "penalty_general" in s.kinds}


def test_seizure_documents(cw):
    w = cw
    case = seizure_case(w)
    decision = gen(w, case, "seizure_decision", place="当事人仓库")
    assert decision.number == case.number == "七市监强措〔2026〕1号"
    text = read_docx(decision)
    for needle in ("扣押决定书", "某某食品有限公司", ADDRESS, "当事人经营场所存放超过保质期的奶粉",  # party, reason
                   "《中华人民共和国食品安全法》第一百一十条第（二）项",  # basis
                   "过期奶粉", "20罐", "扣押期限为30日", "二〇二六年三月五日", "二〇二六年四月七日",  # items, period (4/4 清明 → 4/7)
                   "申请行政复议", "六十日内", "六个月内", "提起行政诉讼",  # remedies (行政强制法 Art. 24)
                   "七星关区市场监督管理局", "（印  章）"):
        assert needle in text, needle
    listing = gen(w, case, "seizure_list")
    text = read_docx(listing)
    assert "扣押清单" in text and "过期奶粉" in text and "900g/罐" in text and "一式二份" in text
    assert listing.number == ""
    receipt = gen(w, case, "service_receipt")
    assert "《查封扣押决定书》七市监强措〔2026〕1号" in read_docx(receipt)
    refused("documents.not_applicable", gen, w, case, "penalty_decision")


def test_inspection_documents(cw):
    w = cw
    insp = inspection_case(w)
    record = gen(w, insp, "inspection_record", present_person="周某", present_position="店长")
    assert record.number == insp.number == "七市监检〔2026〕1号"
    text = read_docx(record)
    assert "经营场所卫生状况良好" in text and "周某" in text and "店长" in text
    assert "询问笔录" in read_docx(gen(w, insp, "inquiry_record", place="当事人经营场所"))


# ---- the decision letter: the six items of Art. 59 --------------------------------------------
def test_decision_contains_the_six_items_of_article_59(cw):
    w = cw
    case = decided_case(w)
    doc = gen(w, case, "penalty_decision", evidence=EVIDENCE)
    text = read_docx(doc)
    # (一) party name and address
    assert "陈某某" in text and ADDRESS in text
    # (二) facts and evidence
    assert FACTS in text and "现场检查笔录" in text and "涉案食品照片" in text
    # (三) kind of penalty and its basis
    assert "警告" in text and "罚款人民币贰万元整（¥20,000.00）" in text and BASIS in text
    # (四) manner and deadline of performance
    assert "十五日内" in text and "电子支付系统" in text and "百分之三加处罚款" in text
    # (五) review and litigation: channels and deadlines
    assert "六十日内向七星关区人民政府申请行政复议" in text
    assert "六个月内依法向七星关区人民法院提起行政诉讼" in text
    # (六) the agency's name and the date of the decision, with the seal
    assert "七星关区市场监督管理局" in text and "二〇二六年四月二十三日" in text and "（印  章）" in text
    assert "七市监罚决〔2026〕1号" in text
    # the hearing held and the notice served are recorded
    assert "依法举行了听证" in text


def test_remedy_channel_of_the_entity_is_used(cw):
    w = cw
    from zhifa.orgs.actions import do_update_entity

    do_update_entity(w["smj"], {"remedy_channel": "毕节市人民政府行政复议窗口（毕节市七星关区xx路）"},
                     acting_user=factories.system_admin())
    case = decided_case(w)
    text = read_docx(gen(w, case, "penalty_decision", evidence=EVIDENCE))
    assert "毕节市人民政府行政复议窗口" in text and "六十日内" in text


def test_notice_contains_facts_basis_penalty_and_rights_with_hearing(cw):
    w = cw
    case = general_case(w)
    investigate(w, case)
    propose(w, case)  # 20 000 yuan ≥ 10 000: hearing rights
    notice = gen(w, case, "penalty_notice", evidence=EVIDENCE, reason="当事人系初次违法，依法从轻处罚。")
    text = read_docx(notice)
    assert FACTS in text and BASIS in text and "当事人系初次违法" in text
    assert "罚款人民币贰万元整（¥20,000.00）" in text and "拟对你作出如下行政处罚" in text
    assert "陈述、申辩的权利" in text and "五个工作日内" in text
    assert "有权要求举行听证" in text
    # Once served, the deadline date itself is printed: 4/2 + 5 working days (清明 4/4–4/6) = 4/10.
    from tests.documents.helpers import v
    from zhifa.cases import actions as case_actions

    case_actions.do_serve_notice(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 2))
    again = gen(w, case, "penalty_notice")
    assert again.version == 2 and again.number == notice.number
    text = read_docx(again)
    assert "（即二〇二六年四月十日前）" in text and "现场检查笔录" in text  # evidence carried over


def test_notice_without_hearing_rights_when_not_applicable(cw):
    w = cw
    case = general_case(w)
    investigate(w, case)
    propose(w, case, fine="500")
    text = read_docx(gen(w, case, "penalty_notice"))
    assert "陈述、申辩的权利" in text and "听证" not in text


# ---- refusals: missing data, wrong state, scope ---------------------------------------------
def test_decision_refused_without_party_address_and_leaves_nothing(cw):
    w = cw
    case = decided_case(w, address="")
    counters = list(NumberCounter.objects.values_list("doc_type", "last"))
    logs = ChangeLog.objects.count()
    e = refused("documents.missing_data", gen, w, case, "penalty_decision")
    assert "当事人“陈某某”的地址" in e.message and "证据" in e.message
    assert not GeneratedDocument.objects.exists()
    assert list(NumberCounter.objects.values_list("doc_type", "last")) == counters
    assert ChangeLog.objects.count() == logs


def test_decision_refused_before_the_decision(cw):
    w = cw
    case = general_case(w)
    investigate(w, case)
    propose(w, case)
    e = refused("documents.missing_data", gen, w, case, "penalty_decision", evidence=EVIDENCE)
    assert "行政处罚决定" in e.message


def test_notice_refused_without_facts_or_proposal(cw):
    w = cw
    case = factories.case(w, party=factories.person_party(address=ADDRESS))
    investigate(w, case)
    e = refused("documents.missing_data", gen, w, case, "penalty_notice")
    assert "违法事实" in e.message and "拟处理意见" in e.message and "拟作出的行政处罚" in e.message
    assert "法律依据" not in e.message  # the power item supplies 《食品安全法》第一百二十四条
    assert not NumberCounter.objects.filter(doc_type="notice").exists()


def test_hearing_notice_needs_time_and_place(cw):
    w = cw
    case = general_case(w)
    investigate(w, case)
    propose(w, case)
    notify_and_schedule_hearing(w, case)
    e = refused("documents.missing_data", gen, w, case, "hearing_notice")
    assert "听证开始时间" in e.message and "听证地点" in e.message


def test_records_need_two_officers_with_certificates(cw):
    w = cw
    case = general_case(w)
    from zhifa.cases.models import CaseOfficer

    CaseOfficer.objects.filter(case=case, officer=w["h2"]).update(active=False)
    e = refused("documents.missing_data", gen, w, case, "inquiry_record", place="询问室")
    assert "两名以上执法人员" in e.message


def test_unknown_type_and_wrong_kind(cw):
    w = cw
    case = general_case(w)
    refused("documents.unknown_type", gen, w, case, "no_such_document")
    refused("documents.not_applicable", gen, w, case, "seizure_list")


def test_out_of_scope_user_cannot_generate(cw):
    w = cw
    case = general_case(w)
    other = factories.certified_officer(w["df"], None, "外县人员", login_role="officer").user
    refused("scope", gen, w, case, "filing_approval", user=other)
    refused("documents.not_handler", gen, w, case, "filing_approval", user=w["sup_city"])  # supervisors only view
    not_handler = factories.certified_officer(w["smj"], w["smj_unit"], "非承办人", login_role="officer").user
    refused("documents.not_handler", gen, w, case, "filing_approval", user=not_handler)
    assert gen(w, case, "filing_approval", user=w["unit_head"]).version == 1  # change scope on the case
    assert not GeneratedDocument.objects.filter(generated_by__in=[other, not_handler]).exists()


# ---- versions ---------------------------------------------------------------------------------
def test_regenerating_keeps_the_old_version(cw):
    w = cw
    case = decided_case(w)
    v1 = gen(w, case, "penalty_decision", evidence=EVIDENCE)
    v1_bytes = read_bytes(v1.docx_path)
    assert hashlib.sha256(v1_bytes).hexdigest() == v1.docx_sha256
    v2 = gen(w, case, "penalty_decision", evidence=EVIDENCE + "\n当事人营业执照复印件")
    assert (v1.version, v2.version) == (1, 2) and v2.number == v1.number
    assert v2.docx_path != v1.docx_path and v2.docx_sha256 != v1.docx_sha256
    assert read_bytes(v1.docx_path) == v1_bytes  # the old file is untouched
    assert "当事人营业执照复印件" in read_docx(v2) and "当事人营业执照复印件" not in read_docx(v1)
    assert GeneratedDocument.objects.filter(case=case, doc_type="penalty_decision").count() == 2
    v3 = gen(w, case, "penalty_decision")  # what was filled in carries over
    assert "当事人营业执照复印件" in read_docx(v3) and v3.extra == v2.extra
    assert v3.context["doc"]["version"] == 3 and v3.context["party"]["name"] == "陈某某"
    log = ChangeLog.objects.filter(content_type__model="generateddocument", object_id=str(v2.pk))
    assert log.filter(action="create", reason__contains="行政处罚决定书第2版").exists()


def test_template_version_recorded(cw):
    w = cw
    case = general_case(w)
    doc = gen(w, case, "filing_approval")
    assert doc.template.is_builtin and doc.template_version == doc.template.version == 1
    assert doc.template.doc_type == "filing_approval" and doc.template.entity is None


# ---- PDF ------------------------------------------------------------------------------------
def test_pdf_unavailable_without_soffice(cw, monkeypatch):
    w = cw
    monkeypatch.setattr("zhifa.documents.render.soffice_path", lambda: None)
    case = general_case(w)
    doc = do_generate_document(case, "filing_approval", acting_user=w["u1"])
    assert doc.pdf_status == "unavailable" and "LibreOffice" in doc.pdf_error and doc.pdf_path == ""
    assert doc.docx_sha256 and read_bytes(doc.docx_path).startswith(b"PK")


def _soffice():
    from zhifa.documents.render import soffice_path

    return soffice_path()


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_pdf_is_a_real_pdf_with_the_cjk_font_embedded(cw):
    w = cw
    case = decided_case(w)
    doc = do_generate_document(case, "penalty_decision", acting_user=w["u1"], extra={"evidence": EVIDENCE})
    assert doc.pdf_status == "ready", doc.pdf_error
    pdf = read_bytes(doc.pdf_path)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    assert hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256 and doc.pdf_size == len(pdf)
    assert b"NotoSerifCJK" in pdf or b"NotoSansCJK" in pdf
    import shutil
    import subprocess
    import tempfile

    if shutil.which("pdffonts"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
            fh.write(pdf)
            fh.flush()
            fonts = subprocess.run(["pdffonts", fh.name], capture_output=True, text=True, check=True).stdout
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert cjk and all(" yes " in line for line in cjk), fonts  # embedded


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_concurrent_conversions_do_not_collide():
    from concurrent.futures import ThreadPoolExecutor

    from zhifa.documents.context import sample_context
    from zhifa.documents.render import convert_pdf, render_docx

    docx = render_docx(SPECS["service_receipt"].default_file.read_bytes(), sample_context("service_receipt"))
    with ThreadPoolExecutor(3) as pool:
        pdfs = list(pool.map(lambda _i: convert_pdf(docx), range(3)))
    assert all(p.startswith(b"%PDF-") for p in pdfs)


def test_preview_missing_lists_without_writing(cw):
    w = cw
    case = general_case(w)
    assert doc_actions.preview_missing(case, "penalty_decision")
    assert doc_actions.preview_missing(case, "filing_approval") == []
    assert not GeneratedDocument.objects.exists()


def test_pdf_timeout_and_failure_are_recorded_not_raised(cw, monkeypatch, tmp_path):
    """A hanging or failing converter leaves the .docx and a reason, never an exception."""
    w = cw
    hang = tmp_path / "soffice-hang"
    hang.write_text("#!/bin/sh\nsleep 30\n")
    hang.chmod(0o755)
    fail = tmp_path / "soffice-fail"
    fail.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    fail.chmod(0o755)
    case = general_case(w)
    monkeypatch.setattr("zhifa.documents.render.SOFFICE_TIMEOUT", 1)
    monkeypatch.setenv("ZHIFA_SOFFICE", str(hang))
    doc = do_generate_document(case, "filing_approval", acting_user=w["u1"])
    assert doc.pdf_status == "unavailable" and "超时" in doc.pdf_error
    monkeypatch.setenv("ZHIFA_SOFFICE", str(fail))
    doc = doc_actions.do_render_pdf(doc, acting_user=w["u1"])
    assert doc.pdf_status == "unavailable" and "退出码3" in doc.pdf_error and "boom" in doc.pdf_error
    assert ChangeLog.objects.filter(content_type__model="generateddocument", object_id=str(doc.pk),
                                    reason__startswith="PDF未生成").count() == 2


def test_access_code_printed_on_the_decision_and_the_notice_never_published(cw):
    """The portal asks for the 查询码 "见文书": the 决定书 and the 告知书 print it; the public text of
    the decision does not."""
    from zhifa.disclosure.pipeline import access_code, access_code_matches

    w = cw
    case = decided_case(w)
    code = access_code(case)
    assert access_code_matches(case, code)
    text = read_docx(gen(w, case, "penalty_decision", evidence=EVIDENCE))
    assert f"查询码{code}" in text and case.number in text
    notice = read_docx(gen(w, case, "penalty_notice", evidence=EVIDENCE))
    assert f"查询码{code}" in notice
    pub = case.publication
    assert code not in pub.public_body and code not in pub.source_text


def test_decision_evidence_defaults_from_the_latest_notice(cw, client):
    """Issue 18: the 决定书 no longer refuses "缺少：证据" when the 告知书 lists the evidence, and the
    form says it filled them in from the 告知书."""
    from django.urls import reverse

    w = cw
    case = decided_case(w)
    gen(w, case, "penalty_notice", evidence="旧证据", date="2026-04-01")
    gen(w, case, "penalty_notice", evidence=EVIDENCE, date="2026-04-01")  # the latest version counts
    decision = gen(w, case, "penalty_decision")
    assert decision.context["evidence"] == [ln for ln in EVIDENCE.splitlines() if ln.strip()]
    assert "evidence" not in decision.extra  # a default, not a value the user typed
    client.force_login(w["u1"])
    html = client.get(reverse("documents-case", args=[case.pk])).content.decode()
    assert "已按事先告知书第2版所列证据填入" in html


def test_decision_without_notice_evidence_still_needs_evidence(cw):
    w = cw
    case = decided_case(w)
    e = refused("documents.missing_data", gen, w, case, "penalty_decision")
    assert "证据" in e.message

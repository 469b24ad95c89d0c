"""Cases in the states documents are made in, built through the case core's actions."""
import datetime as dt
import io

from tests import factories
from zhifa.cases import actions as case_actions

ADDRESS = "贵州省毕节市七星关区洪山街道1号"
FACTS = "2026年2月1日，当事人在其经营场所销售超过保质期的预包装食品“某某牌饼干”20袋。"
BASIS = "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项"
EVIDENCE = "现场检查笔录\n询问笔录\n涉案食品照片"


def v(case):
    case.refresh_from_db()
    return case.version


def general_case(w, *, address=ADDRESS, party=None):
    """Registered general-procedure case (facts and basis filled)."""
    party = party or factories.person_party("陈某某", address=address, phone="13800000000")
    return factories.case(w, party=party, facts=FACTS, legal_basis=BASIS, source_detail="12345热线转办")


def investigate(w, case):
    """registered → filed (numbered) → investigating."""
    case_actions.do_file_case(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 3, 2))
    case_actions.do_approve_filing(case, acting_user=w["unit_head"], expected_version=v(case), on=dt.date(2026, 3, 3),
                        reason="同意立案")
    case_actions.do_start_investigation(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 3, 4))
    return case


def propose(w, case, *, fine="20000", kinds=("warning", "fine")):
    case_actions.do_propose(case, penalty_kinds=list(kinds), fine_amount=fine, acting_user=w["u1"], expected_version=v(case),
                 on=dt.date(2026, 4, 1))
    return case


def notify_and_schedule_hearing(w, case):
    """Notice served 4/2 (20 000 yuan: hearing rights), hearing requested 4/8, scheduled 4/20."""
    case_actions.do_serve_notice(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 2))
    case_actions.do_request_hearing(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 8))
    case_actions.do_schedule_hearing(case, hearing_on=dt.date(2026, 4, 20), chair=w["h3"], acting_user=w["u1"],
                          expected_version=v(case), on=dt.date(2026, 4, 9))
    return case


def hold_hearing(w, case):
    case_actions.do_hold_hearing(case, record="当事人对违法事实无异议，请求从轻处罚。", acting_user=w["u3"],
                      expected_version=v(case), on=dt.date(2026, 4, 20))
    return case


def review_and_decide(w, case):
    case_actions.do_submit_legal_review(case, reviewer=w["rev"], acting_user=w["u1"], expected_version=v(case),
                             on=dt.date(2026, 4, 21))
    case_actions.do_record_legal_review(case, outcome="agree", opinion="事实清楚，证据确凿，程序合法", acting_user=w["rev"],
                             expected_version=v(case), on=dt.date(2026, 4, 22))
    case_actions.do_decide(case, acting_user=w["head"], expected_version=v(case), on=dt.date(2026, 4, 23))
    return case


def serve_pay_close(w, case):
    case_actions.do_serve_decision(case, acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 4, 24))
    case_actions.do_record_payment(case, amount="20000", acting_user=w["u1"], expected_version=v(case), on=dt.date(2026, 5, 8))
    case_actions.do_close(case, acting_user=w["unit_head"], expected_version=v(case), on=dt.date(2026, 5, 11))
    return case


def decided_case(w, **kw):
    case = general_case(w, **kw)
    for step in (investigate, propose, notify_and_schedule_hearing, hold_hearing, review_and_decide):
        step(w, case)
    case.refresh_from_db()
    return case


def seizure_case(w):
    case = case_actions.do_seize({"entity": w["smj"], "unit": w["smj_unit"], "title": "扣押涉嫌过期食品",
                       "facts": "当事人经营场所存放超过保质期的奶粉，涉嫌违反食品安全法。",
                       "legal_basis": "《中华人民共和国食品安全法》第一百一十条第（二）项"},
                      measure="seize", items=[{"name": "过期奶粉", "spec": "900g/罐", "qty": 20, "unit": "罐"}],
                      party=factories.org_party(address=ADDRESS),
                      officers=[(w["h1"], "lead"), (w["h2"], "assist")], acting_user=w["u1"], on=dt.date(2026, 3, 5))
    return case_actions.do_approve_seizure(case, acting_user=w["head"], expected_version=case.version,
                                           on=dt.date(2026, 3, 5))


def inspection_case(w):
    insp = case_actions.do_plan_inspection({"entity": w["smj"], "unit": w["smj_unit"], "title": "食品经营日常检查"},
                                parties=[factories.org_party(address=ADDRESS)],
                                officers=[(w["h1"], "lead"), (w["h2"], "assist")], acting_user=w["unit_head"],
                                on=dt.date(2026, 3, 2))
    case_actions.do_start_inspection(insp, acting_user=w["u1"], expected_version=v(insp), on=dt.date(2026, 3, 3))
    case_actions.do_record_inspection_result(insp, result="经营场所卫生状况良好，进货查验记录完整。", problems_found=False,
                                  acting_user=w["u1"], expected_version=v(insp), on=dt.date(2026, 3, 3))
    return insp


def read_docx(doc) -> str:
    from zhifa.documents.models import storage
    from zhifa.documents.render import docx_text

    with storage().open(doc.docx_path, "rb") as fh:
        return docx_text(fh.read())


def read_bytes(path) -> bytes:
    from zhifa.documents.models import storage

    with storage().open(path, "rb") as fh:
        return fh.read()


def docx_bytes(text_paragraphs) -> bytes:
    """A minimal real .docx with the given paragraphs (template upload tests)."""
    import docx

    d = docx.Document()
    for p in text_paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()

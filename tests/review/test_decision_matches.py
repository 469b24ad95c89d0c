"""Issue 18: the decision is tied to the packet the legal reviewer agreed (decision.matches_review),
the decision form starts from it, the packet prefill never doubles the confiscation amount, and
the 法制审核意见书's PDF goes to the worker."""
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.cases.helpers import v
from tests.review.helpers import DECIDE_ON, footprint, major_case, refused, review, submit
from zhifa.cases import actions as case_actions
from zhifa.review.catalogue import draft_decision_text
from zhifa.review.models import Packet


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def _decide(cw, case, **penalty):
    return case_actions.do_decide(case, acting_user=cw["head"], expected_version=v(case), on=DECIDE_ON, **penalty)


def _agreed(cw, **penalty):
    case = major_case(cw, **penalty)
    submit(cw, case)
    review(cw, case, "agree")
    return case


def test_packet_records_the_penalty_it_proposes(cw):
    case = _agreed(cw)
    assert Packet.objects.get(case=case).penalty == {
        "penalty_kinds": ["warning", "fine"], "fine_amount": "5000.00", "confiscation_amount": "",
        "no_penalty": False}


@pytest.mark.parametrize("penalty,words", [
    ({"penalty_kinds": ["warning", "fine", "confiscate_property"], "fine_amount": "5000"}, "增加了没收非法财物"),
    ({"penalty_kinds": ["warning", "fine"], "fine_amount": "6000"}, "罚款金额由¥5,000.00提高为¥6,000.00"),
    ({"penalty_kinds": ["warning", "fine"], "fine_amount": "4000"}, "罚款金额由¥5,000.00降低为¥4,000.00"),
    ({"penalty_kinds": ["fine"], "fine_amount": "5000"}, "去掉了警告"),
])
def test_a_decision_differing_from_the_agreed_packet_is_refused_with_the_diff(cw, penalty, words):
    case = _agreed(cw)
    before = footprint(case)
    e = refused("decision.matches_review", _decide, cw, case, **penalty)
    assert words in e.message and "送审材料第1版" in e.message and "送审材料：警告、罚款5000.00元" in e.message
    assert e.field == "penalty_kinds" and footprint(case) == before


def test_the_agreed_decision_goes_through(cw):
    case = _agreed(cw)
    _decide(cw, case, penalty_kinds=["warning", "fine"], fine_amount=Decimal("5000"))
    assert case.state == "decided" and case.fine_amount == Decimal("5000")


def test_decision_form_starts_from_the_agreed_packet_and_shows_the_diff_on_refusal(cw, client):
    case = _agreed(cw)
    # The case's proposal later says something else (a stale form): the form still shows what was agreed.
    from zhifa.cases.models import Case

    Case.objects.filter(pk=case.pk).update(penalty_kinds=["warning", "fine", "confiscate_property"])
    Case.objects.filter(pk=case.pk).update(penalty_kinds=["warning", "fine"])
    client.force_login(cw["head"])
    url = reverse("cases-action", args=[case.pk, "decide"])
    html = client.get(url).content.decode()
    assert "已按法制审核同意的送审材料第1版填入：警告、罚款5000.00元" in html
    assert 'value="confiscate_property" checked' not in html and 'value="confiscate_property"' in html
    assert 'value="fine" checked' in html or 'checked value="fine"' in html or "checked" in html
    resp = client.post(url, {"decide-version": v(case), "decide-on": DECIDE_ON.isoformat(),
                             "decide-penalty_kinds": ["warning", "fine", "confiscate_property"],
                             "decide-fine_amount": "5000"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "增加了没收非法财物" in html and "本次决定：警告、罚款5000.00元、没收非法财物" in html


def test_packet_prefill_puts_the_confiscation_amount_on_gains_only():
    from types import SimpleNamespace

    both = SimpleNamespace(no_penalty=False, penalty_kinds=["fine", "confiscate_gains", "confiscate_property"],
                           fine_amount=Decimal("5000"), confiscation_amount=Decimal("800"))
    text = draft_decision_text(both)
    assert text == "拟给予罚款5000元、没收违法所得800元、没收非法财物" and text.count("800") == 1
    only_property = SimpleNamespace(no_penalty=False, penalty_kinds=["confiscate_property"], fine_amount=None,
                                    confiscation_amount=Decimal("300"))
    assert draft_decision_text(only_property) == "拟给予没收非法财物300元"


def test_the_opinion_pdf_is_queued_for_the_worker(cw, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from zhifa.documents.models import GeneratedDocument
    from zhifa.documents.tasks import render_document_pdf_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    case = major_case(cw)
    submit(cw, case)
    with django_capture_on_commit_callbacks(execute=True):
        review(cw, case, "agree")
    doc = GeneratedDocument.objects.get(case=case, doc_type="legal_review_opinion")
    queued = DBTaskResult.objects.filter(task_path=render_document_pdf_task.module_path, status="READY")
    assert doc.pdf_status == "pending" and queued.count() == 1 and queued.get().args_kwargs["args"][0] == doc.pk

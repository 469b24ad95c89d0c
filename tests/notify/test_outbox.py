"""The outbox: 站内提醒 at once, e-mail through a real SMTP server on 127.0.0.1, SMS through the file
provider; every try logged; a bounce recorded and never retried; a temporary failure retried with
backoff; a message never sent twice."""
import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine

from tests.notify.helpers import smtp_server
from zhifa.notify.actions.preferences import do_save_preferences
from zhifa.notify.models import Attempt, Message
from zhifa.notify.outbox import backoff, deliver, deliver_due, post, post_to
from zhifa.review.models import Notice

NOW = dt.datetime(2026, 5, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def cw(shared_cw):
    return shared_cw


@pytest.fixture
def smtp(settings):
    with smtp_server(settings) as handler:
        yield handler


def test_staff_get_the_notice_at_once_and_the_mail_through_smtp_once(cw, smtp, django_capture_on_commit_callbacks):
    u = cw["u1"]
    do_save_preferences(u, acting_user=u, email="officer1@example.cn", channels={"review.result": ["email"]})
    with django_capture_on_commit_callbacks() as queued:
        made = post([u], "review.result", "案件“某某”法制审核意见：同意")
    assert len(queued) == 1  # the worker is asked after commit
    assert Notice.objects.filter(user=u, text__contains="法制审核意见").exists()
    mail = next(m for m in made if m.channel == "email")
    assert mail.state == "queued" and mail.address == "officer1@example.cn"
    assert deliver(mail.pk) == "sent"
    assert deliver(mail.pk) == "sent"  # a second run of the task sends nothing
    got = smtp.decoded()
    assert len(got) == 1 and got[0]["to"] == ["officer1@example.cn"]
    assert "法制审核意见" in got[0]["subject"] and "同意" in got[0]["body"]
    assert list(Attempt.objects.filter(message=mail).values_list("outcome", flat=True)) == ["sent"]


def test_a_bounce_is_recorded_and_never_retried(cw, smtp):
    m = post_to("email", "nobody-bounce@example.cn", "complaint.answer", "已答复", name="投诉人")
    assert deliver(m.pk) == "bounced"
    m.refresh_from_db()
    assert "退信" in m.last_error and "550" in m.last_error and m.attempts == 1
    assert deliver(m.pk) == "bounced" and deliver_due() == {}
    assert smtp.messages == [] and Attempt.objects.filter(message=m, outcome="bounced").count() == 1


def test_a_temporary_failure_is_retried_with_backoff_then_given_up(cw, smtp, settings):
    m = post_to("email", "busy@example.cn", "complaint.answer", "已答复")
    with time_machine.travel(NOW, tick=False):
        assert deliver(m.pk) == "retry"
        m.refresh_from_db()
        assert m.next_attempt_at == NOW + backoff(1) and "451" in m.last_error
        assert deliver(m.pk) == "retry" and m.attempts == 1  # not before its time
    at = NOW
    for n in range(2, 6):
        at = at + backoff(n - 1)
        with time_machine.travel(at, tick=False):
            deliver_due()
    m.refresh_from_db()
    assert m.state == "failed" and m.attempts == 5
    assert list(Attempt.objects.filter(message=m).values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert backoff(2) == 4 * backoff(1)


def test_sms_through_the_file_provider_and_a_repeated_post_is_one_message(cw, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_SMS_PROVIDER = "zhifa.notify.providers.FileSmsProvider"
    a = post_to("sms", "13800001111", "complaint.answer", "您的投诉已答复", dedupe="complaint.answer:1")
    b = post_to("sms", "13800001111", "complaint.answer", "您的投诉已答复", dedupe="complaint.answer:1")
    assert a.pk == b.pk and deliver(a.pk) == "sent"
    line = json.loads((Path(tmp_path) / "sms" / "outbox.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["to"] == "13800001111" and "您的投诉已答复" in line["text"]


def test_production_without_a_gateway_fails_the_sms_with_the_reason(cw, settings):
    settings.ZHIFA_SMS_PROVIDER = "zhifa.notify.providers.NoSmsProvider"
    m = post_to("sms", "13800001111", "complaint.answer", "x")
    assert deliver(m.pk) == "failed"
    m.refresh_from_db()
    assert "未配置短信通道" in m.last_error


def test_deadline_warnings_go_once_per_deadline(cw):
    from tests.builders import case_at
    from zhifa.cases.models import Deadline
    from zhifa.notify.deadlines import deadline_notices

    case = case_at(cw, "investigating")
    dl = Deadline.objects.filter(case=case, state="running").order_by("due_on").first()
    day = dl.due_on - dt.timedelta(days=1)
    assert deadline_notices(day)["near"] >= 1
    assert deadline_notices(day)["near"] == 0
    assert Notice.objects.filter(case=case, text__contains="将于").count() >= 1
    assert deadline_notices(dl.due_on + dt.timedelta(days=2))["breached"] >= 1


def test_preferences_refuse_a_bad_address_naming_the_field(cw):
    from zhifa.common.actions import ActionRefused

    with pytest.raises(ActionRefused) as e:
        do_save_preferences(cw["u1"], acting_user=cw["u1"], mobile="12345")
    assert e.value.rule == "notify.address_valid" and e.value.field == "mobile"
    with pytest.raises(ActionRefused) as e:
        do_save_preferences(cw["u1"], acting_user=cw["u2"], email="a@b.cn")
    assert e.value.rule == "scope"


def test_review_result_reaches_the_handler_through_the_outbox(cw):
    from tests.builders import case_at

    case = case_at(cw, "decided", review=True)
    events = set(Message.objects.filter(case=case, channel="inapp").values_list("event", flat=True))
    assert "review.submitted" in events
    assert Notice.objects.filter(case=case).count() == Message.objects.filter(case=case, channel="inapp").count()

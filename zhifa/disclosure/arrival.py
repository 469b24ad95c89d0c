"""到场 and 亮码入企 (issue 20, item 3).

An officer's 亮证码 may name the task the officer is at (zhifa.disclosure.cert_token.issue(task=…)).
The party's phone verifies it offline; once online, the check page sends the token to
/gs/xc/arrival/ (zhifa/disclosure/views/field.py) and do_log_officer_scan records the officers' arrival on the task — once per token
nonce. Each task also has a 亮码入企 QR (a signed reference to the task, task_ref): its public page
/gs/xc/t/<ref>/ shows the officers, the 检查通知 and a feedback form, and its first opening of a day
is logged as an arrival (do_log_task_page_open).
"""
from __future__ import annotations

import datetime as dt

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.ledger import log as ledger
from zhifa.records.field import CLOSED_STATES  # a task in one of these states has no officers on site
from zhifa.records.models import FieldArrival

SALT = "zhifa.records.task-qr"


def task_ref(case) -> str:
    """The signed, URL-safe reference to a task printed in its 亮码入企 QR."""
    return signing.dumps(case.pk, salt=SALT, compress=True)


def case_from_ref(ref: str):
    from zhifa.cases.models import Case

    try:
        pk = signing.loads(ref, salt=SALT)
    except signing.BadSignature:
        raise ActionRefused("field.task_qr_signature", "二维码无效：不是本平台为检查任务签发的亮码入企码", "ref") from None
    case = Case.objects.select_related("entity").filter(pk=pk).first()
    if case is None:
        raise ActionRefused("field.task_qr_signature", "二维码所指的检查任务不存在", "ref")
    return case


def _log(arrival: FieldArrival, *, acting_user, reason: str) -> FieldArrival:
    log_change(arrival, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(arrival), reason=reason)
    ledger.append("field.arrival", subject=arrival, actor=acting_user, case=arrival.case_id,
                  data={"source": arrival.source, "certificate_number": arrival.certificate_number,
                        "nonce": arrival.nonce,
                        "shown_at": arrival.shown_at.isoformat() if arrival.shown_at else None})
    return arrival


def do_log_officer_scan(token: str, *, acting_user=None, now: float | None = None) -> FieldArrival:
    """The party's scan of an officer's 亮证码 naming a task: the officers' arrival on it. A replayed
    token returns the arrival it logged (`replayed` set). Refuses: cert.qr_signature, cert.qr_expired
    (zhifa.disclosure.cert_token.verify), field.arrival_no_task (the code names no task: verified, not
    logged), field.arrival_not_handler (the certificate's officer is not on the task),
    field.arrival_closed (the task is finished)."""
    from zhifa.cases.models import Case
    from zhifa.cases.rules import handler_ids
    from zhifa.disclosure import cert_token
    from zhifa.orgs.models import Certificate

    payload = cert_token.verify(token, now=now)
    nonce = f"cert:{payload.get('n')}:{payload.get('nonce')}"
    done = FieldArrival.objects.filter(nonce=nonce).first()
    if done is not None:
        done.replayed = True
        return done
    if not payload.get("t"):
        raise ActionRefused("field.arrival_no_task", "该亮证码未关联检查任务，仅核验证件，不记录到场", "token")
    case = Case.objects.filter(pk=payload["t"]).first()
    cert = Certificate.objects.select_related("officer").filter(number=payload.get("n")).first()
    if case is None or cert is None or cert.officer_id not in handler_ids(case):
        raise ActionRefused("field.arrival_not_handler", "出示亮证码的执法人员不是该检查任务的承办人员", "token")
    if case.state in CLOSED_STATES:
        raise ActionRefused("field.arrival_closed", "该检查任务已结束，不再记录到场", "token")
    shown = dt.datetime.fromtimestamp(int(payload.get("iat", 0)), tz=dt.UTC)
    try:
        with transaction.atomic():
            arrival = FieldArrival.objects.create(case=case, officer=cert.officer, certificate_number=cert.number,
                                                  source=FieldArrival.Source.OFFICER_QR, nonce=nonce, shown_at=shown)
            return _log(arrival, acting_user=acting_user,
                        reason=f"当事人扫描{cert.officer.name}（执法证{cert.number}）的亮证码：到场")
    except IntegrityError:  # the same token reported twice at once
        done = FieldArrival.objects.get(nonce=nonce)
        done.replayed = True
        return done


def do_log_task_page_open(case, *, acting_user=None, on: dt.date | None = None) -> FieldArrival:
    """The 亮码入企 page of a task opened by the party: the first opening of the day is the arrival."""
    on = on or timezone.localdate()
    nonce = f"task:{case.pk}:{on.isoformat()}"
    done = FieldArrival.objects.filter(nonce=nonce).first()
    if done is not None:
        done.replayed = True
        return done
    if case.state in CLOSED_STATES:
        raise ActionRefused("field.arrival_closed", "该检查任务已结束，不再记录到场")
    try:
        with transaction.atomic():
            arrival = FieldArrival.objects.create(case=case, source=FieldArrival.Source.INSPECTION_QR, nonce=nonce)
            return _log(arrival, acting_user=acting_user, reason="当事人扫描亮码入企二维码：到场")
    except IntegrityError:
        done = FieldArrival.objects.get(nonce=nonce)
        done.replayed = True
        return done

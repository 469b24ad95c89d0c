"""咨询投诉: public submission with a tracking code and rate limiting; the entity's queue with a
due date (settings.ZHIFA_COMPLAINT_DAYS working days, default 15); the answer is shown to whoever
holds the tracking code.

Rate limit: settings.ZHIFA_COMPLAINT_RATE per client address per hour (default 5), counted in
Django's cache (per process with the default local-memory cache; configure a shared cache in
production)."""
from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, check_scope, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.disclosure.models import Complaint
from zhifa.disclosure.pipeline import due_after

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


def _rate_check(client: str):
    limit = int(getattr(settings, "ZHIFA_COMPLAINT_RATE", 5))
    key = f"zhifa:complaint-rate:{client}"
    count = cache.get(key, 0)
    if count >= limit:
        raise ActionRefused("complaint.rate_limited", "提交过于频繁，请一小时后再试", "content")
    cache.set(key, count + 1, 3600)


def do_submit_complaint(*, entity, kind: str, content: str, contact: str = "", client: str = "",
                        acting_user=None, on: dt.date | None = None) -> Complaint:
    content = (content or "").strip()
    if kind not in Complaint.Kind.values:
        raise ActionRefused("validation", "请选择咨询或投诉举报", "kind")
    if entity is None or not entity.is_active:
        raise ActionRefused("validation", "请选择执法部门", "entity")
    if not 10 <= len(content) <= 2000:
        raise ActionRefused("complaint.content", "内容应为10至2000字", "content")
    _rate_check(client or "-")
    on = on or timezone.localdate()
    due_on, _note = due_after(on, int(getattr(settings, "ZHIFA_COMPLAINT_DAYS", 15)))
    with transaction.atomic():
        c = Complaint.objects.create(entity=entity, kind=kind, content=content, contact=(contact or "").strip()[:100],
                                     tracking_code=new_code(), received_on=on, due_on=due_on)
        log_change(c, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(c), reason="公示平台提交")
    return c


def do_answer_complaint(c, *, acting_user, answer: str, on: dt.date | None = None) -> Complaint:
    answer = (answer or "").strip()
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=c.pk)
        check_scope(acting_user, c, "change")
        if c.state != Complaint.State.RECEIVED:
            raise ActionRefused("complaint.state", "该事项已答复", "answer")
        if len(answer) < 4:
            raise ActionRefused("complaint.answer", "请填写答复内容", "answer")
        before = snapshot(c)
        c.state, c.answer, c.answered_by = Complaint.State.ANSWERED, answer, acting_user
        c.answered_on = on or timezone.localdate()
        c.save()
        log_change(c, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(c), reason="答复")
    return c


def lookup(code: str) -> Complaint | None:
    code = (code or "").strip().upper()
    return Complaint.objects.select_related("entity").filter(tracking_code=code).first() if code else None


def client_of(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "-"

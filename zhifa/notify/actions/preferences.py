"""A staff user's notification preferences (their own only)."""
from __future__ import annotations

from django.db import transaction

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.notify.choices import EVENTS, STAFF_CHANNELS
from zhifa.notify.models import Preference
from zhifa.notify.outbox import EMAIL_RE, MOBILE_RE


@transaction.atomic
def do_save_preferences(user, *, acting_user, email: str = "", mobile: str = "", channels: dict | None = None
                        ) -> Preference:
    if acting_user is None or acting_user.pk != user.pk:
        raise ActionRefused("scope", "只能修改本人的通知设置")
    email, mobile = (email or "").strip(), (mobile or "").strip()
    if email and not EMAIL_RE.match(email):
        raise ActionRefused("notify.address_valid", "请填写有效的电子邮箱", "email")
    if mobile and not MOBILE_RE.match(mobile):
        raise ActionRefused("notify.address_valid", "请填写11位手机号码", "mobile")
    clean = {}
    for ev, chosen in (channels or {}).items():
        if ev not in EVENTS:
            raise ActionRefused("validation", f"未知的通知类别“{ev}”", "channels")
        bad = set(chosen) - set(STAFF_CHANNELS)
        if bad:
            raise ActionRefused("validation", f"未知的通知方式“{sorted(bad)[0]}”", "channels")
        clean[ev] = [c for c in STAFF_CHANNELS if c in chosen and c != "inapp"] or ["inapp"]
    pref, created = Preference.objects.select_for_update().get_or_create(user=user)
    before = None if created else snapshot(pref)
    pref.email, pref.mobile = email, mobile
    pref.channels = {**pref.channels, **clean}
    pref.save()
    log_change(pref, ChangeLog.Action.CREATE if created else ChangeLog.Action.UPDATE, acting_user=acting_user,
               before=before, after=snapshot(pref), reason="通知设置")
    return pref

"""The banner administrators and supervisors see while a year the legal calendar needs is missing."""
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from zhifa.common.roles import Role


def calendar_warning(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and (user.is_superuser or user.role in (Role.ADMIN, Role.SUPERVISOR))):
        return {}
    from zhifa.legalcal import pending

    warning = pending.calendar_warning()
    if not warning:
        return {}
    url = reverse("calendar-years")
    if user.is_superuser or user.role == Role.ADMIN:
        try:
            url = reverse("calendar-paste")
        except NoReverseMatch:
            url = reverse("calendar-year-create") + f"?year={warning['years'][-1]}"
    return {"calendar_warning": {**warning, "url": url}}

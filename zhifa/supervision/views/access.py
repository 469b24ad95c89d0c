"""Who may open the supervision pages (the records themselves are scoped by RestrictedManager)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhifa.common.roles import Role


def require_supervisor(request):
    u = request.user
    if not (u.is_superuser or u.role == Role.SUPERVISOR):
        raise PermissionDenied
    return u


def require_supervisor_or_admin(request):
    u = request.user
    if not (u.is_superuser or u.role in (Role.SUPERVISOR, Role.ADMIN)):
        raise PermissionDenied
    return u

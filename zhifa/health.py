"""/readyz: whether this instance can serve, check by check (JSON). 503 when the database is down;
a missing legal-calendar year is a warning (the product carries pending due dates, issue 13) and
reported so that monitoring pages an administrator before due dates pile up."""
from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone


def _database() -> dict:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return {"name": "database", "status": "ok"}
    except Exception as e:  # noqa: BLE001 - any failure means not ready
        return {"name": "database", "status": "fail", "detail": str(e).splitlines()[0][:200]}


def _calendar() -> dict:
    from zhifa.legalcal import pending

    today = timezone.localdate()
    missing = pending.missing_years(today)
    counts = pending.by_year()
    check = {"name": "legal_calendar", "status": "warn" if missing else "ok", "missing_years": missing,
             "pending_due_dates": counts}
    if missing:
        check["detail"] = f"{'、'.join(f'{y}年' for y in missing)}法定节假日安排尚未录入"
    return check


def readyz(request):
    checks = [_database()]
    if checks[0]["status"] == "ok":
        checks.append(_calendar())
    ok = all(c["status"] != "fail" for c in checks)
    status = "fail" if not ok else ("warn" if any(c["status"] == "warn" for c in checks) else "ok")
    return JsonResponse({"status": status, "checks": checks}, status=200 if ok else 503,
                        json_dumps_params={"ensure_ascii": False})

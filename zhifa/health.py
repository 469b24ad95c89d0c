"""/readyz: whether this installation can do its work, check by check (JSON; 503 when one fails).

fail (503): the database, the cache, the object store (when evidence is in S3), the background
worker (no heartbeat within ZHIFA_WORKER_STALE_SECONDS, or a ready task waiting longer than
ZHIFA_QUEUE_MAX_AGE_SECONDS). warn (200): the ledger's last signed tree head older than
ZHIFA_TREE_HEAD_MAX_AGE_HOURS while entries wait unsigned; a signed head no witness has co-signed
for longer than ZHIFA_WITNESS_MAX_AGE_HOURS (only when witness keys are registered); a legal-calendar year missing (this
year, or next year from 1 November — the product carries pending due dates, issue 13, but an
administrator must be paged before they pile up).

Load balancers route on /healthz (the process answers); monitoring pages on /readyz.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

Check = dict[str, Any]


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def _database() -> Check:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return {"name": "database", "status": "ok"}
    except Exception as e:  # noqa: BLE001 - any failure means not ready
        return {"name": "database", "status": "fail", "detail": _first_line(e)}


def _cache() -> Check:
    from django.core.cache import cache

    key, value = "zhifa:readyz", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        if cache.get(key) != value:
            return {"name": "cache", "status": "fail", "detail": "缓存写入后读不回"}
        return {"name": "cache", "status": "ok", "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}
    except Exception as e:  # noqa: BLE001
        return {"name": "cache", "status": "fail", "detail": _first_line(e)}


def _object_store() -> Check | None:
    if settings.ZHIFA_BLOB_BACKEND != "s3":
        return None
    try:
        import boto3
        from botocore.config import Config

        client = boto3.session.Session().client(
            "s3", endpoint_url=settings.ZHIFA_S3_ENDPOINT_URL or None,
            aws_access_key_id=settings.ZHIFA_S3_ACCESS_KEY or None,
            aws_secret_access_key=settings.ZHIFA_S3_SECRET_KEY or None, region_name=settings.ZHIFA_S3_REGION or None,
            config=Config(s3={"addressing_style": "path"}, connect_timeout=2, read_timeout=3,
                          retries={"max_attempts": 1}))
        client.head_bucket(Bucket=settings.ZHIFA_S3_BUCKET)
        return {"name": "object_store", "status": "ok", "bucket": settings.ZHIFA_S3_BUCKET}
    except Exception as e:  # noqa: BLE001
        return {"name": "object_store", "status": "fail", "detail": _first_line(e)}


def _worker() -> Check | None:
    from zhifa.ops import heartbeat, state

    if not state.database_tasks():
        return None
    stale = settings.ZHIFA_WORKER_STALE_SECONDS
    max_wait = settings.ZHIFA_QUEUE_MAX_AGE_SECONDS
    age = state.heartbeat_age(heartbeat.TASK_ROLES)
    q = state.queue()
    check: Check = {"name": "worker", "status": "ok", "heartbeat_age_seconds": None if age is None else round(age, 1),
                    "ready_tasks": q["ready"], "oldest_ready_age_seconds": round(q["oldest_ready_age"], 1)}
    if age is None or age > stale:
        check["status"] = "fail"
        check["detail"] = ("后台任务进程从未运行（zhifa scheduler --worker 或 zhifa db_worker）" if age is None
                           else f"后台任务进程已 {int(age)} 秒无心跳（上限 {stale} 秒）：检查 zhifa-worker 服务")
    elif q["oldest_ready_age"] > max_wait:
        check["status"] = "fail"
        check["detail"] = f"最早的待执行任务已等待 {int(q['oldest_ready_age'])} 秒（上限 {max_wait} 秒）：后台任务进程可能卡住"
    return check


def _ledger() -> Check:
    from zhifa.ops import state

    led = state.ledger()
    max_age = settings.ZHIFA_TREE_HEAD_MAX_AGE_HOURS * 3600
    check: Check = {"name": "ledger", "status": "ok", "entries": led["size"], "signed_size": led["signed_size"],
                    "signed_age_seconds": None if led["signed_age"] is None else round(led["signed_age"])}
    unsigned = led["size"] > led["signed_size"]
    if unsigned and (led["signed_age"] is None or led["signed_age"] > max_age):
        check["status"] = "warn"
        check["detail"] = (f"存证账本有 {led['size'] - led['signed_size']} 条未签名条目，最近一次签名树头"
                           + ("从未生成" if led["signed_age"] is None else f"已超过 {settings.ZHIFA_TREE_HEAD_MAX_AGE_HOURS} 小时")
                           + "：检查 zhifa ledger sign 定时任务")
    return check


def _witness() -> Check | None:
    from zhifa.witness.heads import witness_lag

    lag = witness_lag()
    if lag is None:
        return None
    max_age = settings.ZHIFA_WITNESS_MAX_AGE_HOURS * 3600
    age = lag["age_seconds"]
    check: Check = {"name": "witness", "status": "ok", "cosigned_size": lag["cosigned_size"],
                    "uncosigned_age_seconds": None if age is None else round(age)}
    if age is not None and max_age and age > max_age:
        check["status"] = "warn"
        check["detail"] = (f"签名树头 #{lag['oldest_uncosigned_head']} 已超过 {settings.ZHIFA_WITNESS_MAX_AGE_HOURS} 小时"
                           "没有见证方联署：请联系见证方检查其 zhifa witness check 定时任务")
    return check


def _calendar() -> Check:
    from zhifa.legalcal import pending

    today = timezone.localdate()
    missing = pending.missing_years(today)
    counts = pending.by_year()
    check: Check = {"name": "legal_calendar", "status": "warn" if missing else "ok", "missing_years": missing,
                    "pending_due_dates": counts}
    if missing:
        check["detail"] = f"{'、'.join(f'{y}年' for y in missing)}法定节假日安排尚未录入"
    return check


def _guarded(fn: Callable[[], Check | None]) -> Check | None:
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - a check that breaks is a failed check, never a 500
        return {"name": fn.__name__.strip("_"), "status": "fail", "detail": _first_line(e)}


def _replica() -> Check | None:
    """The streaming replica's replay lag (issue 23): warn, not fail — past the limit or unreachable,
    the portal reads the primary (zhifa/common/dbrouter.py)."""
    from zhifa.common import dbrouter

    if not dbrouter.replica_configured():
        return None
    st = dbrouter.replica_status(fresh=True)
    check: Check = {"name": "replica", "lag_seconds": st["lag_seconds"], "max_lag_seconds": st["max_lag_seconds"]}
    if not st["reachable"]:
        return check | {"status": "warn", "detail": f"只读副本不可达，读取改走主库：{st['detail']}"}
    if not st["usable"]:
        return check | {"status": "warn", "detail": f"只读副本延迟 {st['lag_seconds']} 秒，超过上限，读取改走主库"}
    return check | {"status": "ok"}


def checks() -> list[Check]:
    out = [_guarded(_database)]
    out.append(_guarded(_replica))
    out.append(_guarded(_cache))
    out.append(_guarded(_object_store))
    if out[0] and out[0]["status"] == "ok":
        out += [_guarded(_worker), _guarded(_ledger), _guarded(_witness), _guarded(_calendar)]
    return [c for c in out if c is not None]


def readyz(request: HttpRequest) -> JsonResponse:
    found = checks()
    ok = all(c["status"] != "fail" for c in found)
    status = "fail" if not ok else ("warn" if any(c["status"] == "warn" for c in found) else "ok")
    return JsonResponse({"status": status, "checks": found}, status=200 if ok else 503,
                        json_dumps_params={"ensure_ascii": False})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else (a database outage must not make the
    supervisor restart every app server)."""
    return JsonResponse({"ok": True})

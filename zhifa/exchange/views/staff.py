"""Staff pages /exchange/: the batches with their reconciliation (sent / accepted / rejected per table),
building a day's batch, a batch's rows (refused ones with their reasons), its files, importing the
acceptance file; the bank's payment notices. For the 系统管理员 and the 执法监督人员."""
from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.exchange.actions.batches import (
    do_build_batch,
    do_import_acceptance,
    files,
    may_run,
    reconciliation,
)
from zhifa.exchange.actions.imports import OPTIONAL, do_import_list, spec
from zhifa.exchange.choices import Feed
from zhifa.exchange.models import Batch, ListImport, PaymentNotice, Row


def _allowed(request) -> None:
    if not may_run(request.user):
        raise Http404


@login_required
def home(request, error=None, status=200):
    _allowed(request)
    batches = [(b, reconciliation(b)) for b in Batch.objects.all()[:30]]
    return render(request, "exchange/home.html", {
        "batches": batches, "error": error, "today": timezone.localdate(), "feeds": Feed.choices,
        "notices": PaymentNotice.objects.select_related("slip__case")[:30]}, status=status)


@login_required
@require_POST
def build(request):
    _allowed(request)
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        return home(request, error=ActionRefused("exchange.day", "数据日期：请填写YYYY-MM-DD格式的日期", "day"),
                    status=422)
    try:
        feed = request.POST.get("feed") or Feed.NATIONAL
        batch = do_build_batch(day, acting_user=request.user, feed=feed)
    except ActionRefused as e:
        return home(request, error=e, status=409)
    return redirect("exchange-batch", batch.pk)


@login_required
def batch_detail(request, pk, error=None, status=200):
    _allowed(request)
    batch = get_object_or_404(Batch, pk=pk)
    rows = batch.rows.select_related("entity").order_by("table", "id")
    return render(request, "exchange/batch.html", {
        "batch": batch, "recon": reconciliation(batch), "error": error, "files": sorted(files(batch)),
        "refused": [r for r in rows if r.state == Row.State.REFUSED],
        "rows": [r for r in rows if r.state != Row.State.REFUSED]}, status=status)


@login_required
def batch_file(request, pk, name):
    _allowed(request)
    batch = get_object_or_404(Batch, pk=pk)
    data = files(batch).get(name)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-{name}"'
    return response


@login_required
@require_POST
def accept(request, pk):
    _allowed(request)
    batch = get_object_or_404(Batch, pk=pk)
    upload = request.FILES.get("file")
    if upload is None or upload.size > 20 * 1024 * 1024:
        return batch_detail(request, pk, error=ActionRefused("exchange.acceptance", "回执文件：请选择不超过20MB的JSON文件",
                                                             "file"), status=422)
    try:
        do_import_acceptance(batch, upload.read(), acting_user=request.user)
    except ActionRefused as e:
        return batch_detail(request, pk, error=e, status=409)
    return redirect("exchange-batch", batch.pk)


# ---- 清单导入: upload → preview (nothing written) → confirm ---------------------------------------------------
# The previewed file waits in the cache under its digest (ZHIFA_CACHE_URL when several workers serve the site);
# the confirmation imports exactly the bytes that were previewed.
PREVIEW_SECONDS = 30 * 60
MAX_BYTES = 10 * 1024 * 1024


def _formats():
    return [(value, label, [(code, lbl, code in OPTIONAL[value]) for code, (lbl, _c) in spec(value).items()])
            for value, label in ListImport.Kind.choices]


def _import_page(request, *, result=None, error=None, token="", kind="", filename="", status=200):
    return render(request, "exchange/import.html", {
        "formats": _formats(), "kinds": ListImport.Kind.choices, "result": result, "error": error, "token": token,
        "kind": kind, "filename": filename, "imports": ListImport.objects.select_related("imported_by")[:20]},
        status=status)


def _cache_key(request, token: str) -> str:
    return f"exchange-import:{request.user.pk}:{token}"


@login_required
def import_list(request):
    _allowed(request)
    if request.method != "POST":
        return _import_page(request)
    kind = request.POST.get("kind", "")
    token = request.POST.get("import_token", "")
    if token:  # the confirmation of a preview
        stored = cache.get(_cache_key(request, token))
        if stored is None:
            return _import_page(request, kind=kind, status=409, error=ActionRefused(
                "exchange.import_file", "导入文件：预览已过期，请重新上传文件", "file"))
        data, filename, kind = stored
    else:
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_BYTES:
            return _import_page(request, kind=kind, status=422, error=ActionRefused(
                "exchange.import_file", "导入文件：请选择不超过10MB的CSV、Excel（.xlsx）或JSON文件", "file"))
        data, filename = upload.read(), upload.name
    preview = not token
    try:
        result = do_import_list(kind, data, filename, acting_user=request.user, preview=preview)
    except ActionRefused as e:
        return _import_page(request, kind=kind, error=e, status=422)
    if not result.ok:
        return _import_page(request, result=result, kind=kind, filename=filename, status=422)
    if preview:
        token = hashlib.sha256(data).hexdigest()
        cache.set(_cache_key(request, token), (data, filename, kind), PREVIEW_SECONDS)
        return _import_page(request, result=result, kind=kind, filename=filename, token=token)
    cache.delete(_cache_key(request, token))
    record = result.record
    assert record is not None
    messages.success(request, f"已导入{record.get_kind_display()}：新增{record.created}，更新{record.updated}，"
                              f"未变化{record.unchanged}，未匹配{record.skipped}")
    return redirect("exchange-import")

"""Staff pages /exchange/: the batches with their reconciliation (sent / accepted / rejected per table),
building a day's batch, a batch's rows (refused ones with their reasons), its files, importing the
acceptance file; the bank's payment notices. For the 系统管理员 and the 执法监督人员."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
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
from zhifa.exchange.models import Batch, PaymentNotice, Row


def _allowed(request) -> None:
    if not may_run(request.user):
        raise Http404


@login_required
def home(request, error=None, status=200):
    _allowed(request)
    batches = [(b, reconciliation(b)) for b in Batch.objects.all()[:30]]
    return render(request, "exchange/home.html", {
        "batches": batches, "error": error, "today": timezone.localdate(),
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
        batch = do_build_batch(day, acting_user=request.user)
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

"""Staff pages for Excel export / import, attached to a generic `Crud` list page.

`excel_urls(crud, spec)` gives the three routes (export, import page, template) and puts the
“导出Excel” / “导入” buttons on the crud's list page. Exports reuse `Crud.filtered`, i.e. the
list page's scope (always `restrict(user, "view")`), search and filters; imports need change
rights (`rule_for(model, user, "change")`) and call the app's import function, which writes
only through bulk actions.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from zhifa.common.crud import Crud
from zhifa.common.scope import rule_for
from zhifa.common.xlsx import (
    FILE_ROW,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    Column,
    ImportReport,
    quote,
    write_xlsx,
)

MAX_SHOWN_ERRORS = 1000


@dataclass
class ExcelSpec:
    title: str                                   # "执法人员", used in file names and headings
    columns: Sequence[Column]
    rows: Callable                               # f(filtered queryset, user) -> iterable of rows
    importer: Callable                           # f(file_obj, *, acting_user) -> ImportReport
    template: Callable                           # f(user) -> bytes of the template workbook
    notes: Sequence[str] = ()                    # remarks shown on the import page


def _require_change(crud: Crud, user):
    if rule_for(crud.model, user, "change") is None:
        raise PermissionDenied


def export_view(crud: Crud, spec: ExcelSpec):
    def view(request):
        qs = crud.filtered(request)  # restrict(user, "view") + search + filters
        filename = f"{spec.title}_{timezone.localdate():%Y%m%d}.xlsx"
        return write_xlsx(spec.columns, spec.rows(qs, request.user), filename=filename, sheet_title=spec.title)

    return login_required(view)


def template_view(crud: Crud, spec: ExcelSpec):
    def view(request):
        _require_change(crud, request.user)
        return FileResponse(io.BytesIO(spec.template(request.user)), as_attachment=True,
                            filename=f"{spec.title}导入模板.xlsx", content_type=XLSX_CONTENT_TYPE)

    return login_required(view)


def import_view(crud: Crud, spec: ExcelSpec):
    def view(request):
        _require_change(crud, request.user)
        ctx = {"crud": crud, "spec": spec, "max_rows": MAX_ROWS, "report": None}
        status = 200
        if request.method == "POST":
            report = ImportReport()
            upload = request.FILES.get("file")
            if upload is None:
                report.add(FILE_ROW, "", "请选择要导入的 Excel 文件")
            elif not upload.name.lower().endswith((".xlsx", ".xlsm")):
                report.add(FILE_ROW, "", f"只能导入 Excel（.xlsx）文件，“{quote(upload.name)}”不是 .xlsx 文件")
            else:
                report = spec.importer(upload, acting_user=request.user)
            ctx.update(report=report, filename=getattr(upload, "name", ""),
                       shown_errors=report.errors[:MAX_SHOWN_ERRORS],
                       hidden_errors=max(0, len(report.errors) - MAX_SHOWN_ERRORS))
            status = 200 if report.ok else 400
        return render(request, "excel/import.html", ctx, status=status)

    return login_required(view)


def excel_urls(crud: Crud, spec: ExcelSpec):
    """Routes <slug>/export.xlsx, <slug>/import/, <slug>/import/template.xlsx (list them before
    the crud's own patterns) and the list-page buttons."""
    crud.list_actions_template = "excel/_list_actions.html"
    return [
        path(f"{crud.slug}/export.xlsx", export_view(crud, spec), name=f"{crud.slug}-export"),
        path(f"{crud.slug}/import/", import_view(crud, spec), name=f"{crud.slug}-import"),
        path(f"{crud.slug}/import/template.xlsx", template_view(crud, spec), name=f"{crud.slug}-import-template"),
    ]

"""Staff pages of the disclosure app, mounted at /disclosure/. Public pages: urls_public.py."""
from django.urls import path

from zhifa.disclosure.views import annual_reports, complaints, credit_repair, directory, field, publications

urlpatterns = [
    path("field/case/<int:case_id>/task-qr.svg", field.task_qr, name="disclosure-field-task-qr"),
    path("field/case/<int:case_id>/task/", field.task_link, name="disclosure-field-task"),
    path("", publications.queue, name="disclosure-queue"),
    path("<int:pk>/", publications.detail, name="disclosure-detail"),
    path("certificates/<int:pk>/", directory.certificate_qr_page, name="disclosure-cert"),
    path("certificates/<int:pk>/qr.svg", directory.certificate_qr, name="disclosure-cert-qr"),
    path("certificates/<int:pk>/signed-qr.svg", directory.certificate_signed_qr, name="disclosure-cert-signed-qr"),
    # 咨询投诉
    path("complaints/", complaints.complaint_list, name="disclosure-complaints"),
    path("complaints/new/", complaints.complaint_new, name="complaint-new"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint-detail"),
    # 信用修复
    path("<int:pk>/repair/", credit_repair.request_repair, name="disclosure-repair-request"),
    path("repairs/<int:pk>/", credit_repair.decide_repair, name="disclosure-repair-decide"),
    # 年度行政执法统计年报
    path("reports/", annual_reports.staff_list, name="disclosure-reports"),
    path("reports/<int:pk>/", annual_reports.staff_detail, name="disclosure-report"),
    path("reports/<int:pk>/report.<str:fmt>", annual_reports.staff_download, name="disclosure-report-download"),
]

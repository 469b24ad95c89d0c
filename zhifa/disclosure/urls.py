from django.urls import include, path

from zhifa.disclosure import views_complaints as vc
from zhifa.disclosure import views_reports, views_staff

urlpatterns = [
    path("gs/", include("zhifa.disclosure.urls_public")),
    path("disclosure/", views_staff.queue, name="disclosure-queue"),
    path("disclosure/complaints/", vc.complaint_list, name="disclosure-complaints"),
    path("disclosure/complaints/new/", vc.complaint_new, name="complaint-new"),
    path("disclosure/complaints/<int:pk>/", vc.complaint_detail, name="complaint-detail"),
    path("disclosure/<int:pk>/", views_staff.detail, name="disclosure-detail"),
    path("disclosure/certificates/<int:pk>/", views_staff.certificate_qr_page, name="disclosure-cert"),
    path("disclosure/certificates/<int:pk>/qr.svg", views_staff.certificate_qr, name="disclosure-cert-qr"),
]

# 信用修复 (zhifa.disclosure.views_repair)
from zhifa.disclosure import views_repair as vr  # noqa: E402

urlpatterns += [
    path("disclosure/<int:pk>/repair/", vr.request_repair, name="disclosure-repair-request"),
    path("disclosure/repairs/<int:pk>/", vr.decide_repair, name="disclosure-repair-decide"),
    # 年度行政执法统计年报, staff side (zhifa.disclosure.views_reports)
    path("disclosure/reports/", views_reports.staff_list, name="disclosure-reports"),
    path("disclosure/reports/<int:pk>/", views_reports.staff_detail, name="disclosure-report"),
    path("disclosure/reports/<int:pk>/report.<str:fmt>", views_reports.staff_download,
         name="disclosure-report-download"),
]

from django.urls import include, path

from zhifa.disclosure import views_staff as v

urlpatterns = [
    path("gs/", include("zhifa.disclosure.urls_public")),
    path("disclosure/", v.queue, name="disclosure-queue"),
    path("disclosure/complaints/", v.complaint_queue, name="disclosure-complaints"),
    path("disclosure/<int:pk>/", v.detail, name="disclosure-detail"),
    path("disclosure/certificates/<int:pk>/", v.certificate_qr_page, name="disclosure-cert"),
    path("disclosure/certificates/<int:pk>/qr.svg", v.certificate_qr, name="disclosure-cert-qr"),
]

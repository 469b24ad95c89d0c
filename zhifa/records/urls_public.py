"""现场执法 on the public site (/gs/xc/), mounted by the portal (zhifa/portal): the arrival a verified
亮证码 reports and a task's 亮码入企 page."""
from django.urls import path

from zhifa.common.registry import PortalPages, portal_pages
from zhifa.records import views_public

urlpatterns = [
    path("arrival/", views_public.report_arrival, name="gs-field-arrival"),
    path("t/<str:ref>/", views_public.task_page, name="gs-field-task"),
]

portal_pages.register("records", PortalPages(prefix="xc/"), order=90, module=__name__)

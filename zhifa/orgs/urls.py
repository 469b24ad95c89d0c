from django.urls import path

from zhifa.common.excel_views import excel_urls
from zhifa.orgs.excel import OFFICER_EXCEL
from zhifa.orgs.views import CRUDS, certificate_status, officers

urlpatterns = [*excel_urls(officers, OFFICER_EXCEL), *(u for c in CRUDS for u in c.urls()),
               path("certificates/<int:pk>/status/", certificate_status, name="certificate-status")]

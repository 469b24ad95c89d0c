"""电子送达 on the public site (/gs/sd/<token>/), mounted by the portal (zhifa/portal); not in its navigation."""
from django.urls import path

from zhifa.common.registry import PortalPages, portal_pages
from zhifa.notify.views import public

urlpatterns = [
    path("<str:token>/", public.service_page, name="gs-eservice"),
    path("<str:token>/pdf/", public.service_pdf, name="gs-eservice-pdf"),
]

portal_pages.register("notify", PortalPages(prefix="sd/"), order=90, module=__name__)

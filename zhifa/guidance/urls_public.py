"""指导案例 on the public site (/gs/guidance/), mounted by the portal (zhifa/portal)."""
from django.urls import path

from zhifa.common.registry import PortalLink, PortalPages, portal_pages
from zhifa.guidance import views

urlpatterns = [
    path("", views.public_list, name="gs-guidance"),
    path("<int:pk>/", views.public_detail, name="gs-guidance-detail"),
]

portal_pages.register("guidance", PortalPages(prefix="guidance/", nav=(
    PortalLink("指导案例", "gs-guidance", "guidance", order=80),
)), order=10, module=__name__)

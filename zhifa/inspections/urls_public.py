"""双随机、一公开 on the public site (/gs/sjs/), mounted by the portal (zhifa/portal)."""
from django.urls import path

from zhifa.common.registry import PortalLink, PortalPages, portal_pages
from zhifa.inspections import views

urlpatterns = [
    path("", views.public_list, name="gs-inspections"),
    path("<int:pk>/", views.public_detail, name="gs-inspections-detail"),
    path("<int:pk>/kit/", views.public_kit, name="gs-inspections-kit"),
    path("data.<str:fmt>", views.public_data, name="gs-inspections-data"),
    path("<int:pk>/results.<str:fmt>", views.public_results, name="gs-inspections-results"),
]

portal_pages.register("inspections", PortalPages(prefix="sjs/", nav=(
    PortalLink("双随机", "gs-inspections", "inspections", order=75),
)), order=15, module=__name__)

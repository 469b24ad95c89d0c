"""The ledger's signed tree heads on the public site (/gs/ledger/), mounted by the portal."""
from django.urls import path

from zhifa.common.registry import PortalLink, PortalPages, portal_pages
from zhifa.witness import views

urlpatterns = [
    path("heads/", views.head_list, name="gs-ledger-heads"),
    path("heads.json", views.head_list_json, name="gs-ledger-heads-json"),
    path("heads/<int:pk>/", views.head_detail, name="gs-ledger-head"),
]

portal_pages.register("witness", PortalPages(prefix="ledger/", nav=(
    PortalLink("防篡改日志", "gs-ledger-heads", "ledger", order=110),
)), order=40, module=__name__)

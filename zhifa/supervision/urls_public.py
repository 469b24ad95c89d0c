"""The supervision app's public pages, mounted by the portal: the 社会监督员 personal feedback link
(/gs/jiandu/<token>/) and the justice bureaus' 行政执法协调监督权责清单 (/gs/jiandu-qingdan/)."""
from django.urls import path

from zhifa.common.registry import PortalLink, PortalPages, portal_pages
from zhifa.supervision.views import powerlist, social

urlpatterns = [
    path("jiandu-qingdan/", powerlist.public_powers, name="gs-jiandu-powers"),
    path("jiandu/<str:token>/", social.public_feedback, name="gs-social-feedback"),
]

portal_pages.register("supervision", PortalPages(prefix="", nav=(
    PortalLink("监督清单", "gs-jiandu-powers", "jiandu-powers", order=35),
)), order=30, module=__name__)

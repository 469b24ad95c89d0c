"""社会监督员 personal feedback link on the public site (/gs/jiandu/<token>/), mounted by the portal."""
from django.urls import path

from zhifa.common.registry import PortalPages, portal_pages
from zhifa.supervision.views import social

urlpatterns = [
    path("jiandu/<str:token>/", social.public_feedback, name="gs-social-feedback"),
]

portal_pages.register("supervision", PortalPages(prefix="", nav=()), order=30, module=__name__)

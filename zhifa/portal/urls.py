"""/gs/: the portal's home, then every app's `urls_public` module under its prefix, in registry order."""
from django.urls import include, path

from zhifa.common.registry import portal_pages
from zhifa.portal import views

urlpatterns = [
    path("", views.home, name="gs-home"),
    *[path(entry.value.prefix, include(entry.module)) for entry in portal_pages.entries()],
]

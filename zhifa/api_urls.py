from django.urls import path

from zhifa.api import api

urlpatterns = [path("", api.urls)]

from django.urls import path

from zhifa.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("故意出错：测试 500 的日志")


urlpatterns = [path("boom/", boom), *site]

from django.urls import path

from zhifa.dispatch import views

urlpatterns = [
    path("", views.desk, name="dispatch-desk"),
    path("new/", views.new, name="dispatch-new"),
    path("mine/", views.mine, name="dispatch-mine"),
    path("<int:pk>/", views.detail, name="dispatch-detail"),
]

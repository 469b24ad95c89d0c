from django.urls import path

from zhifa.guidance import views

urlpatterns = [
    path("", views.public_list, name="gs-guidance"),
    path("<int:pk>/", views.public_detail, name="gs-guidance-detail"),
]

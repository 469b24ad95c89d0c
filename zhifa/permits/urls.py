from django.urls import path

from zhifa.permits import views

urlpatterns = [
    path("", views.index, name="permits-index"),
    path("new/", views.new, name="permits-new"),
    path("<int:pk>/", views.detail, name="permits-detail"),
    path("case/<int:pk>/panel/", views.case_panel, name="permits-case-panel"),
    path("case/<int:pk>/name/", views.name_permit, name="permits-name"),
    path("target/panel/", views.target_panel, name="permits-target-panel"),
]

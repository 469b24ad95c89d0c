from django.urls import path

from zhifa.discretion import views

urlpatterns = [
    path("case/<int:pk>/", views.case_panel, name="discretion-case-panel"),
    path("case/<int:pk>/circumstances/", views.set_circumstances, name="discretion-circumstances"),
    path("laws/", views.laws, name="discretion-laws"),
    path("laws/<int:pk>/", views.law_detail, name="discretion-law"),
    path("norms/", views.norms, name="discretion-norms"),
    path("outliers/", views.outliers, name="discretion-outliers"),
]

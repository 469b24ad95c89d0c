from django.urls import path

from zhifa.transfers import views

urlpatterns = [
    path("", views.index, name="transfers-index"),
    path("<int:pk>/", views.transfer_detail, name="transfers-detail"),
    path("crime/new/", views.crime_new, name="transfers-crime-new"),
    path("crime/<int:pk>/", views.crime_detail, name="transfers-crime"),
    path("discipline/new/", views.discipline_new, name="transfers-discipline-new"),
    path("discipline/<int:pk>/", views.discipline_detail, name="transfers-discipline"),
    path("case/<int:pk>/panel/", views.case_panel, name="transfers-case-panel"),
]

from django.urls import path

from zhifa.legalcal import views

urlpatterns = [
    path("", views.year_list, name="calendar-years"),
    path("deadline/", views.deadline, name="calendar-deadline"),
    path("new/", views.year_edit, name="calendar-year-create"),
    path("paste/", views.notice_paste, name="calendar-paste"),
    path("<int:year>/", views.year_detail, name="calendar-year"),
    path("<int:year>/edit/", views.year_edit, name="calendar-year-edit"),
    path("<int:year>/delete/", views.year_delete, name="calendar-year-delete"),
]

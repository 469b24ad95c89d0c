from django.urls import path

from zhifa.cases import views

urlpatterns = [
    path("", views.case_list, name="cases-list"),
    path("queue/", views.work_queue_view, name="cases-queue"),
    path("new/", views.new_case_choose, name="cases-new"),
    path("new/<slug:slug>/", views.new_case, name="cases-create"),
    path("power-items/", views.power_item_search, name="cases-power-items"),
    path("<int:pk>/", views.case_detail, name="cases-detail"),
    path("<int:pk>/do/<slug:name>/", views.case_action, name="cases-action"),
]

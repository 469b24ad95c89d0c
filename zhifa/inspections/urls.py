from django.urls import path

from zhifa.inspections import views

urlpatterns = [
    path("", views.index, name="inspections-index"),
    path("roster/template/", views.template, name="inspections-roster-template"),
    path("roster/import/", views.import_roster, name="inspections-roster-import"),
    path("plans/<int:pk>/", views.plan_detail, name="inspections-plan"),
    path("plans/<int:pk>/<str:action>/", views.plan_action, name="inspections-plan-action"),
    path("batches/<int:pk>/commit/", views.commit, name="inspections-commit"),
    path("draws/<int:pk>/kit/", views.kit, name="inspections-kit"),
    path("draws/<int:pk>/<str:action>/", views.draw_action, name="inspections-draw-action"),
    path("tasks/<int:pk>/", views.task_detail, name="inspections-task"),
]

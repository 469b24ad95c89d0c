from django.urls import path

from zhifa.inspections import views

urlpatterns = [
    path("", views.index, name="inspections-index"),
    path("roster/template/", views.template, name="inspections-roster-template"),
    path("roster/import/", views.import_roster, name="inspections-roster-import"),
    path("plans/new/", views.plan_new, name="inspections-plan-new"),
    path("plans/<int:pk>/batches/new/", views.batch_new, name="inspections-batch-new"),
    path("tasks/<int:pk>/recusal/", views.recusal_declare, name="inspections-recusal-declare"),
    path("recusals/<int:pk>/decide/", views.recusal_decide, name="inspections-recusal-decide"),
    path("plans/<int:pk>/", views.plan_detail, name="inspections-plan"),
    path("plans/<int:pk>/<str:action>/", views.plan_action, name="inspections-plan-action"),
    path("batches/<int:pk>/commit/", views.commit, name="inspections-commit"),
    path("draws/<int:pk>/kit/", views.kit, name="inspections-kit"),
    path("draws/<int:pk>/<str:action>/", views.draw_action, name="inspections-draw-action"),
    path("tasks/<int:pk>/", views.task_detail, name="inspections-task"),
]

from django.urls import path

from zhifa.records import field, views

urlpatterns = [
    path("field/", field.home, name="records-field"),
    path("field/case/<int:case_id>/", field.case_page, name="records-field-case"),
    path("field/sw.js", field.service_worker, name="records-field-sw"),
    path("field/manifest.webmanifest", field.manifest, name="records-field-manifest"),
    path("case/<int:case_id>/", views.case_records, name="records-case"),
    path("case/<int:case_id>/recorder/", views.recorder_import, name="records-recorder-import"),
    path("case/<int:case_id>/access/", views.case_access_log, name="records-case-access"),
    path("case/<int:case_id>/archive.zip", views.case_archive, name="records-case-archive"),
    path("<int:pk>/", views.item_detail, name="records-item"),
    path("<int:pk>/v/<int:number>/content", views.content, name="records-content"),
    path("<int:pk>/correct/", views.correct, name="records-correct"),
    path("<int:pk>/destroy/", views.request_destruction, name="records-destroy"),
    path("target/", views.target, name="records-target"),
    path("target/<str:key>/", views.target, name="records-target-key"),
    path("av/<int:entity_id>/", views.av_list, name="records-av"),
    path("destructions/", views.destructions, name="records-destructions"),
    path("destructions/<int:pk>/decide/", views.decide_destruction, name="records-destruction-decide"),
]

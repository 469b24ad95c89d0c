from django.urls import path

from zhifa.review import views

urlpatterns = [
    path("", views.queue, name="review-queue"),
    path("notices/read/", views.notices_read, name="review-notices-read"),
    path("case/<int:pk>/", views.case_panel, name="review-case"),
    path("case/<int:pk>/submit/", views.submit, name="review-submit"),
    path("case/<int:pk>/discussion/", views.discussion, name="review-discussion"),
    path("case/<int:pk>/adviser/", views.adviser_opinion, name="review-adviser"),
    path("case/<int:pk>/diff/<int:version>/", views.diff, name="review-diff"),
    path("<int:pk>/", views.review_form, name="review-form"),
    path("<int:pk>/objection/", views.objection, name="review-objection"),
    path("catalogue/", views.catalogue, name="review-catalogue"),
    path("staffing/", views.staffing_view, name="review-staffing"),
]

from django.urls import path

from zhifa.guidance import views

urlpatterns = [
    path("", views.guidance_list, name="guidance-list"),
    path("candidates/", views.candidates, name="guidance-candidates"),
    path("select/<int:case_id>/", views.select, name="guidance-select"),
    path("<int:pk>/", views.edit, name="guidance-edit"),
]

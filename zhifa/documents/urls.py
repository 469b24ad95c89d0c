from django.urls import path

from zhifa.documents import views

urlpatterns = [
    path("case/<int:case_id>/", views.case_documents, name="documents-case"),
    path("case/<int:case_id>/complete/", views.complete_case_file, name="documents-case-complete"),
    path("<int:pk>/docx/", views.download_docx, name="documents-docx"),
    path("<int:pk>/pdf/", views.download_pdf, name="documents-pdf"),
    path("<int:pk>/sign/", views.sign_document, name="documents-sign"),
    path("<int:pk>/print/", views.print_document, name="documents-print"),
    path("<int:pk>/pdf/retry/", views.retry_pdf, name="documents-pdf-retry"),
    path("<int:pk>/pdf/status/", views.pdf_status, name="documents-pdf-status"),
    path("templates/", views.template_list, name="documents-templates"),
    path("templates/<str:doc_type>/upload/", views.template_upload, name="documents-template-upload"),
    path("templates/<str:doc_type>/current/", views.template_current, name="documents-template-current"),
    path("templates/version/<int:pk>/", views.template_download, name="documents-template-download"),
    path("templates/version/<int:pk>/activate/", views.template_activate, name="documents-template-activate"),
]

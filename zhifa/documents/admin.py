"""Read-only admin: templates are uploaded and documents generated through the actions (which
validate and log); the admin is for looking things up."""
from django.contrib import admin

from zhifa.documents.models import DocumentTemplate, GeneratedDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdmin):
    list_display = ("doc_type", "entity", "version", "active", "is_builtin", "uploaded_by", "created_at")
    list_filter = ("doc_type", "active", "is_builtin")


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("case", "doc_type", "number", "version", "template_version", "pdf_status", "generated_by",
                    "generated_at")
    list_filter = ("doc_type", "pdf_status")
    search_fields = ("number", "case__number", "case__title")
    exclude = ("context",)

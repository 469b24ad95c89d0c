"""Read-mostly admin for cases: changes go through the actions; the timeline is append-only."""
from django.contrib import admin

from zhifa.cases.models import (
    Case,
    CaseConfig,
    CaseEvent,
    CaseOfficer,
    CollectiveDiscussion,
    Deadline,
    Extension,
    LegalReview,
    Party,
    Recusal,
    Seizure,
    SimpleRecord,
    Suspension,
)
from zhifa.common.admin_mixins import LoggedAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def inline(model_):
    return type(f"{model_.__name__}Inline", (ReadOnlyInline,), {"model": model_})


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "kind", "state", "entity", "filed_on", "version")
    list_filter = ("kind", "state")
    search_fields = ("number", "title", "decision_number")
    raw_id_fields = ("entity", "unit", "source_case", "hearing_chair", "decided_by", "created_by")
    inlines = [inline(m) for m in (Party, CaseOfficer, Recusal, Deadline, Extension, Suspension, LegalReview,
                                   CollectiveDiscussion, Seizure, SimpleRecord, CaseEvent)]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(CaseConfig)
class CaseConfigAdmin(LoggedAdmin):
    list_display = ("entity", "review_all_general")
    raw_id_fields = ("entity",)

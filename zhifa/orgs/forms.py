from django import forms

from zhifa.common.crud import ScopedModelForm
from zhifa.orgs.models import Certificate, Entity, LegalAdviser, Officer, Training, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntityForm(ScopedModelForm):
    class Meta:
        model = Entity
        fields = ["name", "short_code", "kind", "entrusted_by", "credit_code", "region",
                  "is_justice_bureau", "fields", "legal_basis", "address", "phone",
                  "supervision_channel", "remedy_channel", "hearing_threshold_citizen",
                  "hearing_threshold_org", "is_active"]


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["entity", "name", "is_legal_unit", "phone"]


class OfficerForm(ScopedModelForm):
    class Meta:
        model = Officer
        fields = ["entity", "unit", "name", "id_number", "gender", "phone", "title", "status",
                  "legal_qualification", "legal_qualification_no", "is_legal_reviewer", "returned_on"]
        widgets = {"returned_on": DATE}


class CertificateForm(ScopedModelForm):
    class Meta:
        model = Certificate
        fields = ["officer", "number", "fields", "issuing_authority", "issued_on", "expires_on",
                  "status", "annual_check_year", "annual_check_result"]
        widgets = {"issued_on": DATE, "expires_on": DATE}


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ["officer", "tier", "year", "course", "hours", "exam_passed", "finished_on"]
        widgets = {"finished_on": DATE}


class AdviserForm(ScopedModelForm):
    class Meta:
        model = LegalAdviser
        fields = ["entity", "kind", "name", "licence_no", "firm", "phone", "engaged_from", "engaged_to"]
        widgets = {"engaged_from": DATE, "engaged_to": DATE}

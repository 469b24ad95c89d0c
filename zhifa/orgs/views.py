
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.common.crud import Crud, Filter
from zhifa.orgs import actions, forms
from zhifa.orgs.models import Certificate, Entity, LegalAdviser, Officer, Region, Training, Unit


def entity_choices(user):
    return [(e.pk, e.name) for e in Entity.objects.restrict(user).only("pk", "name")[:3000]]


def region_choices(user):
    ids = Entity.objects.restrict(user).values("region_id")
    return [(r.pk, r.name) for r in Region.objects.filter(pk__in=ids)]


def _officer_context(request, officer):
    from zhifa.common.scope import can

    year = timezone.localdate().year
    return {
        "tiers": officer.training_status(year),
        "may_manage": any(can(request.user, "manage", c) for c in officer.certificates.all()),
        "certificates": officer.certificates.all(),
        "trainings": officer.trainings.all()[:20],
        "training_year": year,
        "training_hours": officer.training_hours(year),
        "training_min": settings.ZHIFA_TRAINING_MIN_HOURS,
    }


def _entity_context(request, entity):
    return {"units": entity.units.all(), "advisers": entity.advisers.all()}


entities = Crud(
    Entity, "entities", ["name", "short_code", "kind", "region", "fields", "phone"],
    search=["name", "short_code", "credit_code", "fields"],
    filters=[Filter("kind", "主体类别", "kind", Entity.Kind.choices),
             Filter("region", "区划", "region_id", region_choices)],
    form=forms.EntityForm, create=lambda d, acting_user: actions.do_create_entity(d, acting_user=acting_user),
    update=actions.do_update_entity, base_qs=lambda qs: qs.select_related("region"),
    detail_template="orgs/entity_detail.html", extra_context=_entity_context,
)
units = Crud(
    Unit, "units", ["name", "entity", "is_legal_unit", "phone"], search=["name"],
    filters=[Filter("entity", "执法主体", "entity_id", entity_choices)],
    form=forms.UnitForm, create=actions.do_create_unit, update=actions.do_update_unit,
    base_qs=lambda qs: qs.select_related("entity"),
)
officers = Crud(
    Officer, "officers", ["name", "entity", "unit", "title", "status", "has_valid_cert", "is_legal_reviewer"],
    search=["name", "id_number", "phone", "certificates__number"],
    filters=[Filter("entity", "执法主体", "entity_id", entity_choices),
             Filter("status", "状态", "status", Officer.Status.choices),
             Filter("cert", "持有效执法证", "has_valid_cert", [("1", "是"), ("0", "否")], boolean=True),
             Filter("reviewer", "法制审核人员", "is_legal_reviewer", [("1", "是"), ("0", "否")], boolean=True)],
    form=forms.OfficerForm, create=actions.do_create_officer, update=actions.do_update_officer,
    base_qs=lambda qs: qs.with_cert_status().select_related("entity", "unit__entity"),  # unit.__str__ reads unit.entity
    detail_template="orgs/officer_detail.html", extra_context=_officer_context,
    labels={"has_valid_cert": "持有效执法证"},
)
certificates = Crud(
    Certificate, "certificates", ["number", "officer", "fields", "status", "expires_on", "annual_check_result"],
    search=["number", "officer__name"],
    filters=[Filter("status", "证件状态", "status", Certificate.Status.choices)],
    form=forms.CertificateForm, create=actions.do_issue_certificate, update=actions.do_update_certificate,
    base_qs=lambda qs: qs.select_related("officer"),
)
trainings = Crud(
    Training, "trainings", ["officer", "tier", "year", "course", "hours", "exam_passed", "finished_on"],
    search=["officer__name", "course"], filters=[Filter("year", "年度", "year")],
    form=forms.TrainingForm, create=actions.do_record_training, base_qs=lambda qs: qs.select_related("officer"),
)
advisers = Crud(
    LegalAdviser, "advisers", ["name", "kind", "entity", "firm", "phone"], search=["name", "firm"],
    filters=[Filter("kind", "类别", "kind", LegalAdviser.Kind.choices)],
    form=forms.AdviserForm, create=actions.do_create_adviser, update=actions.do_update_adviser,
    base_qs=lambda qs: qs.select_related("entity"),
)

CRUDS = [entities, units, officers, certificates, trainings, advisers]


@login_required
def certificate_status(request, pk):
    """暂扣 / 恢复 / 注销、吊销 of one certificate with its reason, and the certificate's history."""
    from zhifa.common.actions import ActionRefused
    from zhifa.common.scope import can, get_or_deny
    from zhifa.orgs.models import CertificateStatusChange

    cert = get_or_deny(Certificate.objects.restrict(request.user).select_related("officer__entity"), pk=pk)
    error = None
    if request.method == "POST":
        how = request.POST.get("action")
        reason = request.POST.get("reason", "")
        try:
            if how == "suspend":
                actions.do_suspend_certificate(cert, acting_user=request.user, reason=reason,
                                               until=request.POST.get("until") or None,
                                               basis=request.POST.get("basis", ""))
            elif how == "restore":
                actions.do_restore_certificate(cert, acting_user=request.user, reason=reason)
            elif how == "withdraw":
                actions.do_withdraw_certificate(cert, acting_user=request.user, reason=reason,
                                                basis=request.POST.get("basis", ""))
            else:
                raise ActionRefused("validation", "处理：请选择暂扣、恢复或注销/吊销", "action")
            messages.success(request, "执法证状态已变更")
            return redirect("certificate-status", pk=cert.pk)
        except ActionRefused as e:
            error = e
    return render(request, "orgs/certificate_status.html", {
        "cert": cert, "error": error, "may_manage": can(request.user, "manage", cert),
        "history": CertificateStatusChange.objects.filter(certificate=cert).select_related("by"),
        "post": request.POST})

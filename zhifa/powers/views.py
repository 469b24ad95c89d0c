from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from zhifa.common.actions import ActionRefused
from zhifa.common.crud import Crud, Filter
from zhifa.common.scope import can, get_or_deny
from zhifa.orgs.views import entity_choices
from zhifa.powers import actions, forms
from zhifa.powers.discretion import FINE_BASES, range_text, sanction_labels
from zhifa.powers.flow import render_svg
from zhifa.powers.models import (
    DiscretionBenchmark,
    Flowchart,
    InspectionItem,
    PowerItem,
    ServiceGuide,
    VersionStatus,
)


def _versions_context(request, obj):
    model = type(obj)
    ctx = {
        "versions": model.objects.restrict(request.user).filter(lineage=obj.lineage).order_by("-version"),
        "can_submit": obj.is_editable and can(request.user, "change", obj),
        "can_discard": obj.is_editable and can(request.user, "change", obj),
        "can_confirm": obj.status == VersionStatus.PENDING and can(request.user, "confirm", obj),
        "version_actions": True,
    }
    if isinstance(obj, Flowchart):
        ctx["svg"] = mark_safe(render_svg(obj.steps))
    return ctx


def _creator(model):
    return lambda data, acting_user: actions.do_create_versioned(model, data, acting_user=acting_user)


STATUS = Filter("status", "状态", "status", VersionStatus.choices)
ENTITY = Filter("entity", "实施主体", "entity_id", entity_choices)


def _versioned(model, slug, columns, search, extra_filters, form):
    return Crud(
        model, slug, columns + ["version", "status"], search=search,
        filters=[ENTITY, STATUS, *extra_filters], form=form, create=_creator(model),
        update=actions.do_update_versioned,
        base_qs=lambda qs: qs.select_related("entity"), list_qs=lambda qs: qs.filter(is_head=True),
        detail_template="powers/detail.html", extra_context=_versions_context,
    )


power_items = _versioned(PowerItem, "power-items", ["code", "name", "category", "entity"],
                         ["code", "name", "law"],
                         [Filter("category", "权力类别", "category", PowerItem.Category.choices)],
                         forms.PowerItemForm)
inspection_items = _versioned(InspectionItem, "inspection-items", ["code", "name", "kind", "ratio", "entity"],
                              ["code", "name"],
                              [Filter("kind", "事项类别", "kind", InspectionItem.Kind.choices)],
                              forms.InspectionItemForm)
service_guides = _versioned(ServiceGuide, "service-guides", ["power_item_code", "title", "entity", "time_limit"],
                            ["title", "power_item_code"], [], forms.ServiceGuideForm)
flowcharts = _versioned(Flowchart, "flowcharts", ["title", "power_category", "entity"], ["title"],
                        [Filter("category", "权力类别", "power_category", PowerItem.Category.choices)],
                        forms.FlowchartForm)
flowcharts.hidden_fields = ("steps",)
CRUDS = [power_items, inspection_items, service_guides, flowcharts]


def _version_action(crud, name):
    @login_required
    @require_POST
    def view(request, pk):
        obj = get_or_deny(crud.model.objects.restrict(request.user), pk=pk)
        try:
            if name == "submit":
                actions.do_submit_versioned(obj, acting_user=request.user)
                messages.success(request, "已提交同级司法局确认")
            elif name == "confirm":
                actions.do_confirm_versioned(obj, acting_user=request.user, note=request.POST.get("note", ""))
                messages.success(request, "已确认发布")
            elif name == "reject":
                actions.do_reject_versioned(obj, acting_user=request.user, note=request.POST.get("note", ""))
                messages.success(request, "已退回")
            elif name == "discard":
                actions.do_discard_draft(obj, acting_user=request.user)
                messages.success(request, "草稿已删除")
                return redirect(crud.url("list"))
        except ActionRefused as e:
            messages.error(request, e.message)
        return redirect(crud.url("detail", pk))

    return view


def version_urls(crud):
    return [path(f"{crud.slug}/<int:pk>/{n}/", _version_action(crud, n), name=f"{crud.slug}-{n}")
            for n in ("submit", "confirm", "reject", "discard")]


# ---- 行政处罚裁量基准 --------------------------------------------------------------------------------
def _benchmark_context(request, obj):
    ctx = _versions_context(request, obj)
    ctx["fields"] = [(str(f.verbose_name), Crud.cell(obj, f.name)) for f in obj._meta.fields
                     if f.name not in ("id", "lineage", "is_head", "levels")]
    ctx["levels"] = [{**lv, "sanctions_text": sanction_labels(lv.get("sanctions", [])),
                      "basis_text": FINE_BASES.get(lv.get("fine_basis"), "") if range_text(lv) else "",
                      "range_text": range_text(lv)} for lv in obj.levels or []]
    return ctx


discretion_benchmarks = _versioned(DiscretionBenchmark, "discretion-benchmarks",
                                   ["power_item_code", "violation", "level_names", "entity"],
                                   ["power_item_code", "violation", "basis"], [], forms.DiscretionBenchmarkForm)
discretion_benchmarks.detail_template = "powers/discretion_detail.html"
discretion_benchmarks.hidden_fields = ("levels",)
discretion_benchmarks.extra_context = _benchmark_context
CRUDS.append(discretion_benchmarks)

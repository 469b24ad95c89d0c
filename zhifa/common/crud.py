"""Generic staff pages (list → detail → edit → change log) driven by one `Crud` description.

Every query starts from `Model.objects.restrict(user, action)`; every write calls an action.
A refused action is shown on the form with the rule's Chinese message, never a 500.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse

from zhifa.common.actions import ActionRefused
from zhifa.common.fields import BlindIndexField, encrypted_search
from zhifa.common.models import ChangeLog
from zhifa.common.scope import can, get_or_deny, rule_for


@dataclass
class Filter:
    name: str           # query-string key
    label: str
    lookup: str         # ORM lookup the value goes into
    choices: Callable | list | None = None  # [(value, label)] or f(user) -> [(value, label)]
    boolean: bool = False                   # value "1"/"0" means True/False


@dataclass
class Crud:
    model: type[models.Model]
    slug: str                                   # url prefix, e.g. "officers"
    columns: list[str]                          # attribute names shown in the list
    search: list[str] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    form: type[forms.ModelForm] | None = None
    create: Callable | None = None              # f(cleaned_data, acting_user=) -> obj
    update: Callable | None = None              # f(obj, cleaned_data, acting_user=) -> obj
    base_qs: Callable | None = None             # f(qs) -> qs (select_related …)
    list_qs: Callable | None = None             # f(qs) -> qs, list page only (head versions)
    detail_template: str = "crud/detail.html"
    extra_context: Callable | None = None       # f(request, obj) -> dict
    ordering: list[str] | None = None
    page_size: int = 50
    labels: dict = field(default_factory=dict)  # headers of computed columns
    hidden_fields: tuple = ()                     # shown by the detail template in its own way
    list_actions_template: str | None = None    # extra buttons on the list page (e.g. Excel)

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self):
        return self.model._meta.verbose_name_plural

    def url(self, kind, *args):
        return reverse(f"{self.slug}-{kind}", args=args)

    def queryset(self, user, action="view"):
        qs = self.model.objects.restrict(user, action)
        if self.base_qs:
            qs = self.base_qs(qs)
        return qs

    def active_filters(self, request) -> dict:
        """{filter name: value} of the list filters set in the query string."""
        return {f.name: request.GET[f.name] for f in self.filters if request.GET.get(f.name, "") != ""}

    def filtered(self, request):
        """The list page's rows (scope, search, filters, ordering) — also what exports use."""
        qs = self.queryset(request.user)
        if self.list_qs:
            qs = self.list_qs(qs)
        q = request.GET.get("q", "").strip()
        if q and self.search:
            cond = Q()
            for s in self.search:
                cond |= search_q(self.model, s, q)
            qs = qs.filter(cond)
        active = self.active_filters(request)
        for f in self.filters:
            if f.name in active:
                value = active[f.name]
                qs = qs.filter(**{f.lookup: value == "1" if f.boolean else value})
        if self.ordering:
            qs = qs.order_by(*self.ordering)
        return qs

    # ---- views -------------------------------------------------------------
    def list_view(self, request):
        qs = self.filtered(request)
        q = request.GET.get("q", "").strip()
        active = self.active_filters(request)
        page = Paginator(qs, self.page_size).get_page(request.GET.get("page"))
        ctx = {
            "crud": self, "page": page, "q": q, "active": active,
            "rows": [(o, [self.cell(o, c) for c in self.columns]) for o in page.object_list],
            "headers": [self.header(c) for c in self.columns],
            # (value, label, selected) worked out here: a prefecture has hundreds of entities.
            "filters": [(f, [(v, label, str(v) == active.get(f.name)) for v, label in
                             (f.choices(request.user) if callable(f.choices) else f.choices or [])])
                        for f in self.filters],
            "can_create": self.create is not None and rule_for(self.model, request.user, "change") is not None,
            "can_change": rule_for(self.model, request.user, "change") is not None,
        }
        template = "crud/_table.html" if getattr(request, "htmx", False) else "crud/list.html"
        return render(request, template, ctx)

    def detail_view(self, request, pk):
        obj = get_or_deny(self.queryset(request.user), pk=pk)
        ctx = {
            "crud": self, "obj": obj,
            "fields": [(str(f.verbose_name), self.cell(obj, f.name)) for f in self.model._meta.fields
                       if f.name not in ("id", "password", "lineage", "is_head", "path", *self.hidden_fields)
                       and f.name not in getattr(self.model, "changelog_exclude", ())
                       and not isinstance(f, BlindIndexField)],  # an index of a field shown, not data
            "can_edit": self.update is not None and can(request.user, "change", obj),
            "log": changelog_for(obj, request.user)[:50],
            "ct": ContentType.objects.get_for_model(self.model).pk,
        }
        if self.extra_context:
            ctx.update(self.extra_context(request, obj))
        return render(request, self.detail_template, ctx)

    def edit_view(self, request, pk=None):
        obj = None
        if pk is not None:
            obj = get_or_deny(self.queryset(request.user), pk=pk)
            if self.update is None or not can(request.user, "change", obj):
                raise PermissionDenied
        elif self.create is None or rule_for(self.model, request.user, "change") is None:
            raise PermissionDenied
        form = self.form(request.POST or None, instance=obj, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data or obj is None}
            try:
                if obj is None:
                    obj = self.create(form.cleaned_data, acting_user=request.user)
                else:
                    # is_valid() already wrote the new values into `obj`; act on a fresh copy so
                    # the action sees (and logs) the real "before".
                    fresh = get_or_deny(self.queryset(request.user), pk=obj.pk)
                    obj = self.update(fresh, data, acting_user=request.user)
                return redirect(self.url("detail", obj.pk))
            except ActionRefused as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
        return render(request, "crud/edit.html", {"crud": self, "form": form, "obj": obj})

    # ---- helpers -------------------------------------------------------------
    def header(self, name):
        if name in self.labels:
            return self.labels[name]
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - computed column
            return getattr(getattr(self.model, name, None), "short_description", name)

    @staticmethod
    def cell(obj, name):
        display = getattr(obj, f"get_{name}_display", None)
        if display:
            return display()
        value = getattr(obj, name, "")
        if callable(value):
            value = value()
        if isinstance(value, bool):
            return "是" if value else "否"
        return "" if value is None else value

    def urls(self):
        lr = login_required
        return [
            path(f"{self.slug}/", lr(self.list_view), name=f"{self.slug}-list"),
            path(f"{self.slug}/new/", lr(self.edit_view), name=f"{self.slug}-create"),
            path(f"{self.slug}/<int:pk>/", lr(self.detail_view), name=f"{self.slug}-detail"),
            path(f"{self.slug}/<int:pk>/edit/", lr(self.edit_view), name=f"{self.slug}-edit"),
        ]


def search_q(model, lookup: str, q: str) -> Q:
    """`lookup__icontains=q`; across a to-many relation (officer → certificates) as `pk IN (…)`,
    which neither repeats rows nor joins the related table into the list and count queries."""
    name, _, rest = lookup.partition("__")
    field = model._meta.get_field(name)
    if not rest and getattr(field, "encrypted", False):
        return encrypted_search(model, name, q)
    if rest and field.one_to_many:
        ids = field.related_model._base_manager.filter(**{f"{rest}__icontains": q}).values(field.field.attname)
        return Q(pk__in=ids)
    if rest and field.many_to_many:
        return Q(pk__in=model._base_manager.filter(**{f"{lookup}__icontains": q}).values("pk"))
    return Q(**{f"{lookup}__icontains": q})


def changelog_for(obj, user):
    """The change log of one record, for a user who may see the record (the caller checked its
    scope). Nothing for the system and security administrators (三员分立: the change log is an
    audit log)."""
    from zhifa.common.roles import may_read_audit_logs

    if not may_read_audit_logs(user):
        return ChangeLog.objects.none()
    ct = ContentType.objects.get_for_model(type(obj))
    return ChangeLog.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("content_type")


class ScopedModelForm(forms.ModelForm):
    """ModelForm whose FK choices come from the user's scope (no picking another entity's unit)."""

    scoped_fields: dict[str, str] = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for f in self.fields.values():
            if isinstance(f, forms.ModelChoiceField) and hasattr(f.queryset.model.objects, "restrict"):
                f.queryset = f.queryset.model.objects.restrict(user, "view")

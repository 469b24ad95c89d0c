"""Shared pieces of the v1 API: the acting user, scoped look-ups, FK resolution, list filters,
pagination, identifier types and the error schema.

Scope semantics over HTTP:
  * a record outside `restrict(user, "view")` does not exist for the caller → 404;
  * a visible record the caller may not change → 403 (ActionRefused rule "scope");
  * an FK id in a request body must resolve inside `restrict(user, "view")`, else 422.
"""
from typing import Annotated, Any, ClassVar, Literal, Optional

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, BeforeValidator, create_model, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.fields import encrypted_search
from zhifa.common.identifiers import check_credit_code, check_id_number, check_phone
from zhifa.common.scope import can

NOT_VISIBLE = "记录不存在或不在您的数据范围内"
MAX_ID = 2**63 - 1  # larger ids cannot exist (and would overflow the database driver)
# Years a filter may name: Python's dates stop at 1–9999 and a year lookup on a time column shifts
# by the time zone, so an unbounded year was a server error; the platform's data starts long after.
YEAR_MIN, YEAR_MAX = 1900, 2100


def valid_id(value) -> bool:
    try:
        return 0 < int(value) <= MAX_ID
    except (TypeError, ValueError):
        return False


# Path parameter of a record id (Chinese title for the docs and for error messages).
RecordId = Annotated[int, Path(..., title="记录编号", description="记录编号")]


def id_query(title: str, description: str | None = None) -> Any:
    """An optional query parameter naming a record by id: 1…2^63−1, else a Chinese 422."""
    return Query(None, title=title, description=description or f"{title}（编号）", ge=1, le=MAX_ID)


def year_query(title: str = "年度", description: str | None = None) -> Any:
    """An optional query parameter naming a year (YEAR_MIN…YEAR_MAX), else a Chinese 422."""
    return Query(None, title=title, description=description or f"{title}（{YEAR_MIN}–{YEAR_MAX}）",
                 ge=YEAR_MIN, le=YEAR_MAX)


# ---- acting user and scope --------------------------------------------------------------
def actor(request: HttpRequest) -> Any:
    """The authenticated user (session or token); set by the auth classes as request.auth."""
    return request.auth  # type: ignore[attr-defined]  # django-ninja adds `auth` to the request


def visible(model, request):
    return model.objects.restrict(actor(request), "view")


def get_visible(model_or_qs, request, pk):
    qs = visible(model_or_qs, request) if isinstance(model_or_qs, type) else model_or_qs
    obj = qs.filter(pk=pk).first() if valid_id(pk) else None
    if obj is None:
        raise Http404(NOT_VISIBLE)
    return obj


def require_change(request, obj):
    """Visible but not changeable → 403 (the action would refuse it anyway)."""
    if not can(actor(request), "change", obj):
        raise OutOfScope("无权修改该记录（超出您的数据范围或角色权限）")


def resolve_refs(request, data: dict, refs: dict, schema) -> dict:
    """Replace FK ids in `data` by objects visible to the caller; unknown/out of scope → 422."""
    for name, model in refs.items():
        value = data.get(name)
        if value is None:
            continue
        obj = visible(model, request).filter(pk=value).first() if valid_id(value) else None
        if obj is None:
            label = label_of(schema, name)
            raise ActionRefused("validation", f"{label}：编号为 {value} 的记录不存在或不在您的数据范围内",
                                field=name)
        data[name] = obj
    return data


def label_of(schema, name) -> str:
    info = schema.model_fields.get(name)
    return (info.title if info and info.title else None) or name


def blank_nones(model, data: dict) -> dict:
    """An explicit null for a non-null text column means "clear it" (empty string)."""
    for key, value in data.items():
        if value is not None:
            continue
        try:
            f = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if isinstance(f, (models.CharField, models.TextField)) and not f.null:
            data[key] = ""
    return data


def check_required_refs(model, data: dict, schema):
    """An explicit null for a required relation is a validation error, not a scope refusal."""
    for key, value in data.items():
        if value is not None:
            continue
        try:
            f = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if f.is_relation and not f.null:
            raise ActionRefused("validation", f"{label_of(schema, key)}：不能为空", field=key)


def payload_data(request, payload, model, refs: dict, *, partial=False) -> dict:
    data = payload.model_dump(exclude_unset=partial)
    data = blank_nones(model, data)
    check_required_refs(model, data, type(payload))
    return resolve_refs(request, data, refs, type(payload))


# ---- schemas ------------------------------------------------------------------------------
class InSchema(Schema):
    """Base of request schemas: text may not contain NUL characters (databases reject them)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("null_char", "不能包含空字符（\\x00）")
        return value


def F(default: Any = ..., title: str = "", description: str | None = None, **kw) -> Any:
    """A field with a Chinese title and description (the OpenAPI docs show both)."""
    return Field(default, title=title, description=description or title, **kw)


def patch_schema(schema, name: str):
    """All-optional copy of an input schema for PATCH (only the fields sent are changed)."""
    fields = {}
    for fname, info in schema.model_fields.items():
        new = FieldInfo.merge_field_infos(info, default=None)
        fields[fname] = (Optional[info.annotation], new)
    return create_model(name, __base__=InSchema, __doc__=f"部分更新：{schema.__doc__ or ''}".strip(),
                        **fields)


class ErrorOut(Schema):
    rule: str = F("", "规则", "被违反的规则名称；validation 为数据校验，scope 为超出数据范围")
    message: str = F(..., "错误说明", "中文错误说明")
    field: Optional[str] = F(None, "字段", "出错字段名（如有）")
    errors: Any = F(None, "逐项错误", "数据校验失败时的逐项说明（字段、中文标题、错误类型、说明）")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def responses(ok: Any, code: int = 200) -> dict[int, Any]:
    return {code: ok, **ERRORS}


class RefOut(Schema):
    id: int = F(..., "编号")
    name: str = F(..., "名称")


# ---- choices ---------------------------------------------------------------------------------
def choices(cls):
    """Literal type of a Django TextChoices' values (for the schema and its validation)."""
    return Literal[tuple(cls.values)]


def choices_text(cls) -> str:
    return "；".join(f"{v} {label}" for v, label in cls.choices)


# ---- identifiers ----------------------------------------------------------------------------
def _identifier(check, *, allow_blank=False, upper=True):
    def validate(value):
        if value is None:  # PATCH schemas make every field optional
            return value
        value = value.strip()
        if allow_blank and value == "":
            return value
        reason = check(value)
        if reason:
            raise PydanticCustomError("identifier", str(reason))
        return value.upper() if upper else value

    return AfterValidator(validate)


IdNumber = Annotated[str, _identifier(check_id_number)]
CreditCode = Annotated[str, _identifier(check_credit_code)]
Phone = Annotated[str, _identifier(check_phone, allow_blank=True, upper=False)]


# ---- lists ------------------------------------------------------------------------------------
def _flag(value):
    """Query flags: 1/0, true/false, and valid/invalid for the certificate filter."""
    if isinstance(value, str):
        value = {"valid": "1", "invalid": "0", "": None}.get(value.strip().lower(), value)
    return value


Flag = Annotated[Optional[bool], BeforeValidator(_flag)]


class ListFilter(InSchema):
    """Base of the list filters: `q` searches `search_fields`; others map through `lookups`."""

    search_fields: ClassVar[tuple] = ()
    lookups: ClassVar[dict] = {}

    def apply(self, qs):
        data = self.model_dump()
        q = (data.pop("q", None) or "").strip()
        if q and self.search_fields:
            cond = Q()
            for f in self.search_fields:
                field = qs.model._meta.get_field(f) if "__" not in f else None
                cond |= (encrypted_search(qs.model, f, q) if getattr(field, "encrypted", False)
                         else Q(**{f"{f}__icontains": q}))
            qs = qs.filter(cond)
            if any("__" in f for f in self.search_fields):
                qs = qs.distinct()
        for name, value in data.items():
            lookup = self.lookups.get(name)
            if lookup is None or value is None or value == "":
                continue
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
                return qs.none()
            qs = lookup(qs, value) if callable(lookup) else qs.filter(**{lookup: value})
        return qs


Q_FIELD = F(None, "关键词", "模糊搜索", max_length=100)
ENTITY_FIELD = F(None, "执法主体", "按执法主体编号筛选")


class Pagination(PageNumberPagination):
    """Page-number pagination: ?page=1&page_size=50 → {"items": [...], "count": N}."""

    class Input(Schema):
        page: int = F(1, "页码", "从1开始", ge=1, le=1_000_000)
        page_size: Optional[int] = F(None, "每页条数", "默认50，最大200", ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        count: int = F(..., "总条数")

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=200, **kwargs)

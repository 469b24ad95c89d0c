"""Error responses of the API, all in Chinese and all JSON: {"rule", "message", "field", ...}.

  ActionRefused            409 (a rule), 422 (rule "validation"), 403 (rule "scope")
  Http404                  404 (not visible is the same as not there)
  ninja ValidationError    422, pydantic errors translated, naming the field's Chinese title
  AuthenticationError      401;  other HttpError keeps its status
  IntegrityError           409;  Django ValidationError / PermissionDenied → 422 / 403
"""
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from zhifa.common.actions import ActionRefused

# pydantic error type → Chinese text; {placeholders} come from the error's ctx.
MESSAGES = {
    "missing": "必须填写",
    "missing_argument": "必须填写",
    "string_type": "应为文本",
    "string_too_short": "长度不能少于{min_length}个字符",
    "string_too_long": "长度不能超过{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能带小数",
    "int_parsing_size": "数值超出范围",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "数字总位数不能超过{max_digits}位",
    "decimal_max_places": "小数位数不能超过{decimal_places}位",
    "decimal_whole_digits": "整数部分位数不能超过{whole_digits}位",
    "finite_number": "应为有限的数字",
    "bool_type": "应为布尔值（true/false）",
    "bool_parsing": "应为布尔值（true/false 或 1/0）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "日期格式无效，应为YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式无效，应为YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，不能带时间",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "日期时间格式无效，应为ISO 8601格式",
    "datetime_from_date_parsing": "日期时间格式无效，应为ISO 8601格式",
    "uuid_type": "应为UUID",
    "uuid_parsing": "UUID格式无效",
    "literal_error": "取值无效，可选值：{expected}",
    "enum": "取值无效，可选值：{expected}",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "应大于或等于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "应小于或等于{le}",
    "list_type": "应为列表",
    "too_short": "至少需要{min_length}项",
    "too_long": "最多{max_length}项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的JSON",
    "json_type": "应为JSON",
    "extra_forbidden": "不允许的字段",
    "none_required": "应为空",
}


def translate(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or err.get("msg", "取值无效")).removeprefix("Value error, ")
    if kind in MESSAGES:
        try:
            return MESSAGES[kind].format(**{k: str(v).replace("'", "") for k, v in ctx.items()})
        except (KeyError, IndexError):
            return MESSAGES[kind].split("{")[0].rstrip("，：")
    msg = err.get("msg", "")
    # Custom errors (identifiers) already carry Chinese text; English pydantic text does not help.
    return msg if msg and not msg.isascii() else "取值无效"


def _unwrap(annotation):
    """Inner model class of Optional[X] / list[X] / Annotated[X, …], if any."""
    seen = 0
    while annotation is not None and seen < 5:
        seen += 1
        if hasattr(annotation, "model_fields"):
            return annotation
        args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
        origin = getattr(annotation, "__origin__", None)
        if origin is not None and hasattr(origin, "model_fields"):
            return origin
        annotation = args[0] if args else None
    return None


def field_label(model, loc) -> str:
    """Chinese title of the field an error points at, walking nested schemas along `loc`."""
    label, cls = "", model
    for part in loc:
        if not isinstance(part, str) or cls is None:
            continue
        info = cls.model_fields.get(part)
        if info is None:
            break
        label = info.title or label
        cls = _unwrap(info.annotation)
    return label


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class ObjectBodyParser(Parser):
    """Request bodies are JSON objects; anything else is refused (400) instead of ignored. A NUL in a
    query or form parameter is refused (422) for every operation: the databases reject it in SQL
    text, which made a search with one a server error."""

    def parse_querydict(self, data, list_fields, request):
        for key in data:
            if "\x00" in key or any("\x00" in v for v in data.getlist(key)):
                raise ValidationError([{"loc": ["query", key], "field": key, "label": key, "type": "null_char",
                                        "message": "不能包含空字符（\\x00）"}])
        return super().parse_querydict(data, list_fields, request)

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("body is not a JSON object")
        return data


class ZhifaAPI(NinjaAPI):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("renderer", ChineseJSONRenderer())
        kwargs.setdefault("parser", ObjectBodyParser())
        super().__init__(*args, **kwargs)

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            for e in context.pydantic_validation_error.errors(include_url=False):
                original = e["loc"]
                loc = (model.__ninja_param_source__,) + model.__ninja_flatten_map_reverse__.get(original, original)
                field = next((p for p in reversed(loc) if isinstance(p, str)), "")
                source = model.__ninja_param_source__
                label = field_label(model, original) or ("记录编号" if source == "path" else
                                                    {"body": "请求体", "payload": "请求体"}.get(field, field))
                errors.append({"loc": list(loc), "field": field, "label": label, "type": e["type"],
                               "message": translate(e)})
        return ValidationError(errors)


def _json(api, request, data, status):
    return api.create_response(request, data, status=status)


def install(api: NinjaAPI):
    def on_refused(request, exc: ActionRefused):
        status = 422 if exc.rule == "validation" else 403 if exc.rule == "scope" else 409
        body = {"rule": exc.rule, "message": exc.message, "field": exc.field}
        if getattr(exc, "errors", None):
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        return _json(api, request, body, status)

    def on_validation(request, exc: ValidationError):
        errors = [e if isinstance(e, dict) else {"message": str(e)} for e in exc.errors]
        first = errors[0] if errors else {}
        label = first.get("label") or first.get("field") or ""
        text = first.get("message") or "数据校验未通过"
        message = f"字段“{label}”：{text}" if label else text
        return _json(api, request, {"rule": "validation", "message": message, "field": first.get("field"),
                                    "errors": errors}, 422)

    def on_404(request, exc):
        return _json(api, request, {"rule": "not_found", "message": "记录不存在或不在您的数据范围内",
                                    "field": None}, 404)

    def on_auth(request, exc):
        return _json(api, request, {"rule": "auth", "message": "未登录或令牌无效：请先登录，或在 Authorization 头中"
                                    "提供有效的 Bearer 令牌", "field": None}, 401)

    def on_http(request, exc: HttpError):
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            return _json(api, request, {"rule": "validation", "message": "请求体应为有效的JSON对象", "field": None}, 400)
        elif message == "Too many requests.":
            message = "请求过于频繁，请稍后再试"
        rule = {401: "auth", 403: "scope"}.get(exc.status_code, "http")
        return _json(api, request, {"rule": rule, "message": message, "field": None}, exc.status_code)

    def on_integrity(request, exc):
        return _json(api, request, {"rule": "integrity", "message": "与已有记录冲突（如编号重复），请检查后重试",
                                    "field": None}, 409)

    def on_django_validation(request, exc: DjangoValidationError):
        return _json(api, request, {"rule": "validation", "message": "；".join(exc.messages), "field": None}, 422)

    def on_denied(request, exc):
        return _json(api, request, {"rule": "scope", "message": "无权执行该操作", "field": None}, 403)

    api.add_exception_handler(ActionRefused, on_refused)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(IntegrityError, on_integrity)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(PermissionDenied, on_denied)

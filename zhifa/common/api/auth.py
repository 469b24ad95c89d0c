"""API authentication: Django session (CSRF on unsafe methods) or a personal Bearer token.

A token is `TimestampSigner`-signed "<user id>:<fragment>", where the fragment is an HMAC of the
user's password hash: changing the password revokes every token; tokens expire after 30 days;
inactive users are refused. No table is needed, so tokens cannot be listed or revoked one by one.
"""
import datetime as dt

from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from zhifa.common.api.base import ERRORS, F, InSchema, actor

TOKEN_MAX_AGE = dt.timedelta(days=30)
_SALT = "zhifa.api.token"


def _fragment(user) -> str:
    return salted_hmac(_SALT + ".password", user.password or "", algorithm="sha256").hexdigest()[:24]


def make_token(user) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{user.pk}:{_fragment(user)}")


def user_for_token(token: str):
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token.strip(), max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    pk, _, fragment = value.partition(":")
    if not pk.isdigit():
        return None
    user = get_user_model().objects.filter(pk=int(pk)).select_related("entity", "unit").first()
    if user is None or not user.is_active or not constant_time_compare(fragment, _fragment(user)):
        return None
    return user


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token from POST /api/v1/auth/token>."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionCsrfAuth(SessionAuth):
    """ninja's django_auth (session cookie, CSRF on unsafe methods) with a Chinese CSRF error;
    the CSRF check only runs when there is a logged-in session, so a missing login reads 401."""

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF校验失败：会话方式调用须携带 X-CSRFToken 请求头")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


# Bearer first: a request carrying a token needs no CSRF token even if a session cookie is sent.
AUTH = [TokenAuth(), SessionCsrfAuth()]

router = Router(tags=["认证"])


class TokenIn(InSchema):
    username: str = F(..., "用户名", max_length=150)
    password: str = F(..., "密码", max_length=128)


class MeOut(Schema):
    id: int = F(..., "用户编号")
    username: str = F(..., "用户名")
    display_name: str = F(..., "姓名")
    role: str = F(..., "角色")
    role_display: str = F(..., "角色名称")
    entity_id: int | None = F(None, "所属主体编号")
    entity_name: str | None = F(None, "所属主体")
    unit_id: int | None = F(None, "内设机构编号")
    unit_name: str | None = F(None, "内设机构")

    @staticmethod
    def resolve_role_display(obj):
        return obj.get_role_display()

    @staticmethod
    def resolve_entity_name(obj):
        return obj.entity.name if obj.entity_id else None

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name if obj.unit_id else None


class TokenOut(Schema):
    token: str = F(..., "令牌", "放入请求头 Authorization: Bearer <令牌>")
    token_type: str = F("Bearer", "令牌类型")
    expires_at: dt.datetime = F(..., "到期时间", "签发后30天到期；修改密码后立即失效")
    user: MeOut = F(..., "用户")


@router.post("/token", auth=None, response={200: TokenOut, **ERRORS}, operation_id="auth_token",
             summary="用户名密码换取 API 令牌")
def issue_token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:  # ModelBackend already refuses inactive users
        raise HttpError(401, "用户名或密码错误，或账号已停用")
    return {"token": make_token(user), "token_type": "Bearer",
            "expires_at": timezone.now() + TOKEN_MAX_AGE, "user": user}


@router.get("/me", response={200: MeOut, **ERRORS}, operation_id="auth_me", summary="当前用户")
def me(request):
    return actor(request)


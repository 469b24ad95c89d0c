"""API authentication: Django session (CSRF on unsafe methods) or a personal Bearer token.

Tokens are records (zhifa.accounts.models.ApiToken, issue 16): only a hash of the secret is kept;
each is named, scoped (read / write), expires, and is listed and revoked by its owner (and by the
security administrator); a password change or the logout of the session that made it revokes it.
"""
import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from zhifa.accounts import actions as account_actions
from zhifa.accounts import audit, policy, tokens
from zhifa.accounts.models import ApiToken
from zhifa.common.api.base import ERRORS, F, InSchema, actor

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def make_token(user, *, name: str = "脚本令牌", scope: str = ApiToken.Scope.WRITE, days: int | None = None) -> str:
    """A token record for `user`, made on the server (commands, benchmarks, tests); returns its text."""
    return account_actions.do_create_token(acting_user=user, name=name, scope=scope, days=days)[1]


def user_for_token(token: str):
    record = tokens.lookup(token)
    return record.owner if record is not None else None


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token from POST /api/v1/auth/token>."""

    def authenticate(self, request, token):
        record = tokens.lookup(token)
        if record is None:
            return None
        if record.owner.is_superuser and not settings.DEMO:
            raise HttpError(403, "生产环境不允许超级管理员使用API")  # 三员分立 (zhifa.accounts.backends)
        if record.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise HttpError(403, "该令牌为只读令牌，不能修改数据")
        request.user = record.owner
        request.api_token = record
        return record.owner


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
    otp: str = F("", "动态口令", "已启用双因素认证的账号（负责人、法制审核、监督、管理员）必填：6位动态口令", max_length=16)
    name: str = F("API令牌", "令牌名称", max_length=100)
    scope: str = F("write", "权限", "read（只读）| write（读写）", max_length=8)
    days: int = F(30, "有效天数", "1至90天", ge=1, le=3650)


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
    token: str = F(..., "令牌", "放入请求头 Authorization: Bearer <令牌>；只显示这一次")
    token_type: str = F("Bearer", "令牌类型")
    id: int = F(..., "令牌编号")
    name: str = F(..., "令牌名称")
    scope: str = F(..., "权限")
    expires_at: dt.datetime = F(..., "到期时间", "默认签发后30天到期；修改密码或被撤销后立即失效")
    user: MeOut = F(..., "用户")


class TokenRecordOut(Schema):
    id: int = F(..., "令牌编号")
    name: str = F(..., "名称")
    prefix: str = F(..., "前缀", "令牌开头的 zf_<前缀>，用于辨认")
    owner: str = F(..., "持有人用户名")
    scope: str = F(..., "权限")
    created_at: dt.datetime = F(..., "创建时间")
    expires_at: dt.datetime = F(..., "到期时间")
    last_used_at: dt.datetime | None = F(None, "最近使用")
    revoked_at: dt.datetime | None = F(None, "撤销时间")
    revoked_reason: str = F("", "撤销原因")
    state: str = F(..., "状态", "active | expired | revoked")

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.get_username()


@router.post("/token", auth=None, response={200: TokenOut, **ERRORS}, operation_id="auth_token",
             summary="用户名密码（及动态口令）换取 API 令牌")
def issue_token(request, payload: TokenIn):
    # authenticate() with the request: django-axes counts failures per account and per address and
    # refuses a locked one (AxesMiddleware then answers 429 in Chinese JSON).
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:  # ModelBackend already refuses inactive users
        raise HttpError(401, "用户名或密码错误，或账号已停用")
    reason = policy.password_change_reason(user)
    if reason:
        raise HttpError(403, reason + "（请先在网页上修改密码）")
    if policy.second_factor_needed(user):
        device = policy.totp_device(user)
        if device is None:
            raise HttpError(403, "您的角色须启用双因素认证：请先在网页上启用动态口令")
        if not payload.otp or not device.verify_token(payload.otp.strip()):
            audit.record("auth.otp_failed", user=user, request=request)
            raise HttpError(401, "动态口令错误或缺失（字段 otp）")
    record, text = account_actions.do_create_token(acting_user=user, name=payload.name, scope=payload.scope,
                                                   days=payload.days, request=request)
    audit.record("auth.login", user=user, request=request, via="api_token")
    return {"token": text, "token_type": "Bearer", "id": record.pk, "name": record.name, "scope": record.scope,
            "expires_at": record.expires_at, "user": user}


@router.get("/tokens", response={200: list[TokenRecordOut], **ERRORS}, operation_id="auth_tokens",
            summary="我的 API 令牌（安全管理员可加 all=true 查看全部）")
def list_tokens(request, all: bool = False):
    user = actor(request)
    qs = account_actions.visible_tokens(user)
    if not (all and account_actions.is_security_admin(user)):
        qs = qs.filter(owner=user)
    return list(qs[:1000])


@router.post("/tokens/{token_id}/revoke", response={200: TokenRecordOut, **ERRORS},
             operation_id="auth_token_revoke", summary="撤销 API 令牌")
def revoke_token(request, token_id: int):
    user = actor(request)
    token = account_actions.visible_tokens(user).filter(pk=token_id).first() if 0 < token_id < 2**63 else None
    if token is None:
        raise Http404("令牌不存在")
    return account_actions.do_revoke_token(token, acting_user=user, request=request)


@router.get("/me", response={200: MeOut, **ERRORS}, operation_id="auth_me", summary="当前用户")
def me(request):
    return actor(request)


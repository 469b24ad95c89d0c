"""Account security state kept beside the User model (which stays in zhifa.orgs): password age and
history, the forced change at first login, and API tokens as records (issue 16)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountState(models.Model):
    """One row per user, made on the first password change (set_password + save)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state",
                                primary_key=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")


class PasswordRecord(models.Model):
    """An earlier password hash (the validator refuses the last N)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. The secret is shown once; only its SHA-256 is stored (the secret is
    32 random bytes, so a fast hash is enough). `prefix` finds the row without the secret."""

    class Scope(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    name = models.CharField(_("名称"), max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("持有人"), on_delete=models.CASCADE,
                              related_name="api_tokens")
    prefix = models.CharField(_("令牌前缀"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(_("权限"), max_length=8, choices=Scope.choices, default=Scope.WRITE)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=100, blank=True)
    # SHA-256 of the session key of the browser session that created it (revoked at its logout);
    # empty for tokens issued by POST /api/v1/auth/token.
    session_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # A keyed hash of the owner's password hash at creation: any password change, by whatever
    # path (admin, shell), makes the token fail even before it is marked revoked.
    password_mark = models.CharField(max_length=64)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"

    @property
    def state_display(self) -> str:
        return {"revoked": "已撤销", "expired": "已过期", "active": "有效"}[self.state]

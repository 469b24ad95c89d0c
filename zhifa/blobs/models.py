"""Evidence blobs (content-addressed by SHA-256) and resumable upload sessions."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Blob(models.Model):
    """One stored byte sequence. The bytes live in the blob store (blob_store()) under their
    SHA-256; the row is never deleted, destruction leaves it as a tombstone."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        AUDIO = "audio", _("录音")
        VIDEO = "video", _("录像")
        DOCUMENT = "document", _("文档")
        TEXT = "text", _("文本")

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    sm3 = models.CharField(_("SM3"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("大小（字节）"))
    mime = models.CharField(_("文件类型"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("存入时间"), default=timezone.now)
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    destroyed_reason = models.TextField(_("销毁理由"), blank=True)
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("销毁人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    # What the ledger fingerprints: the content's identity, not its later fate.
    ledger_fields = ("sha256", "sm3", "size", "mime", "kind", "created_at")

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")

    def __str__(self):
        return f"{self.get_kind_display()} {self.sha256[:12]}…（{self.size} 字节）"

    @property
    def destroyed(self) -> bool:
        return self.destroyed_at is not None


class UploadSession(models.Model):
    """A resumable upload: bytes arrive in order under DATA_DIR/uploads/<id> and only become a
    Blob when complete (finish_upload)."""

    class State(models.TextChoices):
        OPEN = "open", _("上传中")
        COMPLETE = "complete", _("已完成")
        ABORTED = "aborted", _("已中止")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE,
                              related_name="upload_sessions")
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    size = models.BigIntegerField(_("声明大小"))
    sha256 = models.CharField(_("声明SHA-256"), max_length=64, blank=True)
    received = models.BigIntegerField(_("已接收字节"), default=0)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    blob = models.ForeignKey(Blob, verbose_name=_("文件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    temp_path = models.CharField(_("临时文件"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("分块上传")
        verbose_name_plural = _("分块上传")
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self):
        return f"{self.filename or self.id}（{self.received}/{self.size}）"

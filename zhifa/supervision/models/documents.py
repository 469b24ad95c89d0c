"""Documents of supervision orders (督办通知书, 整改通知书, 执法监督建议书, 执法监督决定书): administrator-
editable .docx templates (versioned; the shipped default is version 1) and the document generated for each
order, with the hashes of its Word and PDF files. Files live in the documents storage; nothing is deleted.
Written only by zhifa.supervision.actions.documents."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import SUBTREE, RestrictedManager
from zhifa.supervision.choices import OrderKind

USER = settings.AUTH_USER_MODEL


class OrderTemplate(models.Model):
    kind = models.CharField(_("文书类别"), max_length=10)
    version = models.PositiveIntegerField(_("版本"))
    file_path = models.CharField(_("模板文件"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    is_builtin = models.BooleanField(_("系统内置"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(USER, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="order_template_version_unique"),
                       models.UniqueConstraint(fields=["kind"], condition=Q(active=True),
                                               name="order_template_one_active")]
        verbose_name = _("监督文书模板")
        verbose_name_plural = _("监督文书模板")

    def __str__(self):
        return f"{OrderKind(self.kind).label}模板 第{self.version}版"


class OrderDocument(models.Model):
    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("待生成")
        READY = "ready", _("已生成")
        UNAVAILABLE = "unavailable", _("无法生成")

    order = models.ForeignKey("supervision.SupervisionOrder", verbose_name=_("监督文书"), on_delete=models.PROTECT,
                              related_name="documents")
    version = models.PositiveIntegerField(_("版本"))
    number = models.CharField(_("文号"), max_length=60, blank=True)
    template = models.ForeignKey(OrderTemplate, verbose_name=_("所用模板"), on_delete=models.PROTECT,
                                 related_name="documents")
    template_version = models.PositiveIntegerField(_("模板版本"))
    docx_path = models.CharField(_("Word文件"), max_length=300)
    docx_sha256 = models.CharField(_("Word文件SHA-256"), max_length=64)
    docx_size = models.PositiveIntegerField(_("Word文件大小"), default=0)
    pdf_status = models.CharField(_("PDF状态"), max_length=12, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    pdf_path = models.CharField(_("PDF文件"), max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("PDF文件SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF文件大小"), default=0)
    pdf_error = models.CharField(_("PDF未生成原因"), max_length=500, blank=True)
    context = models.JSONField(_("生成时数据"), default=dict)
    generated_by = models.ForeignKey(USER, verbose_name=_("生成人"), null=True, on_delete=models.PROTECT,
                                     related_name="+")
    generated_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "order__entity"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}
    changelog_exclude = ("context",)
    ledger_fields = ("order", "version", "number", "template", "template_version", "docx_path", "docx_sha256",
                     "docx_size", "generated_by", "generated_at")

    class Meta:
        ordering = ["order_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["order", "version"], name="order_document_version_unique")]
        verbose_name = _("监督文书文件")
        verbose_name_plural = _("监督文书文件")

    def __str__(self):
        return f"{self.order.get_kind_display()}{self.number}（第{self.version}版）"

    def download_name(self, ext: str) -> str:
        return f"{self.order.get_kind_display()}-{self.number or self.order_id}-第{self.version}版.{ext}"

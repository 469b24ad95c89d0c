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
from zhifa.documents.models import StoredDocument, TemplateFile
from zhifa.supervision.choices import OrderKind

USER = settings.AUTH_USER_MODEL


class OrderTemplate(TemplateFile):
    kind = models.CharField(_("文书类别"), max_length=10)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="order_template_version_unique"),
                       models.UniqueConstraint(fields=["kind"], condition=Q(active=True),
                                               name="order_template_one_active")]
        verbose_name = _("监督文书模板")
        verbose_name_plural = _("监督文书模板")

    def __str__(self):
        return f"{OrderKind(self.kind).label}模板 第{self.version}版"


class OrderDocument(StoredDocument):
    order = models.ForeignKey("supervision.SupervisionOrder", verbose_name=_("监督文书"), on_delete=models.PROTECT,
                              related_name="documents")
    number = models.CharField(_("文号"), max_length=60, blank=True)
    template = models.ForeignKey(OrderTemplate, verbose_name=_("所用模板"), on_delete=models.PROTECT,
                                 related_name="documents")

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

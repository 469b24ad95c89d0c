"""Document templates (versioned, optionally per entity) and the documents generated for cases.

Files live in the "documents" storage (settings.STORAGES["documents"], a FileSystemStorage
under $ZHIFA_DATA_DIR/documents/ by default); rows keep the storage names and SHA-256 digests.
Neither templates nor generated documents are ever deleted: a new upload is a new template
version, a regenerated document is a new document version.
"""
from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedJSONField
from zhifa.common.roles import Role
from zhifa.common.scope import RestrictedManager
from zhifa.documents.types import DocType

USER = settings.AUTH_USER_MODEL


def storage():
    """The storage holding templates and generated documents (swap for S3 in settings)."""
    from django.core.files.storage import storages

    return storages["documents"]


class TemplateFile(models.Model):
    """What every administrator-editable .docx template row holds (this app's DocumentTemplate and the
    supervision app's OrderTemplate): a version, the stored file and its SHA-256, builtin or uploaded,
    whether it is the active one. Rows are never deleted; a new upload is a new version."""

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
        abstract = True

    def read(self) -> bytes:
        with storage().open(self.file_path, "rb") as fh:
            return fh.read()


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("待生成")
    READY = "ready", _("已生成")
    UNAVAILABLE = "unavailable", _("无法生成")


class StoredDocument(models.Model):
    """What every generated document row holds (this app's GeneratedDocument and the supervision app's
    OrderDocument): its version, the template version it was made from, the .docx and (later) the PDF in
    the documents storage with their SHA-256 digests, the data it was rendered from and who made it.
    `zhifa verify` re-hashes the stored files of every concrete subclass (stored_document_models)."""

    PdfStatus = PdfStatus

    version = models.PositiveIntegerField(_("版本"))
    template_version = models.PositiveIntegerField(_("模板版本"))
    docx_path = models.CharField(_("Word文件"), max_length=300)
    docx_sha256 = models.CharField(_("Word文件SHA-256"), max_length=64)
    docx_size = models.PositiveIntegerField(_("Word文件大小"), default=0)
    pdf_status = models.CharField(_("PDF状态"), max_length=12, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    pdf_path = models.CharField(_("PDF文件"), max_length=300, blank=True)
    pdf_sha256 = models.CharField(_("PDF文件SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF文件大小"), default=0)
    pdf_error = models.CharField(_("PDF未生成原因"), max_length=500, blank=True)
    context = EncryptedJSONField(_("生成时数据"), default=dict)  # SM4 at rest: the parties' particulars
    generated_by = models.ForeignKey(USER, verbose_name=_("生成人"), null=True, on_delete=models.PROTECT,
                                     related_name="+")
    generated_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def stored_files(self) -> list[tuple[str, str, str]]:
        """(label, storage name, SHA-256 recorded at write) of each file the row points to."""
        return [(label, path, digest) for label, path, digest in
                (("docx", self.docx_path, self.docx_sha256), ("pdf", self.pdf_path, self.pdf_sha256)) if path]


def stored_document_models() -> list[type[StoredDocument]]:
    """Every installed model of generated documents (concrete subclasses of StoredDocument)."""
    return [m for m in apps.get_models() if issubclass(m, StoredDocument)]


class DocumentTemplate(TemplateFile):
    doc_type = models.CharField(_("文书类型"), max_length=30, choices=DocType.choices)
    name = models.CharField(_("模板名称"), max_length=100)
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("适用主体（空为全部）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="document_templates")

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # Only administrators manage templates (ALL via RULES); everyone else reads through views.
    scope_rules = {"change": {Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["doc_type", "entity_id", "-version"]
        constraints = [
            # Versions count per type and entity (NULL entity = the template for everyone).
            models.UniqueConstraint(fields=["doc_type", "entity", "version"], condition=Q(entity__isnull=False),
                                    name="doc_template_entity_version_unique"),
            models.UniqueConstraint(fields=["doc_type", "version"], condition=Q(entity__isnull=True),
                                    name="doc_template_global_version_unique"),
            # At most one active version per type and entity.
            models.UniqueConstraint(fields=["doc_type", "entity"], condition=Q(active=True, entity__isnull=False),
                                    name="doc_template_entity_one_active"),
            models.UniqueConstraint(fields=["doc_type"], condition=Q(active=True, entity__isnull=True),
                                    name="doc_template_global_one_active"),
        ]
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self):
        who = f"（{self.entity.name}）" if self.entity_id else ""
        return f"{self.get_doc_type_display()}{who} 第{self.version}版"



class GeneratedDocument(StoredDocument):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="documents")
    doc_type = models.CharField(_("文书类型"), max_length=30, choices=DocType.choices)
    number = models.CharField(_("文书编号"), max_length=60, blank=True, db_index=True)
    template = models.ForeignKey(DocumentTemplate, verbose_name=_("所用模板"), on_delete=models.PROTECT,
                                 related_name="documents")
    extra = models.JSONField(_("补充填写内容"), default=dict, blank=True)
    # The form's one-time key: a double tap or a resent request returns the version it already made.
    request_key = models.CharField(_("请求标识"), max_length=40, blank=True, default="")

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"
    changelog_exclude = ("context",)
    # The ledger fingerprints what never changes after generation (the PDF comes later).
    ledger_fields = ("case", "doc_type", "number", "version", "template", "template_version", "docx_path",
                     "docx_sha256", "docx_size", "generated_by", "generated_at")

    class Meta:
        ordering = ["case_id", "doc_type", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "doc_type", "version"],
                                               name="generated_document_version_unique"),
                       models.UniqueConstraint(fields=["case", "request_key"], condition=~models.Q(request_key=""),
                                               name="generated_document_request_once")]
        indexes = [models.Index(fields=["case", "doc_type", "-version"])]
        verbose_name = _("生成的文书")
        verbose_name_plural = _("生成的文书")

    def __str__(self):
        num = f" {self.number}" if self.number else ""
        return f"{self.get_doc_type_display()}{num}（第{self.version}版）"

    @property
    def label(self):
        return self.get_doc_type_display()

    def download_name(self, ext: str) -> str:
        case_no = self.case.number or f"案件{self.case_id}"
        return f"{self.label}-{case_no}-第{self.version}版.{ext}"

    def is_latest(self) -> bool:
        return not GeneratedDocument.objects.filter(case_id=self.case_id, doc_type=self.doc_type,
                                                    version__gt=self.version).exists()


# ---- on the spot (issue 20): the party's signature or refusal, and prints ------------------------
ON_SITE_TYPES = ("inspection_record", "inquiry_record", "penalty_decision", "seizure_decision", "seizure_list")


class DocumentSignature(models.Model):
    """The party's signature on one exact version of a document (or the party's refusal to sign),
    shown on the officer's phone. `document_sha256` is the SHA-256 of the .docx of the version that
    was shown; the signature image, that digest and the version are bound in one ledger entry
    ("document.signed" / "document.sign_refused"). The signed document is a new version of the same
    document: the shown version's .docx with the signature (or the refusal note) appended."""

    class Outcome(models.TextChoices):
        SIGNED = "signed", _("当事人已签名")
        REFUSED = "refused", _("当事人拒绝签名")

    document = models.ForeignKey(GeneratedDocument, verbose_name=_("所签文书版本"), on_delete=models.PROTECT,
                                 related_name="signatures")
    document_sha256 = models.CharField(_("所签文书SHA-256"), max_length=64)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    signer_name = models.CharField(_("签名人"), max_length=100, blank=True)
    image_path = models.CharField(_("签名图像"), max_length=300, blank=True)
    image_sha256 = models.CharField(_("签名图像SHA-256"), max_length=64, blank=True)
    refusal_reason = models.CharField(_("拒绝签名原因"), max_length=500, blank=True)
    witness = models.CharField(_("见证人"), max_length=100, blank=True)
    av_record = models.ForeignKey("records.RecordItem", verbose_name=_("音像记录"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    signed_document = models.ForeignKey(GeneratedDocument, verbose_name=_("签名后的文书"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # Signed on a phone without a network (issue 20): the device's id of the signature (a replayed sync
    # returns the row made, nothing new) and the device's clock when the party signed.
    client_uuid = models.UUIDField(_("设备端编号"), null=True, blank=True, unique=True)
    device_time = models.DateTimeField(_("设备端时间"), null=True, blank=True)

    objects = RestrictedManager()
    replayed = False  # set by the actions: a device's sync answered with the row it made
    scope_entity_path = "document__case__entity"
    scope_unit_path = "document__case__unit"
    ledger_fields = ("document", "document_sha256", "outcome", "signer_name", "image_sha256", "refusal_reason",
                     "witness", "av_record", "recorded_by", "recorded_at")

    class Meta:
        ordering = ["document_id", "id"]
        constraints = [models.UniqueConstraint(fields=["document"], name="document_signature_once")]
        verbose_name = _("当事人签名")
        verbose_name_plural = _("当事人签名")

    def __str__(self):
        return f"{self.document}：{self.get_outcome_display()}"


class DocumentPrint(models.Model):
    """One print of a document's server-rendered PDF (A4) on the spot: how many copies, the digest of
    the PDF that was printed. The n-th print of a document is its row count. Offline, the device prints
    the document's cached text through the OS dialog: `source` "device", the SHA-256 of the text printed,
    logged when the phone syncs (once, on its `client_uuid`)."""

    class Source(models.TextChoices):
        PDF = "pdf", _("服务器PDF")
        DEVICE = "device", _("本机离线渲染")

    document = models.ForeignKey(GeneratedDocument, verbose_name=_("文书版本"), on_delete=models.PROTECT,
                                 related_name="prints")
    pdf_sha256 = models.CharField(_("PDF文件SHA-256"), max_length=64, blank=True)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    printed_by = models.ForeignKey(USER, verbose_name=_("打印人"), on_delete=models.PROTECT, related_name="+")
    printed_at = models.DateTimeField(_("打印时间"), auto_now_add=True)
    # Printed offline (issue 20): the cached text rendered on the device, not the server's PDF.
    source = models.CharField(_("打印来源"), max_length=10, choices=Source.choices, default=Source.PDF)
    content_sha256 = models.CharField(_("所印内容SHA-256"), max_length=64, blank=True)
    client_uuid = models.UUIDField(_("设备端编号"), null=True, blank=True, unique=True)
    device_time = models.DateTimeField(_("设备端时间"), null=True, blank=True)

    objects = RestrictedManager()
    replayed = False  # set by the actions: a device's sync answered with the row it made
    scope_entity_path = "document__case__entity"
    scope_unit_path = "document__case__unit"

    class Meta:
        ordering = ["document_id", "id"]
        verbose_name = _("文书打印")
        verbose_name_plural = _("文书打印")

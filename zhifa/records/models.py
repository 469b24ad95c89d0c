"""Record items (证据与记录) of a case and its target, their versions, the access log (调阅),
the A/V-required steps per entity (音像记录事项清单) and destruction requests.

Nothing here is edited in place: a correction is a new RecordVersion, a destruction leaves the
item as a tombstone, and every access is a new AccessLog row. Each RecordItem and RecordVersion
is fingerprinted into the ledger (`ledger_fields`); `zhifa verify` compares them.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import BlindIndexField, EncryptedCharField
from zhifa.common.scope import RestrictedManager

USER = settings.AUTH_USER_MODEL


class RecordKind(models.TextChoices):
    TEXT = "text", _("文字记录")
    PHOTO = "photo", _("照片")
    AUDIO = "audio", _("录音")
    VIDEO = "video", _("录像")
    DOCUMENT = "document", _("文件")


AV_KINDS = (RecordKind.AUDIO, RecordKind.VIDEO)


class RecordItem(models.Model):
    """One piece of evidence or record; its content and metadata live in its versions."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="records")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="+")
    party = models.ForeignKey("cases.Party", verbose_name=_("对应当事人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="records")
    # An ID number when the target is a person: encrypted at rest, found through its blind index.
    target_key = EncryptedCharField(_("对象代码"), max_length=18, blank=True,
                                    help_text=_("统一社会信用代码或身份证号，用于一户式归集"))
    target_key_bidx = BlindIndexField(source="target_key", kind="code")
    target_name = models.CharField(_("对象名称"), max_length=200, blank=True)
    kind = models.CharField(_("记录类型"), max_length=10, choices=RecordKind.choices)
    step = models.CharField(_("所记录的环节"), max_length=40, blank=True, db_index=True)
    sensitive = models.BooleanField(_("敏感"), default=False, help_text=_("调阅须说明理由"))
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))
    # Mutable pointers and tombstone marks; deliberately outside the fingerprint.
    current = models.ForeignKey("RecordVersion", verbose_name=_("当前版本"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    version_count = models.PositiveIntegerField(_("版本数"), default=0)
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    # Field capture (issue 20): a record made on a phone offline carries the id the device gave it
    # (a replayed sync finds it and creates nothing), the SHA-256 the device computed at capture
    # (the server's own digest must equal it) and the device's clock at capture; `created_at` is
    # the server's receipt time. All three are in the record's ledger entry.
    client_uuid = models.UUIDField(_("设备端编号"), null=True, blank=True, unique=True)
    device_sha256 = models.CharField(_("设备端SHA-256"), max_length=64, blank=True)
    device_time = models.DateTimeField(_("设备时间"), null=True, blank=True)

    replayed = False  # set on the row do_add_record returns for a replayed client_uuid (not stored)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_unit_path = "case__unit"
    ledger_fields = ("case", "entity", "party", "target_key", "target_name", "kind", "step", "sensitive",
                     "created_by", "created_at")
    changelog_exclude = ("current",)

    class Meta:
        ordering = ["case_id", "id"]
        indexes = [models.Index(fields=["target_key_bidx", "entity"])]
        verbose_name = _("记录")
        verbose_name_plural = _("记录")

    def __str__(self):
        title = self.current.title if self.current_id else ""
        return f"{self.get_kind_display()}：{title}" if title else self.get_kind_display()


class RecordVersion(models.Model):
    """The content (a blob) and the metadata of a record as registered or corrected."""

    item = models.ForeignKey(RecordItem, verbose_name=_("记录"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    blob = models.ForeignKey("blobs.Blob", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    proves = models.TextField(_("证明对象"), blank=True)
    captured_at = models.DateTimeField(_("采集时间"))
    place = models.CharField(_("采集地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    device = models.CharField(_("采集设备"), max_length=100, blank=True)
    collectors = models.JSONField(_("采集人"), default=list, blank=True)  # [{"id", "name", "cert"}]
    reason = models.CharField(_("更正理由"), max_length=500, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    ledger_fields = ("item", "number", "blob", "filename", "title", "proves", "captured_at", "place",
                     "latitude", "longitude", "device", "collectors", "reason", "created_by", "created_at")

    class Meta:
        ordering = ["item_id", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="record_version_unique")]
        verbose_name = _("记录版本")
        verbose_name_plural = _("记录版本")

    def __str__(self):
        return f"{self.title}（第{self.number}版）"

    @property
    def collector_names(self):
        return "、".join(c.get("name", "") for c in self.collectors or [])


class AccessLog(models.Model):
    """调阅记录: who looked at or downloaded which record, when and why. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        DOWNLOAD = "download", _("下载")
        EXPORT = "export", _("导出归档包")

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(USER, verbose_name=_("调阅人"), on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(_("调阅人姓名"), max_length=100)
    entity_name = models.CharField(_("调阅人单位"), max_length=200, blank=True)
    action = models.CharField(_("方式"), max_length=10, choices=Action.choices)
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(RecordItem, verbose_name=_("记录"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="accesses")
    version = models.ForeignKey(RecordVersion, verbose_name=_("版本"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("调阅理由"), max_length=300, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"
    audit_log = True  # 三员分立: never the system or security administrator (zhifa.common.scope)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["case", "-time"])]
        verbose_name = _("调阅记录")
        verbose_name_plural = _("调阅记录")

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.get_action_display()}"


class AvStep(models.TextChoices):
    """Steps an entity may require an audio or video record of (音像记录事项清单).

    Keys are case transitions; a `:method` suffix narrows it to one service method."""

    SEIZE = "seize", _("查封、扣押")
    RELEASE = "release_seizure", _("解除查封、扣押")
    HOLD_HEARING = "hold_hearing", _("举行听证")
    ON_THE_SPOT = "on_the_spot_penalty", _("当场处罚")
    START_INSPECTION = "start_inspection", _("现场检查")
    SERVE_LODGED = "serve_decision:lodged", _("留置送达")


class AvRequirement(models.Model):
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.CASCADE,
                               related_name="av_requirements")
    step = models.CharField(_("环节"), max_length=40, choices=AvStep.choices)

    objects = RestrictedManager()
    scope_entity_path = "entity"

    class Meta:
        ordering = ["entity_id", "step"]
        constraints = [models.UniqueConstraint(fields=["entity", "step"], name="av_requirement_unique")]
        verbose_name = _("音像记录事项")
        verbose_name_plural = _("音像记录事项清单")

    def __str__(self):
        return self.get_step_display()


class Destruction(models.Model):
    """A request to destroy a record's content after its retention period; approval by a head
    other than the requester. The item stays as a tombstone."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准并销毁")
        REJECTED = "rejected", _("不予批准")

    item = models.ForeignKey(RecordItem, verbose_name=_("记录"), on_delete=models.PROTECT,
                             related_name="destructions")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.CharField(_("销毁理由"), max_length=500)
    retention_until = models.DateField(_("保管期限届满日"))
    requested_by = models.ForeignKey(USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(USER, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "item__entity"
    scope_unit_path = "item__case__unit"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("销毁申请")
        verbose_name_plural = _("销毁申请")

    def __str__(self):
        return f"{self.item} {self.get_state_display()}"


class FieldArrival(models.Model):
    """到场 (issue 20): the officers' arrival on a task, logged when the party scans an officer's
    亮证码 that names the task (the check page reports the verified token once it is online) or opens
    the task's 亮码入企 page. A token's nonce is logged once: a replayed scan adds nothing."""

    class Source(models.TextChoices):
        OFFICER_QR = "officer_qr", _("扫描执法人员亮证码")
        INSPECTION_QR = "inspection_qr", _("扫描亮码入企二维码")

    case = models.ForeignKey("cases.Case", verbose_name=_("任务/案件"), on_delete=models.PROTECT,
                             related_name="arrivals")
    officer = models.ForeignKey("orgs.Officer", verbose_name=_("执法人员"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(_("执法证号"), max_length=40, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    nonce = models.CharField(_("核验码"), max_length=80, unique=True)
    shown_at = models.DateTimeField(_("出示时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    replayed = False  # set on the row an action returns for a scan already logged (not stored)

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"
    ledger_fields = ("case", "officer", "certificate_number", "source", "nonce", "shown_at", "received_at")

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("到场记录")
        verbose_name_plural = _("到场记录")

    def __str__(self):
        return f"{self.get_source_display()}（{self.received_at:%Y-%m-%d %H:%M}）"


class RecorderUpload(models.Model):
    """One large 执法记录仪 file sent from the officer's device in chunks (issue 20): the device names
    it (`id` is its client UUID, so a restarted upload finds where it stands), declares its size and
    whole-file SHA-256, and sends chunk n with that chunk's SHA-256; a chunk whose bytes do not match
    is not kept. The bytes go into a blobs UploadSession; on completion the whole file's digest is
    checked (blob.digest_mismatch refuses it) and the file becomes one record, once."""

    class State(models.TextChoices):
        OPEN = "open", _("上传中")
        COMPLETE = "complete", _("已登记")
        REFUSED = "refused", _("已拒收")

    id = models.UUIDField(_("设备端编号"), primary_key=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="recorder_uploads")
    owner = models.ForeignKey(USER, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("文件名"), max_length=255)
    size = models.BigIntegerField(_("文件大小"))
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    chunk_size = models.PositiveIntegerField(_("分块大小"))
    chunk_hashes = models.JSONField(_("已收分块SHA-256"), default=list, blank=True)
    captured_at = models.DateTimeField(_("采集时间"), null=True, blank=True)
    device = models.CharField(_("采集设备"), max_length=100, blank=True)
    collectors = models.JSONField(_("采集人"), default=list, blank=True)
    session = models.ForeignKey("blobs.UploadSession", verbose_name=_("分块上传"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(RecordItem, verbose_name=_("登记的记录"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    error = models.CharField(_("拒收原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    replayed = False  # set on the row returned for a call already answered (not stored)

    objects = RestrictedManager()
    scope_entity_path = "case__entity"
    scope_unit_path = "case__unit"

    class Meta:
        ordering = ["case_id", "created_at"]
        verbose_name = _("执法记录仪分块上传")
        verbose_name_plural = _("执法记录仪分块上传")

    def __str__(self):
        return f"{self.filename}（{len(self.chunk_hashes)}块，{self.get_state_display()}）"

    @property
    def received(self) -> int:
        return min(self.size, len(self.chunk_hashes) * self.chunk_size)

    @property
    def chunk_count(self) -> int:
        return -(-self.size // self.chunk_size)

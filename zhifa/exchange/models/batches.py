"""Exchange batches and their rows. A batch is a record of its own (number = cd_batch, the change-log
window it covers, its counts per table); a row is one record for one table and one subject (a case, a
publication), with its operation, content digest and fate: sent, refused by a validator (with the
reason, never sent), then accepted or rejected by the receiving system's acceptance file."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedJSONField
from zhifa.exchange.choices import Feed, Operation, RowState, Table


class Batch(models.Model):
    Feed = Feed

    # Each receiving system has its own feed: its batches cover the change log in their own windows.
    feed = models.CharField(_("交换对象"), max_length=10, choices=Feed.choices, default=Feed.NATIONAL, db_index=True)
    number = models.CharField(_("批次号"), max_length=17, unique=True)  # cd_batch
    day = models.DateField(_("数据日期"))
    source = models.CharField(_("数据来源（行政区划代码）"), max_length=6)
    changelog_from = models.BigIntegerField(_("变更日志起（不含）"))
    changelog_to = models.BigIntegerField(_("变更日志止（含）"))
    counts = models.JSONField(_("各表条数"), default=dict)
    manifest_sha256 = models.CharField(_("清单SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    acceptance_sha256 = models.CharField(_("回执文件SHA-256"), max_length=64, blank=True)
    reconciled_at = models.DateTimeField(_("回执导入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("交换批次")
        verbose_name_plural = _("交换批次")

    def __str__(self):
        return f"交换批次{self.number}"


class Row(models.Model):
    Table = Table
    Operation = Operation
    State = RowState

    table = models.CharField(_("交换表"), max_length=12, choices=Table.choices)
    key = models.CharField(_("数据对象"), max_length=80)  # "case:12", "publication:7", "power:<lineage uuid>"
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    operation = models.CharField(_("操作"), max_length=1, choices=Operation.choices)
    cd_id = models.CharField(_("记录标识"), max_length=64, unique=True)
    # The record carries the party's 行政相对人编码 (a person's ID number): SM4 at rest like the party's own.
    record = EncryptedJSONField(_("记录"), default=dict)
    digest = models.CharField(_("内容摘要"), max_length=64)
    batch = models.ForeignKey(Batch, verbose_name=_("批次"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="rows")
    state = models.CharField(_("状态"), max_length=10, choices=RowState.choices, default=RowState.QUEUED,
                             db_index=True)
    reason = models.TextField(_("原因"), blank=True)
    queued_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["table", "key"], name="exchange_row_table_key")]
        verbose_name = _("交换记录")
        verbose_name_plural = _("交换记录")

    def __str__(self):
        return f"{self.get_table_display()} {self.key} {self.operation}"


class ListImport(models.Model):
    """One import of a list a province publishes (主体 / 人员 / 事项清单, 信用风险分类): the file's digest, what
    it created, updated and left unchanged. The subject of the import's ledger entry."""

    class Kind(models.TextChoices):
        ENTITIES = "entities", _("执法主体清单")
        OFFICERS = "officers", _("执法人员清单")
        POWERS = "powers", _("执法事项清单")
        CREDIT_RISK = "credit_risk", _("信用风险分类结果")

    kind = models.CharField(_("清单类别"), max_length=12, choices=Kind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    skipped = models.PositiveIntegerField(_("未匹配"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("清单导入")
        verbose_name_plural = _("清单导入")

    def __str__(self):
        return f"{self.get_kind_display()}导入 {self.filename}"

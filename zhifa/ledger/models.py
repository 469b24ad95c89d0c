"""The ledger's tables. LedgerEntry, LedgerNode and TreeHead are append-only: database triggers
(migration 0002, appendonly.py) refuse UPDATE and DELETE. LedgerHead is the one row that changes:
it serialises appends and caches the current size and root (verify checks it against the
entries, so a head that disagrees is caught)."""
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.scope import AUDIT_ONLY_RULES, RestrictedManager


class LedgerEntry(models.Model):
    seq = models.BigIntegerField(_("序号"), primary_key=True)  # 0-based leaf index
    body = models.TextField(_("内容"))  # canonical JSON; the leaf is SHA-256(0x00 || UTF-8 body)
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=32)
    event_type = models.CharField(_("事件类型"), max_length=64, db_index=True)
    # The columns below repeat what the body says, for queries; verify checks they agree.
    subject_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    # A plain integer, not a foreign key: the ledger must never block deleting or moving a case.
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True, db_index=True)
    # PROTECT: SET_NULL would have to UPDATE an append-only row (the trigger refuses it).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"))

    # An audit log (三员分立): the login audit and every ledgered act; read as a log by the audit
    # administrator only (zhifa.common.scope), one entry through its case or ledger.api.
    objects = RestrictedManager()
    audit_log = True
    scope_rules = AUDIT_ONLY_RULES

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "seq"], name="ledger_subject_seq")]
        verbose_name = _("日志条目")
        verbose_name_plural = _("日志条目")

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type}"

    @property
    def leaf_hash_hex(self) -> str:
        return bytes(self.leaf_hash).hex()


class LedgerNode(models.Model):
    """Hash of one complete aligned subtree (level l, index i: leaves [i·2^l, (i+1)·2^l)), level 0
    being the leaves themselves, keyed by its post-order position (merkle.node_key)."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("默克尔树节点")
        verbose_name_plural = _("默克尔树节点")


class LedgerHead(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    root = models.CharField(max_length=64)  # hex
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日志头")
        verbose_name_plural = _("日志头")


class TreeHead(models.Model):
    """A signed tree head: Ed25519 over canonical JSON {"log","root_hash","timestamp","tree_size"}."""

    tree_size = models.BigIntegerField(_("树大小"), db_index=True)
    root_hash = models.CharField(_("根哈希"), max_length=64)
    timestamp = models.BigIntegerField(_("时间戳（毫秒）"))
    key_id = models.CharField(_("密钥标识"), max_length=16)
    public_key = models.CharField(_("公钥"), max_length=64)
    signature = models.CharField(_("签名"), max_length=128)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")

    def as_dict(self) -> dict[str, Any]:
        return {"log": "zhifa", "tree_size": self.tree_size, "root_hash": self.root_hash,
                "timestamp": self.timestamp, "key_id": self.key_id, "public_key": self.public_key,
                "signature": self.signature}

"""Witnesses of the ledger: outside parties (the supervising justice bureau, an auditor, a citizen)
who fetch the signed tree heads, check each new one against the last they kept, and co-sign it.

WitnessKey rows are registered by an administrator (change-logged); a Cosignature is accepted
only from an active registered key whose signature verifies (change-logged, and append-only like
the tree heads it refers to: migration 0001 installs the triggers)."""
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.ledger.models import TreeHead


class WitnessKey(models.Model):
    name = models.CharField(_("见证方名称"), max_length=100)
    public_key = models.CharField(_("公钥"), max_length=64, unique=True)  # raw Ed25519, lowercase hex
    key_id = models.CharField(_("密钥标识"), max_length=16)
    active = models.BooleanField(_("有效"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("见证方密钥")
        verbose_name_plural = _("见证方密钥")

    def __str__(self) -> str:
        return f"{self.name}（{self.key_id}）"


class Cosignature(models.Model):
    head = models.ForeignKey(TreeHead, verbose_name=_("签名树头"), on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.ForeignKey(WitnessKey, verbose_name=_("见证方"), on_delete=models.PROTECT,
                                related_name="cosignatures")
    signature = models.CharField(_("联署签名"), max_length=128)
    received_at = models.DateTimeField(_("收到时间"))

    class Meta:
        ordering = ["head_id", "witness_id"]
        constraints = [models.UniqueConstraint(fields=["head", "witness"], name="witness_cosignature_once")]
        verbose_name = _("联署")
        verbose_name_plural = _("联署")

    def __str__(self) -> str:
        return f"{self.witness_id} → 树头 {self.head_id}"

    def as_dict(self) -> dict[str, Any]:
        return {"witness": self.witness.name, "key_id": self.witness.key_id, "public_key": self.witness.public_key,
                "signature": self.signature, "received_at": self.received_at.isoformat()}

"""Witness keys (registered by an administrator) and the co-signatures witnesses submit.

A co-signature arrives without an account: the signature is the credential. It is accepted only
when its key is registered and active, the head it names is one the platform signed, and the
signature verifies over that head (protocol.cosignature_message). Every accepted one is
change-logged (and so ledgered)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.roles import Role
from zhifa.ledger.models import TreeHead
from zhifa.witness import protocol
from zhifa.witness.models import Cosignature, WitnessKey

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def is_admin(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and (user.is_superuser or getattr(user, "role", None) == Role.ADMIN))


def _check_admin(user: Any) -> None:
    if not is_admin(user):
        raise ActionRefused("witness.admin_only", "只有系统管理员可以登记或停用见证方密钥")


def _key(public_key: Any) -> str:
    text = (public_key or "").strip().lower() if isinstance(public_key, str) else ""
    if not protocol.public_key_ok(text):
        raise ActionRefused("validation", "公钥应为 Ed25519 原始公钥的64位十六进制", field="public_key")
    return text


@transaction.atomic
def do_register_witness_key(name: str, public_key: str, *, acting_user: AbstractBaseUser | AnonymousUser | None,
                            note: str = "") -> WitnessKey:
    _check_admin(acting_user)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ActionRefused("validation", "见证方名称：必须填写，不超过100个字符", field="name")
    key = _key(public_key)
    if WitnessKey.objects.filter(public_key=key).exists():
        raise ActionRefused("witness.key_exists", "该公钥已登记", field="public_key")
    wk = WitnessKey.objects.create(name=name, public_key=key, key_id=protocol.key_id(key), note=(note or "")[:200],
                                   created_at=timezone.now())
    log_change(wk, "create", acting_user=acting_user, after=snapshot(wk))
    return wk


@transaction.atomic
def do_set_witness_key_active(wk: WitnessKey, active: bool, *, acting_user: AbstractBaseUser | AnonymousUser | None,
                              reason: str = "") -> WitnessKey:
    _check_admin(acting_user)
    wk = WitnessKey.objects.select_for_update().get(pk=wk.pk)
    if wk.active == active:
        return wk
    before = snapshot(wk)
    wk.active = active
    wk.save(update_fields=["active"])
    log_change(wk, "update", acting_user=acting_user, before=before, after=snapshot(wk), reason=reason)
    return wk


@transaction.atomic
def do_accept_cosignature(*, tree_size: int, root_hash: str, timestamp: int, public_key: str, signature: str,
                          acting_user: AbstractBaseUser | AnonymousUser | None = None) -> tuple[Cosignature, bool]:
    """(the co-signature, whether it is new). Submitting the same one twice is not an error."""
    key = _key(public_key)
    wk = WitnessKey.objects.filter(public_key=key).first()
    if wk is None or not wk.active:
        raise ActionRefused("witness.unregistered", "该见证方公钥未登记或已停用：请联系平台管理员登记", field="public_key")
    head = (TreeHead.objects.filter(tree_size=tree_size, root_hash=(root_hash or "").lower(), timestamp=timestamp)
            .order_by("id").first())
    if head is None:
        raise ActionRefused("witness.unknown_head", "平台没有签署过该树头（树大小、根哈希、时间戳须与平台发布的一致）",
                            field="root_hash")
    if not protocol.verify_cosignature(head.as_dict(), signature or "", key):
        raise ActionRefused("witness.bad_signature", "联署签名无效（与该树头和见证方公钥不符）", field="signature")
    known = Cosignature.objects.filter(head=head, witness=wk).first()
    if known is not None:
        return known, False
    try:
        with transaction.atomic():
            cos = Cosignature.objects.create(head=head, witness=wk, signature=signature.lower(),
                                             received_at=timezone.now())
    except IntegrityError:  # the same witness submitting twice at once
        return Cosignature.objects.get(head=head, witness=wk), False
    log_change(cos, "create", acting_user=acting_user, after=snapshot(cos), reason=f"见证方{wk.name}联署")
    return cos, True

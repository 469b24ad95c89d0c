"""API: the tamper-evident ledger (RFC 9162 Merkle log): signed tree heads, the public key, entries
and inclusion / consistency proofs. Hashes are lowercase hex.

Scope: an entry that belongs to a case is visible only to those who may view the case (404
otherwise); an entry tied to no case (accounts, officers, publications, the whole platform's actors
and object ids) only to supervisors and the audit administrator (rule ledger.unscoped_entries); the
system and security administrators read no entry at all (三员分立: the ledger is an audit log); tree heads, the public key and proofs carry hashes only and are public (no account),
so that anyone holding an archive package or a published digest can check it against the log.

The ledger is ground and knows a case only by its id (LedgerEntry.case_id is a plain integer), so
the entry route finds the case model through the app registry rather than importing zhifa.cases.
"""
import json
import time
from typing import Annotated, Any, Optional

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema

from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import MAX_ID, F, actor, responses
from zhifa.common.roles import Role, is_audit_admin, is_superuser_allowed, may_read_audit_logs
from zhifa.ledger import log, signing
from zhifa.ledger.models import LedgerEntry

router = Router(tags=["防篡改日志"])

# Who may read entries tied to no case (least privilege, 等保 access control): supervision reads
# across entities by its mandate, the audit administrator by office.
UNSCOPED_READERS = (Role.SUPERVISOR, Role.AUDIT_ADMIN)


def may_read_unscoped(user: Any) -> bool:
    return bool(is_superuser_allowed(user) or user.role in UNSCOPED_READERS)


class TreeHeadOut(Schema):
    log: str = F("zhifa", "日志名称")
    tree_size: int = F(..., "树大小", "签名时日志的条目数")
    root_hash: str = F(..., "根哈希", "RFC 9162 默克尔树根哈希（十六进制）")
    timestamp: int = F(..., "时间戳", "签名时间（Unix 毫秒）")
    key_id: str = F(..., "密钥标识", "公钥 SHA-256 的前16位十六进制")
    public_key: str = F(..., "公钥", "Ed25519 原始公钥（32字节，十六进制）")
    signature: str = F(..., "签名", 'Ed25519 签名（十六进制），签名内容为规范JSON {"log","root_hash","timestamp","tree_size"}')


class KeyOut(Schema):
    key_id: str = F(..., "密钥标识")
    public_key: str = F(..., "公钥", "Ed25519 原始公钥（32字节，十六进制）")


class PublicKeyOut(KeyOut):
    algorithm: str = F("Ed25519", "签名算法")
    trusted: list[KeyOut] = F(..., "可信密钥", "核验历史树头时接受的全部公钥（含当前密钥）")


class EntryOut(Schema):
    seq: int = F(..., "序号", "从0开始")
    body: dict[str, Any] = F(..., "内容", "条目内容：seq、type、time、actor、subject、fingerprint、case、data")
    canonical: str = F(..., "规范文本", "条目内容的规范JSON文本（UTF-8）；叶哈希 = SHA-256(0x00 ‖ 该文本)")
    leaf_hash: str = F(..., "叶哈希")


class InclusionQuery(Schema):
    seq: int = F(..., "序号", "要证明的条目序号（从0开始）", ge=0, le=MAX_ID)
    tree_size: Optional[int] = F(None, "树大小", "证明所针对的树大小，默认为当前日志大小", ge=1, le=MAX_ID)


class InclusionOut(Schema):
    seq: int = F(..., "序号")
    tree_size: int = F(..., "树大小")
    leaf_hash: str = F(..., "叶哈希")
    root_hash: str = F(..., "根哈希", "该树大小的根哈希")
    proof: list[str] = F(..., "包含证明", "RFC 9162 §2.1.3 审计路径，自下而上")


class ConsistencyQuery(Schema):
    first: int = F(..., "旧树大小", ge=1, le=MAX_ID)
    second: Optional[int] = F(None, "新树大小", "默认为当前日志大小", ge=1, le=MAX_ID)


class ConsistencyOut(Schema):
    first: int = F(..., "旧树大小")
    second: int = F(..., "新树大小")
    first_root: str = F(..., "旧根哈希")
    second_root: str = F(..., "新根哈希")
    proof: list[str] = F(..., "一致性证明", "RFC 9162 §2.1.4 一致性证明")


def _refuse(e: log.LedgerRangeError) -> ActionRefused:
    return ActionRefused("validation", e.message, field=e.field)


@router.get("/tree-head", response=responses(TreeHeadOut), operation_id="ledger_tree_head", auth=None,
            summary="最新签名树头",
            description="返回最新的签名树头；如日志在上次签名后有新增条目且上次签名已满设定间隔（默认60秒），"
                        "先签署当前大小的树头。")
def tree_head(request: HttpRequest) -> dict[str, Any]:
    # Anyone may ask, without an account: a new head is signed at most once per interval, so a
    # poller cannot make the platform write (and sign) on every request.
    latest = log.latest_tree_head()
    every_ms = settings.ZHIFA_TREE_HEAD_MIN_SECONDS * 1000
    if latest is None or (latest.tree_size < log.size() and time.time() * 1000 - latest.timestamp >= every_ms):
        with transaction.atomic():
            latest = log.sign_tree_head()
    return latest.as_dict()


@router.get("/public-key", response=responses(PublicKeyOut), operation_id="ledger_public_key", auth=None,
            summary="签名公钥")
def public_key(request: HttpRequest) -> dict[str, Any]:
    return {"key_id": signing.key_id(), "public_key": signing.public_key_hex(), "algorithm": "Ed25519",
            "trusted": [{"key_id": k, "public_key": v} for k, v in signing.trusted_keys().items()]}


@router.get("/entries/{seq}", response=responses(EntryOut), operation_id="ledger_entry",
            summary="日志条目", description="属于某案件的条目，只有有权查看该案件的用户可见。")
def entry(request: HttpRequest,
          seq: Annotated[int, Path(..., title="序号", description="条目序号（从0开始）", ge=0, le=MAX_ID)],
          ) -> dict[str, Any]:
    user = actor(request)
    row = LedgerEntry.objects.filter(seq=seq).first()
    if row is None or not may_read_audit_logs(user):  # 三员分立: not the system/security administrator
        raise Http404
    if row.case_id is not None:
        case_model = apps.get_model("cases", "Case")
        if not (is_audit_admin(user) or case_model.objects.restrict(user, "view").filter(pk=row.case_id).exists()):
            raise Http404
    elif not may_read_unscoped(user):  # ledger.unscoped_entries
        raise Http404
    return {"seq": row.seq, "body": json.loads(row.body), "canonical": row.body, "leaf_hash": row.leaf_hash_hex}


@router.get("/proof/inclusion", response=responses(InclusionOut), operation_id="ledger_inclusion_proof", auth=None,
            summary="包含证明", description="证明第 seq 条在大小为 tree_size 的树中（RFC 9162 §2.1.3）。")
def inclusion(request: HttpRequest, q: Query[InclusionQuery]) -> dict[str, Any]:
    try:
        size = log.size() if q.tree_size is None else q.tree_size
        proof = log.inclusion_proof(q.seq, size)
        root = log.root(size)
    except log.LedgerRangeError as e:
        raise _refuse(e) from None
    leaf = LedgerEntry.objects.filter(seq=q.seq).values_list("leaf_hash", flat=True).first()
    return {"seq": q.seq, "tree_size": size, "leaf_hash": bytes(leaf).hex() if leaf is not None else "",
            "root_hash": root.hex(), "proof": [p.hex() for p in proof]}


@router.get("/proof/consistency", response=responses(ConsistencyOut), operation_id="ledger_consistency_proof", auth=None,
            summary="一致性证明", description="证明大小为 first 的树是大小为 second 的树的前缀（RFC 9162 §2.1.4）。")
def consistency(request: HttpRequest, q: Query[ConsistencyQuery]) -> dict[str, Any]:
    try:
        second = log.size() if q.second is None else q.second
        proof = log.consistency_proof(q.first, second)
        first_root, second_root = log.root(q.first), log.root(second)
    except log.LedgerRangeError as e:
        raise _refuse(e) from None
    return {"first": q.first, "second": second, "first_root": first_root.hex(), "second_root": second_root.hex(),
            "proof": [p.hex() for p in proof]}

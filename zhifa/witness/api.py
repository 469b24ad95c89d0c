"""API: the history of signed tree heads with their co-signatures, witness keys, and the
co-signature submission a witness makes (`zhifa witness check --submit`).

Reading is public (hashes and public keys only). A co-signature is submitted without an account:
the signature by a registered, active witness key is the credential (actions.do_accept_cosignature).
Registering a witness key is for administrators."""
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.responses import Status

from zhifa.common.api.base import MAX_ID, F, actor, responses
from zhifa.witness import actions, heads
from zhifa.witness.models import WitnessKey

router = Router(tags=["见证方"])

HEX64 = r"^[0-9a-f]{64}$"
HEX128 = r"^[0-9a-f]{128}$"


class CosignatureOut(Schema):
    witness: str = F(..., "见证方")
    key_id: str = F(..., "见证方密钥标识")
    public_key: str = F(..., "见证方公钥")
    signature: str = F(..., "联署签名", "Ed25519 签名（十六进制），内容为 b\"zhifa-witness-cosignature/1\\n\" 加树头的规范JSON")
    received_at: str = F(..., "收到时间")


class HeadOut(Schema):
    id: int = F(..., "编号")
    log: str = F("zhifa", "日志名称")
    tree_size: int = F(..., "树大小")
    root_hash: str = F(..., "根哈希")
    timestamp: int = F(..., "时间戳", "签名时间（Unix 毫秒）")
    signed_at: str = F(..., "签署时间")
    key_id: str = F(..., "密钥标识")
    public_key: str = F(..., "公钥")
    signature: str = F(..., "签名")
    cosignatures: list[CosignatureOut] = F(..., "见证方联署")


class HeadPageOut(Schema):
    page: int = F(..., "页码")
    pages: int = F(..., "总页数")
    count: int = F(..., "树头总数")
    heads: list[HeadOut] = F(..., "树头", "最新的在前")


class PageQuery(Schema):
    page: int = F(1, "页码", ge=1, le=MAX_ID)


class CosignatureIn(Schema):
    tree_size: int = F(..., "树大小", ge=0, le=MAX_ID)
    root_hash: str = F(..., "根哈希", pattern=HEX64)
    timestamp: int = F(..., "时间戳", ge=0, le=MAX_ID)
    public_key: str = F(..., "见证方公钥", "已由平台管理员登记的 Ed25519 公钥（十六进制）", pattern=HEX64)
    signature: str = F(..., "联署签名", pattern=HEX128)


class AcceptedOut(Schema):
    head_id: int = F(..., "树头编号")
    new: bool = F(..., "是否新收到", "同一见证方对同一树头重复提交时为 false")
    cosignature: CosignatureOut = F(..., "联署")


class WitnessKeyOut(Schema):
    id: int = F(..., "编号")
    name: str = F(..., "见证方名称")
    public_key: str = F(..., "公钥")
    key_id: str = F(..., "密钥标识")
    active: bool = F(..., "有效")


class WitnessKeyIn(Schema):
    name: str = F(..., "见证方名称", max_length=100)
    public_key: str = F(..., "公钥", "Ed25519 原始公钥（64位十六进制），由见证方 zhifa witness init 生成")
    note: str = F("", "备注", max_length=200)


class ActiveIn(Schema):
    active: bool = F(..., "有效")


@router.get("/tree-heads", response=responses(HeadPageOut), operation_id="witness_tree_heads", auth=None,
            summary="签名树头及联署", description="签名树头的历史（最新的在前，每页20个），每个附见证方的联署。")
def tree_heads(request: HttpRequest, q: Query[PageQuery]) -> dict[str, Any]:
    return heads.page_dict(heads.page(q.page))


@router.get("/tree-heads/{head_id}", response=responses(HeadOut), operation_id="witness_tree_head", auth=None,
            summary="一个签名树头及其联署")
def tree_head(request: HttpRequest,
              head_id: Annotated[int, Path(..., title="树头编号", ge=1, le=MAX_ID)]) -> dict[str, Any]:
    head = heads.get(head_id)
    if head is None:
        raise Http404("该树头不存在")
    return heads.head_dict(head)


@router.post("/cosignatures", response={**responses(AcceptedOut, 201), 200: AcceptedOut},
             operation_id="witness_cosign", auth=None, summary="提交联署",
             description="见证方核对树头后提交的联署。只接受已登记且有效的见证方公钥、平台签署过的树头和有效的签名。")
def cosign(request: HttpRequest, body: CosignatureIn) -> Any:
    cos, new = actions.do_accept_cosignature(tree_size=body.tree_size, root_hash=body.root_hash,
                                             timestamp=body.timestamp, public_key=body.public_key,
                                             signature=body.signature)
    out = {"head_id": cos.head_id, "new": new, "cosignature": cos.as_dict()}
    return Status(201, out) if new else out


@router.get("/keys", response=responses(list[WitnessKeyOut]), operation_id="witness_keys", auth=None,
            summary="见证方密钥", description="已登记的见证方及其公钥（含已停用的）。")
def keys(request: HttpRequest) -> list[WitnessKey]:
    return list(WitnessKey.objects.order_by("id"))


@router.post("/keys", response=responses(WitnessKeyOut, 201), operation_id="witness_key_register",
             summary="登记见证方密钥", description="仅系统管理员。")
def register_key(request: HttpRequest, body: WitnessKeyIn) -> Any:
    return Status(201, actions.do_register_witness_key(body.name, body.public_key, note=body.note,
                                                       acting_user=actor(request)))


@router.post("/keys/{key_pk}/active", response=responses(WitnessKeyOut), operation_id="witness_key_active",
             summary="启用或停用见证方密钥", description="仅系统管理员。停用后不再接受该密钥的联署，已收到的联署保留。")
def set_active(request: HttpRequest, key_pk: Annotated[int, Path(..., title="编号", ge=1, le=MAX_ID)],
               body: ActiveIn) -> WitnessKey:
    wk = WitnessKey.objects.filter(pk=key_pk).first()
    if wk is None:
        raise Http404("该见证方密钥不存在")
    return actions.do_set_witness_key_active(wk, body.active, acting_user=actor(request))

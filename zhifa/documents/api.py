"""A case's documents over REST: list, generate one (PDF by the worker), complete the case file
before 归档 (archive.documents_complete) and read the 卷内目录 — what the 文书 tab does, so a client
can take a case to the archive over the API alone."""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Literal, Optional

from ninja import Router, Schema
from ninja.responses import Status

from zhifa.cases.models import Case
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses
from zhifa.documents import actions, archive
from zhifa.documents.models import GeneratedDocument

router = Router(tags=["执法文书"])


class CaseDocumentOut(Schema):
    id: int = F(..., "编号")
    doc_type: str = F(..., "文书类型")
    label: str = F(..., "文书名称")
    number: str = F(..., "文号")
    version: int = F(..., "版本")
    pdf_status: str = F(..., "PDF状态")
    generated_at: dt.datetime = F(..., "生成时间")

    @staticmethod
    def resolve_label(obj):
        return archive.label(obj.doc_type)


class DocumentGenerateIn(InSchema):
    doc_type: str = F(..., "文书类型", max_length=30)
    extra: dict = F({}, "补充填写内容（如证据、检查地点）")
    request_key: str = F("", "请求标识（重复提交返回同一版本）", max_length=40)


class CaseFileIndexRow(Schema):
    no: int = F(..., "序号")
    title: str = F(..., "题名")
    number: str = F(..., "文号")
    date: str = F(..., "日期")
    version: int | None = F(None, "版本")


class CaseFileIndexOut(Schema):
    missing: list[str] = F(..., "归档尚缺的文书")
    catalogue: list[CaseFileIndexRow] = F(..., "卷内目录")


def _case(request, case_id) -> Case:
    return get_visible(Case, request, case_id)


@router.get("/case/{case_id}", response=responses(list[CaseDocumentOut]),
            operation_id="zhifa_apiv1_documents_list", summary="案件的文书（各版本）")
def list_documents(request, case_id: int):
    case = _case(request, case_id)
    return list(GeneratedDocument.objects.restrict(actor(request), "view").filter(case=case)
                .order_by("doc_type", "version"))


@router.post("/case/{case_id}", response=responses(CaseDocumentOut, 201),
             operation_id="zhifa_apiv1_documents_generate", summary="生成文书（PDF由后台生成）")
def generate(request, case_id: int, body: DocumentGenerateIn):
    doc = actions.do_generate_document(_case(request, case_id), body.doc_type, acting_user=actor(request),
                                       extra=body.extra, pdf="background", request_key=body.request_key)
    return 201, doc


@router.get("/case/{case_id}/case-file", response=responses(CaseFileIndexOut),
            operation_id="zhifa_apiv1_documents_case_file", summary="卷内目录与归档尚缺的文书")
def case_file(request, case_id: int):
    case = _case(request, case_id)
    return {"missing": [archive.label(t) for t in archive.missing_types(case)],
            "catalogue": [{k: r[k] for k in ("no", "title", "number", "date", "version")}
                          for r in archive.catalogue(case)]}


@router.post("/case/{case_id}/case-file/complete", response=responses(list[CaseDocumentOut]),
             operation_id="zhifa_apiv1_documents_complete", summary="补齐归档文书")
def complete(request, case_id: int):
    return archive.generate_missing(_case(request, case_id), acting_user=actor(request))


# ---- on the spot, synced from a phone that was offline (issue 20) ---------------------------------
SHA256_PATTERN = r"^[0-9a-fA-F]{64}$"


class SignatureIn(InSchema):
    client_uuid: uuid.UUID = F(..., "设备端编号", "签名时设备生成的编号；重复同步返回同一签名")
    document_sha256: str = F(..., "所签文书SHA-256", "签名时页面所示版本的 .docx 摘要", pattern=SHA256_PATTERN)
    outcome: Literal["signed", "refused"] = F("signed", "结果", "signed 当事人签名 / refused 拒绝签名")
    signer_name: str = F("", "签名人", max_length=100)
    image: str = F("", "签名图像", "PNG 图像（data:image/png;base64,… 或 base64）", max_length=800_000)
    image_sha256: Optional[str] = F(None, "签名图像SHA-256", "设备端计算；与服务器摘要不符则拒绝（documents.device_hash）",
                                    pattern=SHA256_PATTERN)
    reason: str = F("", "拒绝签名原因", max_length=500)
    witness: str = F("", "见证人", max_length=100)
    device_time: Optional[dt.datetime] = F(None, "设备时间", "签名时设备的时钟")


class SignatureOut(Schema):
    id: int = F(..., "编号")
    document: int = F(..., "所签文书版本")
    document_sha256: str = F(..., "所签文书SHA-256")
    outcome: str = F(..., "结果")
    signer_name: str = F(..., "签名人")
    image_sha256: str = F(..., "签名图像SHA-256")
    signed_document: Optional[int] = F(None, "签名后的文书")
    client_uuid: Optional[uuid.UUID] = F(None, "设备端编号")
    device_time: Optional[dt.datetime] = F(None, "设备时间")
    recorded_at: dt.datetime = F(..., "服务器记录时间")

    @staticmethod
    def resolve_document(obj):
        return obj.document_id

    @staticmethod
    def resolve_signed_document(obj):
        return obj.signed_document_id


class PrintIn(InSchema):
    client_uuid: Optional[uuid.UUID] = F(None, "设备端编号", "离线打印时设备生成的编号；重复同步返回同一记录")
    copies: int = F(1, "份数", ge=1, le=20)
    source: Literal["pdf", "device"] = F("pdf", "打印来源", "pdf 服务器PDF / device 本机离线渲染")
    content_sha256: str = F("", "所印内容SHA-256", "本机打印时所印文字的 SHA-256")
    device_time: Optional[dt.datetime] = F(None, "设备时间", "打印时设备的时钟")


class PrintOut(Schema):
    id: int = F(..., "编号")
    document: int = F(..., "文书版本")
    copies: int = F(..., "份数")
    source: str = F(..., "打印来源")
    pdf_sha256: str = F(..., "PDF文件SHA-256")
    content_sha256: str = F(..., "所印内容SHA-256")
    client_uuid: Optional[uuid.UUID] = F(None, "设备端编号")
    device_time: Optional[dt.datetime] = F(None, "设备时间")
    printed_at: dt.datetime = F(..., "服务器记录时间")

    @staticmethod
    def resolve_document(obj):
        return obj.document_id


def _png(value: str) -> bytes:
    value = (value or "").strip()
    if value.startswith("data:"):
        head, _, value = value.partition(",")
        if head != "data:image/png;base64":
            raise ActionRefused("documents.signature_image", "签名图像无效（应为PNG图像）", field="image")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ActionRefused("documents.signature_image", "签名图像无效（base64 编码有误）", field="image") from None


@router.post("/{doc_id}/signature", response={**responses(SignatureOut, 201), 200: SignatureOut},
             operation_id="zhifa_apiv1_documents_sign", summary="当事人签名或拒签（现场，可离线后同步）")
def sign(request, doc_id: int, body: SignatureIn):
    from zhifa.documents import field

    doc = get_visible(GeneratedDocument, request, doc_id)
    user = actor(request)
    if body.outcome == "refused":
        sig = field.do_record_refusal(doc, acting_user=user, document_sha256=body.document_sha256,
                                      reason=body.reason, witness=body.witness, client_uuid=body.client_uuid,
                                      device_time=body.device_time)
    else:
        sig = field.do_sign_document(doc, acting_user=user, document_sha256=body.document_sha256,
                                     image=_png(body.image), signer_name=body.signer_name,
                                     client_uuid=body.client_uuid, device_time=body.device_time,
                                     device_image_sha256=body.image_sha256 or "")
    return Status(200 if sig.replayed else 201, sig)


@router.post("/{doc_id}/prints", response={**responses(PrintOut, 201), 200: PrintOut},
             operation_id="zhifa_apiv1_documents_print", summary="记录一次打印（现场，可离线后同步）")
def log_print(request, doc_id: int, body: PrintIn):
    from zhifa.documents import field

    doc = get_visible(GeneratedDocument, request, doc_id)
    p = field.do_log_print(doc, acting_user=actor(request), copies=body.copies, source=body.source,
                           content_sha256=body.content_sha256, client_uuid=body.client_uuid,
                           device_time=body.device_time)
    return Status(200 if p.replayed else 201, p)

"""API: resumable chunked uploads of evidence files (zhifa.blobs.uploads).

    POST   /api/v1/uploads                {filename, size, sha256?} → 201 {id, offset, size, state, chunk_max}
    PATCH  /api/v1/uploads/{id}           raw bytes, header Upload-Offset → {offset}
    GET    /api/v1/uploads/{id}           → {offset, size, state, chunk_max}
    POST   /api/v1/uploads/{id}/complete  → {sha256, sm3, size, mime, kind, kind_display}
    DELETE /api/v1/uploads/{id}           → 204 (aborted)

A client that lost track (network error, page reload) asks GET for the offset, or sends a chunk
and reads the 409 answer of rule upload.offset_mismatch, whose `offset` (and the Upload-Offset
response header) says where to resume. Sessions are private: another user's id is 404.
zhifa/blobs/static/blobs/chunked_upload.js is the browser client.
"""
import uuid
from typing import Optional

from django.conf import settings
from django.http import Http404, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from zhifa.blobs import uploads
from zhifa.blobs.models import Blob, UploadSession
from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import ERRORS, ErrorOut, F, InSchema, actor, responses

router = Router(tags=["分块上传"])

SHA256_PATTERN = r"^[0-9a-fA-F]{64}$"


class UploadIn(InSchema):
    filename: str = F(..., "文件名", "仅用于显示；文件类型按内容识别", max_length=255)
    size: int = F(..., "文件大小", "字节数", ge=0, le=2**62)
    sha256: Optional[str] = F(None, "SHA-256", "可选：文件的 SHA-256（64位十六进制），完成时核对",
                              pattern=SHA256_PATTERN)


class UploadOut(Schema):
    id: uuid.UUID = F(..., "上传编号")
    offset: int = F(..., "已接收字节", "下一块应从此处开始")
    size: int = F(..., "文件大小")
    state: str = F(..., "状态", "open 上传中 / complete 已完成 / aborted 已中止")
    chunk_max: int = F(..., "每块最大字节数")


class OffsetOut(Schema):
    offset: int = F(..., "已接收字节")


class StatusOut(Schema):
    offset: int = F(..., "已接收字节")
    size: int = F(..., "文件大小")
    state: str = F(..., "状态", "open 上传中 / complete 已完成 / aborted 已中止")
    chunk_max: int = F(..., "每块最大字节数")


class OffsetErrorOut(ErrorOut):
    offset: Optional[int] = F(None, "已接收字节", "上传位置不符时：服务器已接收的字节数，从此处继续")


class BlobOut(Schema):
    sha256: str = F(..., "SHA-256")
    sm3: str = F(..., "SM3")
    size: int = F(..., "大小（字节）")
    mime: str = F(..., "文件类型", "按内容识别的 MIME 类型")
    kind: str = F(..., "类别", "photo 照片 / audio 录音 / video 录像 / document 文档 / text 文本")
    kind_display: str = F(..., "类别名称")

    @staticmethod
    def resolve_kind_display(obj: Blob):
        return obj.get_kind_display()


def _session(request, upload_id: str) -> UploadSession:
    try:
        pk = uuid.UUID(str(upload_id))
    except ValueError:
        raise Http404 from None
    s = UploadSession.objects.filter(pk=pk, owner=actor(request)).first()
    if s is None:
        raise Http404
    return s


def _out(s: UploadSession) -> dict:
    return {"id": s.id, "offset": s.received, "size": s.size, "state": s.state,
            "chunk_max": settings.ZHIFA_UPLOAD_CHUNK_MAX}


@router.post("", response=responses(UploadOut, 201), operation_id="uploads_start", summary="开始分块上传")
def start(request, payload: UploadIn):
    s = uploads.start_upload(actor(request), filename=payload.filename, size=payload.size, sha256=payload.sha256)
    return Status(201, _out(s))


@router.get("/{upload_id}", response=responses(StatusOut), operation_id="uploads_status",
            summary="查询上传进度（断点续传从 offset 继续）")
def status(request, upload_id: str, response: HttpResponse):
    s = _session(request, upload_id)
    response["Upload-Offset"] = str(s.received)
    return {**uploads.upload_status(s), "chunk_max": settings.ZHIFA_UPLOAD_CHUNK_MAX}


@router.patch("/{upload_id}", response={200: OffsetOut, **ERRORS, 409: OffsetErrorOut},
              operation_id="uploads_append", summary="上传一块",
              description="请求体为该块的原始字节（Content-Type: application/octet-stream），"
                          "请求头 Upload-Offset 为该块在文件中的起始位置，须等于服务器已接收的字节数。")
def append(request, upload_id: str, response: HttpResponse):
    s = _session(request, upload_id)
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        raise ActionRefused("validation", "缺少或无效的 Upload-Offset 请求头（应为非负整数）", field="offset") from None
    if offset < 0:
        raise ActionRefused("validation", "Upload-Offset 不能为负数", field="offset")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    try:
        # The request is passed as a stream: the body goes to disk in 1 MiB pieces.
        s = uploads.append_chunk(s, offset, request, length=length)
    except uploads.OffsetMismatch as e:
        response["Upload-Offset"] = str(e.expected)
        return Status(409, {"rule": e.rule, "message": e.message, "field": e.field, "offset": e.expected})
    response["Upload-Offset"] = str(s.received)
    return {"offset": s.received}


@router.post("/{upload_id}/complete", response=responses(BlobOut), operation_id="uploads_complete",
             summary="完成上传：核对大小与摘要，识别类型并存入")
def complete(request, upload_id: str):
    return uploads.finish_upload(_session(request, upload_id))


@router.delete("/{upload_id}", response=responses(None, 204), operation_id="uploads_abort", summary="中止上传")
def abort(request, upload_id: str):
    uploads.abort_upload(_session(request, upload_id))
    return Status(204, None)

"""全过程记录 over REST. Content goes up first through /api/v1/uploads (resumable chunks); a record
then refers to the finished upload, or carries a text record inline.

    GET  /records?case=&target=          records within scope (paginated)
    POST /records                        {case, upload_id | text, title, collectors, …}
    GET  /records/{id}?reason=           the record and its versions; logged as an access (调阅)
    GET  /records/{id}/versions/{n}/content?reason=   the bytes; logged as a download
    POST /records/{id}/versions          a correction: {reason, title?, …, upload_id?}
    GET  /records/access-log?case=       who accessed a case's records (heads, supervisors)
    PUT  /records/av-requirements/{entity}  the entity's A/V-required steps

Operation ids keep the names they were published under when this router lived in zhifa/apiv1/
(zhifa_apiv1_records_…): clients generated from the OpenAPI schema depend on them.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Optional

from django.http import FileResponse, Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from zhifa.blobs.store import open_blob
from zhifa.cases.models import Case, Party
from zhifa.common.actions import ActionRefused, OutOfScope
from zhifa.common.api.base import MAX_ID, F, InSchema, Pagination, RecordId, actor, get_visible, responses, visible
from zhifa.common.fields import match
from zhifa.orgs.models import Entity
from zhifa.records import actions
from zhifa.records.models import AccessLog, AvStep, RecordItem

router = Router(tags=["全过程记录"])


class RecordVersionOut(Schema):
    number: int = F(..., "版本号")
    title: str = F(..., "名称")
    proves: str = F(..., "证明对象")
    captured_at: dt.datetime = F(..., "采集时间")
    place: str = F(..., "采集地点")
    latitude: Optional[Decimal] = F(None, "纬度")
    longitude: Optional[Decimal] = F(None, "经度")
    device: str = F(..., "采集设备")
    collectors: list[dict] = F(..., "采集人")
    reason: str = F(..., "更正理由")
    filename: str = F(..., "文件名")
    sha256: str = F(..., "SHA-256")
    sm3: str = F(..., "SM3")
    size: int = F(..., "字节数")
    mime: str = F(..., "内容类型", "按文件内容识别")
    created_at: dt.datetime = F(..., "登记时间")

    @staticmethod
    def resolve_sha256(v):
        return v.blob.sha256

    @staticmethod
    def resolve_sm3(v):
        return v.blob.sm3

    @staticmethod
    def resolve_size(v):
        return v.blob.size

    @staticmethod
    def resolve_mime(v):
        return v.blob.mime


class RecordItemOut(Schema):
    id: int = F(..., "编号")
    case_id: int = F(..., "案件编号")
    kind: str = F(..., "记录类型", "text/photo/audio/video/document")
    step: str = F(..., "所记录的环节")
    target_key: str = F(..., "对象代码", "统一社会信用代码或身份证号")
    target_name: str = F(..., "对象名称")
    sensitive: bool = F(..., "敏感")
    version_count: int = F(..., "版本数")
    destroyed_at: Optional[dt.datetime] = F(None, "销毁时间")
    current: Optional[RecordVersionOut] = F(None, "当前版本")
    created_at: dt.datetime = F(..., "登记时间", "服务器接收时间")
    client_uuid: Optional[uuid.UUID] = F(None, "设备端编号", "现场离线采集时设备生成的编号")
    device_sha256: str = F("", "设备端SHA-256", "采集时设备计算的摘要")
    device_time: Optional[dt.datetime] = F(None, "设备时间", "采集时设备的时钟")


class RecordItemDetailOut(RecordItemOut):
    versions: list[RecordVersionOut] = F(..., "全部版本")

    @staticmethod
    def resolve_versions(item):
        return list(item.versions.select_related("blob").order_by("number"))


class RecordFilter(InSchema):
    case: Optional[int] = F(None, "案件编号", ge=1, le=MAX_ID)
    target: Optional[str] = F(None, "对象代码")
    kind: Optional[str] = F(None, "记录类型")


class RecordIn(InSchema):
    case: int = F(..., "案件编号")
    upload_id: Optional[str] = F(None, "上传编号", "本人通过 /api/v1/uploads 上传的编号，或上传完成时返回的 SHA-256")
    text: Optional[str] = F(None, "文字记录内容")
    title: str = F(..., "名称", max_length=200)
    proves: str = F("", "证明对象")
    captured_at: Optional[dt.datetime] = F(None, "采集时间", "默认为现在")
    place: str = F("", "采集地点", max_length=200)
    latitude: Optional[Decimal] = F(None, "纬度")
    longitude: Optional[Decimal] = F(None, "经度")
    device: str = F("", "采集设备", max_length=100)
    collectors: list[int] = F(..., "采集人", "执法人员编号列表")
    step: str = F("", "所记录的环节", "音像记录事项的环节代码，如 seize、hold_hearing")
    party: Optional[int] = F(None, "对应当事人")
    sensitive: bool = F(False, "敏感")
    client_uuid: Optional[uuid.UUID] = F(None, "设备端编号",
                                         "现场离线采集时设备生成的 UUID；同一编号重复提交返回已登记的记录（200），不重复登记")
    device_sha256: Optional[str] = F(None, "设备端SHA-256", "采集时设备计算的内容摘要；与服务器摘要不符则拒绝（records.device_hash）",
                                     pattern=r"^[0-9a-fA-F]{64}$")
    device_time: Optional[dt.datetime] = F(None, "设备时间", "采集时设备的时钟（与服务器接收时间一并记入防篡改日志）")


class CorrectionIn(InSchema):
    reason: str = F(..., "更正理由", min_length=1, max_length=500)
    upload_id: Optional[str] = F(None, "上传编号")
    text: Optional[str] = F(None, "文字记录内容")
    title: Optional[str] = F(None, "名称", max_length=200)
    proves: Optional[str] = F(None, "证明对象")
    captured_at: Optional[dt.datetime] = F(None, "采集时间")
    place: Optional[str] = F(None, "采集地点")
    device: Optional[str] = F(None, "采集设备")
    collectors: Optional[list[int]] = F(None, "采集人")


class AccessOut(Schema):
    time: dt.datetime = F(..., "时间")
    user_name: str = F(..., "调阅人")
    entity_name: str = F(..., "调阅人单位")
    action: str = F(..., "方式", "view/download/export")
    item_id: Optional[int] = F(None, "记录编号")
    version_number: Optional[int] = F(None, "版本号")
    reason: str = F(..., "调阅理由")

    @staticmethod
    def resolve_version_number(a):
        return a.version.number if a.version_id else None


class AvIn(InSchema):
    steps: list[str] = F(..., "环节", "、".join(f"{k}（{v}）" for k, v in AvStep.choices))


def _upload_blob(request, upload_id):
    return actions.blob_from_upload(actor(request), upload_id)


def _content(request, upload_id, text):
    if upload_id:
        blob, name = _upload_blob(request, upload_id)
        return {"blob": blob, "filename": name}
    if text is not None:
        return {"text": text}
    return {}


@router.get("", response=responses(list[RecordItemOut]), operation_id="zhifa_apiv1_records_list_records", summary="记录列表")
@paginate(Pagination)
def list_records(request, filters: Query[RecordFilter]):
    qs = visible(RecordItem, request).select_related("current", "current__blob").order_by("-id")
    if filters.case:
        qs = qs.filter(case_id=filters.case)
    if filters.target:
        qs = qs.filter(match(RecordItem, "target_key", filters.target))  # encrypted: its blind index
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


@router.post("", response={**responses(RecordItemDetailOut, 201), 200: RecordItemDetailOut},
             operation_id="zhifa_apiv1_records_add_record", summary="登记记录")
def add_record(request, data: RecordIn):
    case = get_visible(Case, request, data.case)
    party = Party.objects.filter(case=case, pk=data.party).first() if data.party else None
    if data.party and party is None:
        raise ActionRefused("validation", "当事人不属于本案", "party")
    content = _content(request, data.upload_id, data.text)
    if not content:
        raise ActionRefused("records.content", "请提供 upload_id 或 text", "upload_id")
    item = actions.do_add_record(
        case, acting_user=actor(request), title=data.title, proves=data.proves, captured_at=data.captured_at,
        place=data.place, latitude=data.latitude, longitude=data.longitude, device=data.device,
        collectors=data.collectors, step=data.step, party=party, sensitive=data.sensitive,
        client_uuid=data.client_uuid, device_sha256=data.device_sha256 or "", device_time=data.device_time, **content)
    return Status(200 if item.replayed else 201, item)


@router.get("/access-log", response=responses(list[AccessOut]),
            operation_id="zhifa_apiv1_records_access_log", summary="案件调阅记录")
@paginate(Pagination)
def access_log(request, case: int = Query(..., title="案件编号")):
    user = actor(request)
    c = get_visible(Case, request, case)
    if not actions.may_see_access_log(user):
        raise OutOfScope("调阅记录仅供负责人和执法监督人员查看")
    return visible(AccessLog, request).filter(case=c).select_related("version")


@router.get("/{pk}", response=responses(RecordItemDetailOut),
            operation_id="zhifa_apiv1_records_get_record", summary="调阅记录（登记调阅）")
def get_record(request, pk: RecordId, reason: str = ""):
    item = get_visible(RecordItem.objects.restrict(actor(request), "view").select_related("current__blob"),
                       request, pk)
    actions.do_log_access(item, acting_user=actor(request), action=AccessLog.Action.VIEW, reason=reason)
    return item


@router.get("/{pk}/versions/{number}/content", operation_id="zhifa_apiv1_records_get_content", summary="下载记录内容（登记调阅）",
            response={200: None, 403: dict, 404: dict, 409: dict, 422: dict})
def get_content(request, pk: RecordId, number: int, reason: str = ""):
    item = get_visible(RecordItem.objects.restrict(actor(request), "view"), request, pk)
    version = item.versions.select_related("blob").filter(number=number).first()
    if version is None or item.destroyed_at or version.blob.destroyed_at:
        raise Http404("该版本不存在或已销毁")
    actions.do_log_access(item, acting_user=actor(request), action=AccessLog.Action.DOWNLOAD, reason=reason,
                          version=version)
    resp = FileResponse(open_blob(version.blob), content_type=version.blob.mime or "application/octet-stream")
    resp["Content-Length"] = str(version.blob.size)
    resp["X-Content-SHA256"] = version.blob.sha256
    resp["X-Content-SM3"] = version.blob.sm3
    return resp


@router.post("/{pk}/versions", response=responses(RecordItemDetailOut, 201),
             operation_id="zhifa_apiv1_records_correct_record", summary="更正记录（新版本）")
def correct_record(request, pk: RecordId, data: CorrectionIn):
    item = get_visible(RecordItem, request, pk)
    changes = {k: v for k, v in data.dict(exclude={"reason", "upload_id", "text", "collectors"}).items()
               if v is not None}
    actions.do_correct_record(item, acting_user=actor(request), reason=data.reason, collectors=data.collectors,
                              **changes, **_content(request, data.upload_id, data.text))
    item.refresh_from_db()
    return Status(201, item)


@router.put("/av-requirements/{entity}", response=responses(AvIn),
            operation_id="zhifa_apiv1_records_set_av", summary="设置音像记录事项清单")
def set_av(request, entity: int, data: AvIn):
    e = get_visible(Entity, request, entity)
    rows = actions.do_set_av_requirements(e, data.steps, acting_user=actor(request))
    return {"steps": [r.step for r in rows]}


# ---- 执法记录仪 large files, chunked and resumable from the officer's device (issue 20) ------------
recorder_uploads = Router(tags=["执法记录仪分块上传"])

SHA256 = r"^[0-9a-fA-F]{64}$"


class RecorderUploadIn(InSchema):
    client_uuid: uuid.UUID = F(..., "设备端编号", "设备为该文件生成的编号；同一编号再次开始返回已有进度（断点续传）")
    case: int = F(..., "案件", ge=1, le=MAX_ID)
    filename: str = F(..., "文件名", max_length=255)
    size: int = F(..., "文件大小", "字节数", ge=1, le=2**62)
    sha256: str = F(..., "文件SHA-256", "整个文件的 SHA-256，完成时核对", pattern=SHA256)
    chunk_size: int = F(4 << 20, "分块大小", "字节数；除最后一块外每块均为此大小")
    captured_at: Optional[dt.datetime] = F(None, "采集时间", "录制开始时间；不填则按记录仪文件名识别")
    device: str = F("", "采集设备", "执法记录仪编号", max_length=100)
    collectors: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = F([], "采集人", "执法人员编号")


class RecorderUploadOut(Schema):
    id: uuid.UUID = F(..., "设备端编号")
    case: int = F(..., "案件")
    filename: str = F(..., "文件名")
    size: int = F(..., "文件大小")
    sha256: str = F(..., "文件SHA-256")
    chunk_size: int = F(..., "分块大小")
    chunk_count: int = F(..., "分块数")
    received_chunks: int = F(..., "已收块数", "下一块的序号")
    offset: int = F(..., "已收字节")
    chunk_hashes: list[str] = F(..., "已收各块SHA-256")
    state: str = F(..., "状态", "open 上传中 / complete 已登记 / refused 已拒收")
    error: str = F(..., "拒收原因")
    record: Optional[int] = F(None, "登记的记录")

    @staticmethod
    def resolve_case(obj):
        return obj.case_id

    @staticmethod
    def resolve_record(obj):
        return obj.record_id

    @staticmethod
    def resolve_received_chunks(obj):
        return len(obj.chunk_hashes)

    @staticmethod
    def resolve_offset(obj):
        return obj.received


class RecorderCompleteIn(InSchema):
    title: str = F("", "名称", max_length=200)
    step: str = F("", "执法环节", max_length=30)
    proves: str = F("", "证明对象", max_length=500)


def _recorder_upload(request, upload_id):
    from zhifa.records.models import RecorderUpload

    try:
        pk = uuid.UUID(str(upload_id))
    except ValueError:
        raise Http404 from None
    up = RecorderUpload.objects.filter(pk=pk, owner=actor(request)).first()
    if up is None:
        raise Http404
    return up


@recorder_uploads.post("", response={**responses(RecorderUploadOut, 201), 200: RecorderUploadOut},
                       operation_id="records_recorder_upload_start", summary="开始（或续传）执法记录仪文件分块上传")
def recorder_upload_start(request, data: RecorderUploadIn):
    from zhifa.records.recorder_upload import do_start_recorder_upload

    case = get_visible(Case, request, data.case)
    up = do_start_recorder_upload(case, acting_user=actor(request), client_uuid=data.client_uuid,
                                  filename=data.filename, size=data.size, sha256=data.sha256,
                                  chunk_size=data.chunk_size, captured_at=data.captured_at, device=data.device,
                                  collectors=data.collectors)
    return Status(200 if up.replayed else 201, up)


@recorder_uploads.get("/{upload_id}", response=responses(RecorderUploadOut),
                      operation_id="records_recorder_upload_status", summary="查询上传进度（从 received_chunks 块继续）")
def recorder_upload_status(request, upload_id: str):
    return _recorder_upload(request, upload_id)


@recorder_uploads.put("/{upload_id}/chunks/{index}", response=responses(RecorderUploadOut),
                      operation_id="records_recorder_upload_chunk", summary="上传一块",
                      description="请求体为该块的原始字节（application/octet-stream），请求头 Chunk-SHA256 为该块的"
                                  " SHA-256；不符则拒收该块（records.chunk_hash），重复发送已收的块不重复写入。")
def recorder_upload_chunk(request, upload_id: str, index: int):
    from zhifa.records.recorder_upload import do_put_recorder_chunk

    up = _recorder_upload(request, upload_id)
    if int(request.META.get("CONTENT_LENGTH") or 0) > up.chunk_size:
        raise ActionRefused("records.chunk_size", f"每块最多{up.chunk_size}字节", "file")
    return do_put_recorder_chunk(up, acting_user=actor(request), index=index, data=request.body,
                                 chunk_sha256=request.headers.get("Chunk-SHA256", ""))


@recorder_uploads.post("/{upload_id}/complete", response={**responses(RecordItemDetailOut, 201), 200: RecordItemDetailOut},
                       operation_id="records_recorder_upload_complete",
                       summary="完成上传：核对整个文件的 SHA-256 并登记为记录（重复调用返回同一记录）")
def recorder_upload_complete(request, upload_id: str, data: RecorderCompleteIn):
    from zhifa.records.recorder_upload import do_complete_recorder_upload

    up = _recorder_upload(request, upload_id)
    item = do_complete_recorder_upload(up, acting_user=actor(request), title=data.title, step=data.step,
                                       proves=data.proves)
    return Status(200 if getattr(item, "replayed", False) else 201, item)

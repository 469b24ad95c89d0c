"""Chunked, resumable upload of a large 执法记录仪 file from the officer's device (issue 20), exactly once.

    up = do_start_recorder_upload(case, acting_user=u, client_uuid=…, filename="DSJ0001.MP4", size=n,
                                  sha256=whole_file_digest, chunk_size=4 << 20)   # again: where it stands
    do_put_recorder_chunk(up, acting_user=u, index=0, data=b"…", chunk_sha256=digest_of_the_chunk)
    item = do_complete_recorder_upload(up, acting_user=u)                            # again: the same record

The device names the file (its client UUID), declares size and whole-file SHA-256 and sends chunk i
(bytes [i·chunk_size, …)) with that chunk's SHA-256. Rules, named in every refusal:
  records.chunk_hash      the chunk's bytes do not match its declared SHA-256 (not kept; send again)
  records.chunk_order     a chunk beyond the next one expected (the answer names the next index)
  records.chunk_size      a chunk of the wrong length (every chunk is chunk_size, the last the rest)
  records.chunk_conflict  a chunk already received, sent again with other bytes
  records.upload_reused   the client UUID names another file, case or user
  records.upload_closed   the upload is complete or refused
  blob.digest_mismatch    on completion: the whole file's SHA-256 is not the declared one (refused,
                          nothing registered; the device starts again with a new id)
A chunk already received, sent again with the same digest, is acknowledged and not written twice (a
lost answer); completion sent again returns the record made; a file whose bytes are already a record of
the case (chosen again, under a new id) is answered complete at once with that record: nothing is sent,
nothing registered twice. The bytes go through the blobs app's
upload session (zhifa.blobs.uploads: on disk, fsynced, size and digest checked by put_stream) and the
file becomes one record through do_add_record, its capture time kept (the device's, else the
recorder's file name, as do_import_recorder reads it), in one ledger entry with the chunk digests'
count and the device's id.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction

from zhifa.blobs import uploads
from zhifa.common.actions import ActionRefused, check_scope
from zhifa.records import rules
from zhifa.records.models import RecorderUpload

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MIN_CHUNK = 64 * 1024


def _hex64(value, field: str, label: str) -> str:
    value = (value or "").strip().lower()
    if not _HEX64.match(value):
        raise ActionRefused("validation", f"{label}格式不正确（应为64位十六进制）", field=field)
    return value


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ActionRefused("validation", "设备端编号格式不正确（应为UUID）", field="client_uuid") from None


@transaction.atomic
def do_start_recorder_upload(case, *, acting_user, client_uuid, filename: str, size: int, sha256: str,
                             chunk_size: int, captured_at: dt.datetime | None = None, device: str = "",
                             collectors=()) -> RecorderUpload:
    """Open the upload named `client_uuid`, or (the same id again: a restarted page or a lost answer)
    return it as it stands, `.replayed` True. Refuses: scope, records.case_open, records.actor_in_case,
    records.collectors, records.upload_reused, blob.empty, blob.too_large, validation."""
    from zhifa.cases.models import Case
    from zhifa.orgs.models import Officer

    pk = _uuid(client_uuid)
    sha256 = _hex64(sha256, "sha256", "文件SHA-256")
    existing = RecorderUpload.objects.select_for_update().filter(pk=pk).first()
    if existing is not None:
        if (existing.case_id != case.pk or existing.owner_id != acting_user.pk or existing.size != int(size)
                or existing.sha256 != sha256):
            raise ActionRefused("records.upload_reused", "该设备端编号已用于另一个文件的上传，不能重复使用",
                                field="client_uuid")
        existing.replayed = True
        return existing
    case = Case.objects.get(pk=case.pk)
    check_scope(acting_user, case, "view")
    rules.case_open(case)
    rules.actor_in_case(case, acting_user)
    officers = list(Officer.objects.filter(pk__in=[getattr(c, "pk", c) for c in collectors]))
    rules.collectors_of_entity(case, officers)
    try:
        chunk_size = int(chunk_size)
    except (TypeError, ValueError):
        chunk_size = 0
    if not MIN_CHUNK <= chunk_size <= settings.ZHIFA_UPLOAD_CHUNK_MAX:
        raise ActionRefused("validation", f"分块大小应在{MIN_CHUNK}至{settings.ZHIFA_UPLOAD_CHUNK_MAX}字节之间",
                            field="chunk_size")
    name = PurePosixPath((filename or "").replace("\\", "/")).name or "recorder.bin"
    already = _record_of(case, sha256)
    if already is not None:  # the same file again (another tap, another id): nothing to send, nothing new
        up = RecorderUpload.objects.create(
            id=pk, case=case, owner=acting_user, filename=name[:255], size=int(size), sha256=sha256,
            chunk_size=chunk_size, captured_at=captured_at, device=(device or "")[:100],
            collectors=[o.pk for o in officers], record=already, state=RecorderUpload.State.COMPLETE)
        up.replayed = True
        return up
    session = uploads.start_upload(acting_user, filename=name, size=size, sha256=sha256)
    return RecorderUpload.objects.create(
        id=pk, case=case, owner=acting_user, filename=session.filename, size=session.size, sha256=sha256,
        chunk_size=chunk_size, captured_at=captured_at, device=(device or "")[:100],
        collectors=[o.pk for o in officers], session=session)


def _record_of(case, sha256: str):
    """The case's record whose current content is these bytes (the file was registered already)."""
    from zhifa.records.models import RecordItem

    return (RecordItem.objects.filter(case=case, destroyed_at__isnull=True, current__blob_id=sha256)
            .order_by("id").first())


def _locked(up: RecorderUpload, acting_user) -> RecorderUpload:
    row = RecorderUpload.objects.select_for_update().get(pk=up.pk)
    if row.owner_id != acting_user.pk:
        raise ActionRefused("records.upload_reused", "该上传不是您开始的", field="client_uuid")
    return row


def do_put_recorder_chunk(up: RecorderUpload, *, acting_user, index: int, data: bytes,
                          chunk_sha256: str) -> RecorderUpload:
    """Keep chunk `index` if its bytes match `chunk_sha256` (see the module's rules)."""
    chunk_sha256 = _hex64(chunk_sha256, "chunk_sha256", "分块SHA-256")
    with transaction.atomic():
        row = _locked(up, acting_user)
        if row.state != RecorderUpload.State.OPEN:
            raise ActionRefused("records.upload_closed", f"该上传已{row.get_state_display()}，不能继续", field="index")
        have = len(row.chunk_hashes)
        if index < 0 or index >= row.chunk_count:
            raise ActionRefused("records.chunk_order", f"分块序号应在0至{row.chunk_count - 1}之间", field="index")
        if index < have:
            if row.chunk_hashes[index] != chunk_sha256:
                raise ActionRefused("records.chunk_conflict", f"第{index}块已收到，且内容与本次不同", field="index")
            row.replayed = True
            return row  # a lost answer: already kept
        if index > have:
            raise ActionRefused("records.chunk_order", f"应先上传第{have}块（已收到{have}块），请从第{have}块继续",
                                field="index")
        expected = min(row.chunk_size, row.size - index * row.chunk_size)
        if len(data) != expected:
            raise ActionRefused("records.chunk_size", f"第{index}块应为{expected}字节，收到{len(data)}字节（连接可能中断），请重发",
                                field="file")
        actual = hashlib.sha256(data).hexdigest()
        if actual != chunk_sha256:
            raise ActionRefused("records.chunk_hash", f"第{index}块的内容与其SHA-256不符（传输中可能损坏），请重发该块",
                                field="chunk_sha256")
        assert row.session is not None
        try:
            uploads.append_chunk(row.session, index * row.chunk_size, data)
        except uploads.OffsetMismatch:
            # The session has more than the chunks counted (an earlier append whose row update was
            # lost cannot happen in one transaction; kept as a guard): start the chunk over.
            raise ActionRefused("records.chunk_order", f"服务器上传位置不符，请从第{have}块继续", field="index") from None
        row.chunk_hashes = [*row.chunk_hashes, actual]
        row.save(update_fields=["chunk_hashes", "updated_at"])
    return row


def do_complete_recorder_upload(up: RecorderUpload, *, acting_user, title: str = "", step: str = "",
                                proves: str = ""):
    """Check the whole file's SHA-256 and register it as one record of the case; again: that record.
    The file's check (blobs' finish_upload, idempotent) runs in its own transaction before the record's:
    a refused file marks the upload refused and registers nothing."""
    from zhifa.ledger import log as ledger
    from zhifa.orgs.models import Officer
    from zhifa.records.actions import do_add_record
    from zhifa.records.recorder import NAME_TIME, _from_groups, _local

    row = RecorderUpload.objects.select_related("record").get(pk=up.pk)
    if row.owner_id != acting_user.pk:
        raise ActionRefused("records.upload_reused", "该上传不是您开始的", field="client_uuid")
    if row.state == RecorderUpload.State.COMPLETE and row.record is not None:
        row.record.replayed = True
        return row.record
    if row.state != RecorderUpload.State.OPEN:
        raise ActionRefused("records.upload_closed", f"该上传已{row.get_state_display()}：{row.error}", field="client_uuid")
    if len(row.chunk_hashes) != row.chunk_count:
        raise ActionRefused("upload.incomplete", f"上传尚未完成：已收到{len(row.chunk_hashes)}/{row.chunk_count}块",
                            field="file")
    assert row.session is not None
    try:
        blob = uploads.finish_upload(row.session)  # the whole file's SHA-256 checked here
    except ActionRefused as e:
        if e.rule in uploads.FINAL_REFUSALS:
            RecorderUpload.objects.filter(pk=row.pk, state=RecorderUpload.State.OPEN).update(
                state=RecorderUpload.State.REFUSED, error=e.message[:300])
        raise
    with transaction.atomic():
        row = _locked(up, acting_user)
        if row.state == RecorderUpload.State.COMPLETE and row.record is not None:
            row.record.replayed = True  # completed by a concurrent call meanwhile
            return row.record
        captured = row.captured_at
        if captured is None:
            m = NAME_TIME.search(row.filename)
            if m:
                try:
                    captured = _local(_from_groups(m))
                except ValueError:
                    captured = None
        item = do_add_record(row.case, acting_user=acting_user, title=(title or f"执法记录仪：{row.filename}")[:200],
                             collectors=list(Officer.objects.filter(pk__in=row.collectors)), captured_at=captured,
                             blob=blob, filename=row.filename, proves=proves, device=row.device or "执法记录仪",
                             step=step, client_uuid=row.pk, device_sha256=row.sha256)
        row.record, row.state = item, RecorderUpload.State.COMPLETE
        row.save(update_fields=["record", "state", "updated_at"])
        ledger.append("record.recorder_upload", subject=row, actor=acting_user, case=row.case_id, data={
            "record": item.pk, "filename": row.filename, "size": row.size, "sha256": row.sha256,
            "chunks": len(row.chunk_hashes), "chunk_size": row.chunk_size,
            "chunks_sha256": hashlib.sha256("".join(row.chunk_hashes).encode()).hexdigest()})
    return item

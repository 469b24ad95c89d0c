"""Actions of the full-process record. One transaction each, keyword-only acting_user, every
precondition a named rule (rules.py), a ChangeLog row and a ledger entry for each change.

    item = do_add_record(case, acting_user=u, blob=b, title="现场照片", proves="…", collectors=[o1, o2],
                         captured_at=…)
    do_correct_record(item, acting_user=u, reason="名称写错", title="…")   # a new version
    access = do_log_access(item, acting_user=u, action="view", reason="…")
"""
from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone

from zhifa.blobs.store import clean_filename
from zhifa.cases.models import Case, Party
from zhifa.common.actions import ActionRefused, check_scope, log_change, snapshot, validate
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.ledger import log as ledger
from zhifa.records import rules
from zhifa.records.models import AccessLog, AvRequirement, Destruction, RecordItem, RecordVersion

META_FIELDS = ("title", "proves", "captured_at", "place", "latitude", "longitude", "device")
SUPERVISORY = (Role.SUPERVISOR, Role.ADMIN)
ACCESS_LOG_READERS = (Role.SUPERVISOR, Role.AGENCY_HEAD, Role.UNIT_HEAD)


def may_see_access_log(user) -> bool:
    """Who reads a case's 调阅记录: heads and supervisors (the audit administrator on the audit-log
    page). Not the system administrator (三员分立); a superuser only in demo mode."""
    from zhifa.common.roles import is_superuser_allowed

    return bool(is_superuser_allowed(user) or user.role in ACCESS_LOG_READERS)


def _blob_from(*, blob=None, fileobj=None, text=None, filename=""):
    from zhifa.blobs.store import put_stream

    given = [x is not None for x in (blob, fileobj, text)]
    if sum(given) != 1:
        raise ActionRefused("records.content", "请上传文件或填写文字记录（二者选一）", "file")
    if blob is not None:
        if blob.destroyed_at:
            raise ActionRefused("records.content", "该文件已销毁，不能再引用", "file")
        return blob
    if text is not None:
        if not text.strip():
            raise ActionRefused("records.content", "文字记录内容不能为空", "text")
        return put_stream(io.BytesIO(text.encode("utf-8")), allowed_kinds={"text"}, filename=filename or "记录.txt")
    return put_stream(fileobj, filename=filename)


def _collectors_json(officers):
    out = []
    for o in sorted(officers, key=lambda o: o.pk):
        cert = o.certificates.filter(status="valid").values_list("number", flat=True).first() \
            if hasattr(o, "certificates") else None
        out.append({"id": o.pk, "name": o.name, "cert": cert or ""})
    return out


def _target_of(case: Case, party: Party | None):
    party = party or case.parties.order_by("id").first()
    if party is None:
        return None, "", ""
    return party, (party.credit_code or party.id_number or ""), party.name


def do_add_record(case: Case, *, acting_user, title: str, collectors, captured_at: dt.datetime | None = None,
                  blob=None, fileobj=None, text=None, filename: str = "", proves: str = "", place: str = "",
                  latitude=None, longitude=None, device: str = "", step: str = "", party: Party | None = None,
                  sensitive: bool = False, client_uuid=None, device_sha256: str = "",
                  device_time: dt.datetime | None = None) -> RecordItem:
    """Register a record (evidence) of `case`. Refuses: scope, records.case_open, records.actor_in_case,
    records.collectors, records.captured_not_future, records.coordinates, records.content, blob.*.

    Field capture (a phone that was offline): `client_uuid` makes the call idempotent — a replay
    returns the record already made (`item.replayed` is True) and writes nothing, the same id with
    other bytes, case or user is refused (records.client_uuid); `device_sha256` must equal the
    server's digest of the content (records.device_hash); `device_time` is the device's clock at
    capture. The ledger entry holds them with the server's receipt time."""
    device_sha256 = (device_sha256 or "").strip().lower()
    if device_sha256 and (len(device_sha256) != 64 or any(c not in "0123456789abcdef" for c in device_sha256)):
        raise ActionRefused("validation", "设备端SHA-256格式不正确（应为64位十六进制）", "device_sha256")
    if client_uuid is not None:
        import uuid

        try:
            client_uuid = uuid.UUID(str(client_uuid))
        except ValueError:
            raise ActionRefused("validation", "设备端编号格式不正确（应为UUID）", "client_uuid") from None
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        check_scope(acting_user, case, "view")
        if client_uuid is not None:
            existing = RecordItem.objects.select_related("current").filter(client_uuid=client_uuid).first()
            if existing is not None:
                rules.client_uuid_replay(existing, case, acting_user, device_sha256)
                existing.replayed = True
                return existing
        rules.case_open(case)
        rules.actor_in_case(case, acting_user)
        if not (title or "").strip():
            raise ActionRefused("validation", "请填写记录名称", "title")
        if party is not None and party.case_id != case.pk:
            raise ActionRefused("validation", "当事人不属于本案", "party")
        officers = rules.collectors_of_entity(case, collectors)
        captured_at = captured_at or timezone.now()
        rules.captured_not_future(captured_at)
        lat, lon = rules.coordinates_valid(latitude, longitude)
        stored = _blob_from(blob=blob, fileobj=fileobj, text=text, filename=filename)
        rules.device_hash_matches(device_sha256, stored.sha256)
        party, key, name = _target_of(case, party)
        now = timezone.now()
        item = RecordItem(case=case, entity_id=case.entity_id, party=party, target_key=key, target_name=name,
                          kind=stored.kind, step=step or "", sensitive=bool(sensitive), created_by=acting_user,
                          created_at=now, client_uuid=client_uuid, device_sha256=device_sha256,
                          device_time=device_time)
        validate(item, exclude=["current"])
        item.save()
        version = _new_version(item, stored, acting_user, now, filename=filename, title=title, proves=proves,
                               captured_at=captured_at, place=place, latitude=lat, longitude=lon, device=device,
                               collectors=_collectors_json(officers), reason="")
        log_change(item, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(item),
                   reason=f"登记{item.get_kind_display()}：{title}")
        data = {"version": version.number, "sha256": stored.sha256, "sm3": stored.sm3}
        if client_uuid is not None:  # field capture: both clocks, the device's id and digest
            data.update(client_uuid=str(client_uuid), device_sha256=device_sha256,
                        device_time=device_time.isoformat() if device_time else None, received_at=now.isoformat())
        ledger.append("record.added", subject=item, actor=acting_user, case=case, data=data)
        ledger.append("record.version", subject=version, actor=acting_user, case=case,
                      data={"sha256": stored.sha256, "sm3": stored.sm3, "size": stored.size})
        return item


def _new_version(item, blob, user, now, **meta) -> RecordVersion:
    number = item.version_count + 1
    if meta.get("filename"):  # a 300-byte name from a phone must not fail the save (or a download)
        meta["filename"] = clean_filename(meta["filename"])
    version = RecordVersion(item=item, number=number, blob=blob, created_by=user, created_at=now, **meta)
    validate(version)
    version.save()
    RecordItem.objects.filter(pk=item.pk).update(current=version, version_count=number)
    item.current, item.version_count = version, number
    return version


def do_correct_record(item: RecordItem, *, acting_user, reason: str, blob=None, fileobj=None, text=None,
                      filename: str = "", collectors=None, **changes) -> RecordVersion:
    """A correction: a new version with the changed metadata and/or content; the old one stays."""
    bad = set(changes) - set(META_FIELDS)
    if bad:
        raise ActionRefused("validation", f"不能更正字段“{sorted(bad)[0]}”", sorted(bad)[0])
    with transaction.atomic():
        item = RecordItem.objects.select_for_update(of=("self",)).select_related("case", "current").get(pk=item.pk)
        case = item.case
        check_scope(acting_user, case, "view")
        rules.not_destroyed(item)
        rules.case_open(case)
        rules.actor_in_case(case, acting_user)
        rules.correction_reason(reason)
        prev = item.current
        meta = {f: getattr(prev, f) for f in META_FIELDS}
        meta.update(changes)
        if not (meta["title"] or "").strip():
            raise ActionRefused("validation", "请填写记录名称", "title")
        rules.captured_not_future(meta["captured_at"])
        meta["latitude"], meta["longitude"] = rules.coordinates_valid(meta["latitude"], meta["longitude"])
        coll = _collectors_json(rules.collectors_of_entity(case, collectors)) if collectors is not None \
            else prev.collectors
        has_content = any(x is not None for x in (blob, fileobj, text))
        stored = _blob_from(blob=blob, fileobj=fileobj, text=text, filename=filename) if has_content else prev.blob
        if has_content and stored.kind != item.kind:
            raise ActionRefused("records.kind_matches",
                                f"更正后的文件类型应仍为{item.get_kind_display()}", "file")
        unchanged = stored.pk == prev.blob_id and coll == prev.collectors and all(
            meta[f] == getattr(prev, f) for f in META_FIELDS)
        if unchanged:
            raise ActionRefused("records.correction_changes", "更正内容与当前版本相同", "reason")
        version = _new_version(item, stored, acting_user, timezone.now(),
                               filename=filename or (prev.filename if not has_content else ""),
                               collectors=coll, reason=reason.strip(), **meta)
        log_change(item, ChangeLog.Action.UPDATE, acting_user=acting_user, before={"version": prev.number},
                   after={"version": version.number}, reason=f"更正记录：{reason.strip()}")
        ledger.append("record.version", subject=version, actor=acting_user, case=case,
                      data={"sha256": stored.sha256, "sm3": stored.sm3, "size": stored.size,
                            "replaces": prev.number})
        return version


def _name(user) -> str:
    return getattr(user, "display_name", "") or user.get_full_name() or user.username


def do_log_access(item: RecordItem, *, acting_user, action: str = AccessLog.Action.VIEW, reason: str = "",
                  version: RecordVersion | None = None) -> AccessLog:
    """调阅: every staff view or download is logged; sensitive items need a stated reason."""
    with transaction.atomic():
        check_scope(acting_user, item, "view")
        rules.access_reason(item, reason)
        if action not in AccessLog.Action.values:
            raise ActionRefused("validation", "调阅方式不正确", "action")
        entity = getattr(acting_user, "entity", None)
        row = AccessLog.objects.create(
            user=acting_user, user_name=_name(acting_user),
            entity_name=entity.name if entity else "", action=action, case_id=item.case_id, item=item,
            version=version or item.current, reason=(reason or "").strip())
        if item.sensitive:
            ledger.append("record.accessed", subject=row, actor=acting_user, case=item.case,
                          data={"item": item.pk, "action": action})
        return row


def do_log_case_export(case: Case, *, acting_user, reason: str = "") -> AccessLog:
    """Exporting a whole case file (archive package) is an access of every record in it."""
    with transaction.atomic():
        check_scope(acting_user, case, "view")
        entity = getattr(acting_user, "entity", None)
        return AccessLog.objects.create(
            user=acting_user, user_name=_name(acting_user),
            entity_name=entity.name if entity else "", action=AccessLog.Action.EXPORT, case=case,
            reason=(reason or "").strip())


def do_set_av_requirements(entity, steps, *, acting_user) -> list[AvRequirement]:
    """Replace the entity's A/V-required list (音像记录事项清单); heads of the entity or admins."""
    from zhifa.records.models import AvStep

    steps = sorted(set(steps))
    bad = [s for s in steps if s not in AvStep.values]
    if bad:
        raise ActionRefused("validation", f"未知的环节“{bad[0]}”", "steps")
    with transaction.atomic():
        if not (acting_user.role == Role.ADMIN or acting_user.is_superuser
                or (acting_user.role == Role.AGENCY_HEAD and acting_user.entity_id == entity.pk)):
            raise ActionRefused("records.av_list_editor", "音像记录事项清单由本机关负责人或系统管理员设置")
        before = sorted(AvRequirement.objects.filter(entity=entity).values_list("step", flat=True))
        if before == steps:
            return list(AvRequirement.objects.filter(entity=entity))
        AvRequirement.objects.filter(entity=entity).exclude(step__in=steps).delete()
        for s in steps:
            AvRequirement.objects.get_or_create(entity=entity, step=s)
        log_change(entity, ChangeLog.Action.UPDATE, acting_user=acting_user, before={"av_steps": before},
                   after={"av_steps": steps}, reason="修改音像记录事项清单")
        return list(AvRequirement.objects.filter(entity=entity))


def do_request_destruction(item: RecordItem, *, acting_user, reason: str, today: dt.date | None = None) -> Destruction:
    with transaction.atomic():
        item = RecordItem.objects.select_for_update().select_related("case").get(pk=item.pk)
        check_scope(acting_user, item, "view")
        rules.not_destroyed(item)
        if acting_user.role not in rules.HEADS and acting_user.role != Role.OFFICER:
            raise ActionRefused("records.actor_in_case", "只有本机关执法人员或负责人可以申请销毁")
        if acting_user.entity_id != item.entity_id:
            raise ActionRefused("records.actor_in_case", "只有本案执法主体的人员可以申请销毁")
        if not (reason or "").strip():
            raise ActionRefused("validation", "请填写销毁理由", "reason")
        until = rules.retention_elapsed(item, today or timezone.localdate())
        if item.destructions.filter(state=Destruction.State.PENDING).exists():
            raise ActionRefused("records.destruction_pending", "该记录已有待审批的销毁申请")
        d = Destruction.objects.create(item=item, reason=reason.strip(), retention_until=until,
                                       requested_by=acting_user)
        log_change(d, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(d), reason="申请销毁记录")
        return d


def do_decide_destruction(destruction: Destruction, *, acting_user, approve: bool, note: str = "",
                          today: dt.date | None = None) -> Destruction:
    """Approve (content destroyed, tombstone kept, ledger event) or reject a destruction request."""
    from zhifa.blobs.store import destroy_blob

    with transaction.atomic():
        d = Destruction.objects.select_for_update().select_related("item", "item__case").get(pk=destruction.pk)
        check_scope(acting_user, d, "view")
        if d.state != Destruction.State.PENDING:
            raise ActionRefused("records.destruction_pending", "该申请已审批")
        rules.destruction_approver(d, acting_user)
        item = d.item
        before = snapshot(d)
        d.decided_by, d.decided_at, d.decision_note = acting_user, timezone.now(), (note or "").strip()
        if not approve:
            if not d.decision_note:
                raise ActionRefused("validation", "不予批准须说明理由", "note")
            d.state = Destruction.State.REJECTED
            d.save()
            log_change(d, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(d),
                       reason="不予批准销毁")
            return d
        rules.retention_elapsed(item, today or timezone.localdate())
        d.state = Destruction.State.APPROVED
        d.save()
        blobs = set(item.versions.values_list("blob_id", flat=True))
        # Content-addressed: bytes shared with a live record elsewhere are kept.
        shared = set(RecordVersion.objects.filter(blob_id__in=blobs, item__destroyed_at__isnull=True)
                     .exclude(item=item).values_list("blob_id", flat=True))
        from zhifa.blobs.models import Blob

        for blob in Blob.objects.filter(pk__in=blobs - shared, destroyed_at__isnull=True):
            destroy_blob(blob, acting_user=acting_user, reason=d.reason)
        RecordItem.objects.filter(pk=item.pk).update(destroyed_at=d.decided_at)
        log_change(d, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(d),
                   reason="批准销毁记录")
        ledger.append("record.destroyed", subject=d, actor=acting_user, case=item.case,
                      data={"item": item.pk, "blobs": sorted(blobs - shared), "retention_until":
                            d.retention_until.isoformat()})
        return d


def blob_from_upload(user, ref: str):
    """The blob of one of `user`'s own chunked uploads, by upload id or by the SHA-256 the upload
    API returned; an upload still open is finished here. Only the uploader can use it, so nobody
    attaches bytes they never had by naming a digest. Returns (blob, filename)."""
    import re
    import uuid

    from zhifa.blobs.models import UploadSession
    from zhifa.blobs.uploads import finish_upload

    ref = (ref or "").strip().lower()
    qs = UploadSession.objects.filter(owner=user).exclude(state=UploadSession.State.ABORTED)
    session = None
    if re.fullmatch(r"[0-9a-f]{64}", ref):
        session = qs.filter(blob_id=ref, state=UploadSession.State.COMPLETE).order_by("-updated_at").first()
    else:
        try:
            session = qs.filter(pk=uuid.UUID(ref)).first()
        except ValueError:
            session = None
    if session is None:
        raise ActionRefused("records.content", "上传不存在或已失效，请重新选择文件", "file")
    if session.state != UploadSession.State.COMPLETE:
        return finish_upload(session), session.filename
    return session.blob, session.filename

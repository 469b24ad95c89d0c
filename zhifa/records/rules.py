"""Named rules of the full-process record. Each refuses with ActionRefused(rule, Chinese message,
field); the actions in actions.py call them, and `records.av_required` guards case transitions
(registered into zhifa.cases.rules.RULES and listed in machine.COMMON)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

from zhifa.cases.rules import RULES, handler_ids, rule, user_officer
from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.records.models import AV_KINDS, AvRequirement, RecordItem

# Years a closed case's records are kept before destruction may be requested (per case kind;
# override with settings.ZHIFA_RETENTION_YEARS). 行政处罚案卷 are kept long: 30 years here.
RETENTION_YEARS = {"penalty_general": 30, "penalty_simple": 10, "inspection": 10, "coercive": 30}

HEADS = (Role.UNIT_HEAD, Role.AGENCY_HEAD)


def refuse(name, message, field=None):
    raise ActionRefused(name, message, field)


def retention_years(kind: str) -> int:
    return {**RETENTION_YEARS, **getattr(settings, "ZHIFA_RETENTION_YEARS", {})}.get(kind, 30)


def case_open(case):
    if case.state == "archived":
        refuse("records.case_open", "案件已归档，不能再添加或更正记录")


def actor_in_case(case, user):
    """Officers record on their own cases; heads of the entity on any of its cases."""
    if user.entity_id != case.entity_id:
        refuse("records.actor_in_case", "只有本案执法主体的人员可以登记记录")
    if user.role in HEADS:
        return
    if user.role != Role.OFFICER:
        refuse("records.actor_in_case", "只有承办人员或负责人可以登记记录")
    officer = user_officer(user)
    if officer is None or officer.pk not in handler_ids(case, ever=True):
        refuse("records.actor_in_case", "您不是本案的承办人员")


def captured_not_future(captured_at: dt.datetime):
    if captured_at > timezone.now() + dt.timedelta(minutes=5):
        refuse("records.captured_not_future", "采集时间不能晚于现在", "captured_at")


def device_hash_matches(device_sha256: str, stored_sha256: str):
    """Field capture: the server's own SHA-256 of the bytes it received must equal the one the
    device computed at capture, or the bytes changed on the way (or on the device)."""
    if device_sha256 and device_sha256 != stored_sha256:
        refuse("records.device_hash", f"收到的内容与采集时设备计算的SHA-256不一致（设备 {device_sha256[:12]}…，"
                                      f"服务器 {stored_sha256[:12]}…），未登记；请在设备上重新采集或重新同步", "device_sha256")


def client_uuid_replay(existing: RecordItem, case, user, device_sha256: str):
    """A sync replayed with the same device id returns the record already made, nothing new; the
    same id for another case, another user or other bytes is refused."""
    same_bytes = not device_sha256 or device_sha256 == (existing.device_sha256 or
                                                        (existing.current.blob_id if existing.current_id else ""))
    if existing.case_id != case.pk or existing.created_by_id != user.pk or not same_bytes:
        refuse("records.client_uuid", "该设备端编号已用于另一条记录，不能重复使用", "client_uuid")


def coordinates_valid(lat, lon):
    if (lat is None) != (lon is None):
        refuse("records.coordinates", "经度和纬度须同时填写", "latitude" if lat is None else "longitude")
    if lat is None:
        return None, None
    try:
        lat, lon = Decimal(str(lat)), Decimal(str(lon))
    except InvalidOperation:
        refuse("records.coordinates", "经纬度应为数字", "latitude")
    if not (-90 <= lat <= 90):
        refuse("records.coordinates", "纬度应在-90到90之间", "latitude")
    if not (-180 <= lon <= 180):
        refuse("records.coordinates", "经度应在-180到180之间", "longitude")
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def collectors_of_entity(case, collectors):
    from zhifa.orgs.models import Officer

    if not collectors:
        refuse("records.collectors", "请填写采集人", "collectors")
    ids = {getattr(o, "pk", o) for o in collectors}
    found = list(Officer.objects.filter(pk__in=ids, entity_id=case.entity_id))
    if len(found) != len(ids):
        refuse("records.collectors", "采集人须为本执法主体的执法人员", "collectors")
    return found


def correction_reason(reason: str):
    if not (reason or "").strip():
        refuse("records.correction_reason", "更正记录须说明理由（原版本保留）", "reason")


def access_reason(item: RecordItem, reason: str):
    if item.sensitive and not (reason or "").strip():
        refuse("records.access_reason", "该记录为敏感记录，调阅须说明理由", "reason")


def not_destroyed(item: RecordItem):
    if item.destroyed_at:
        refuse("records.destroyed", "该记录已按规定销毁，只保留销毁记录")


def retention_until(item: RecordItem) -> dt.date | None:
    """End of the retention period: years after the case was archived (None while not archived)."""
    archived = item.case.events.filter(transition="archive").order_by("-id").values_list("on", flat=True).first()
    if archived is None:
        return None
    years = retention_years(item.case.kind)
    try:
        return archived.replace(year=archived.year + years)
    except ValueError:  # 29 February
        return archived.replace(year=archived.year + years, day=28)


def retention_elapsed(item: RecordItem, today: dt.date):
    until = retention_until(item)
    if until is None:
        refuse("records.retention_elapsed", "案件尚未归档，记录不能销毁")
    if today < until:
        refuse("records.retention_elapsed", f"保管期限至{until:%Y年%m月%d日}，期满前不能销毁")
    return until


def destruction_approver(destruction, user):
    if user.role != Role.AGENCY_HEAD or user.entity_id != destruction.item.entity_id:
        refuse("records.destruction_approver", "销毁须经本机关负责人批准")
    if user.pk == destruction.requested_by_id:
        refuse("records.destruction_approver", "申请人不能批准自己的销毁申请")


# ---- case transitions: the A/V-required list ---------------------------------------------------

def step_keys(transition: str, payload: dict) -> set[str]:
    keys = {transition}
    # 查封、扣押 is carried out once the head approves (approve_seizure); the officer's request is not
    # the seizure. Events from before the split carry the approver in the seize payload.
    if transition == "seize" and "approved_by" not in (payload or {}):
        keys = set()
    if transition == "approve_seizure":
        keys.add("seize")
    method = (payload or {}).get("method") or ""
    if transition == "serve_decision" and method == "留置送达":
        keys.add("serve_decision:lodged")
    return keys


def missing_av_steps(case, pending: set[str] = frozenset()) -> list[str]:
    """Configured steps this case has done (or is doing: `pending`) with no A/V record of them."""
    required = set(AvRequirement.objects.filter(entity_id=case.entity_id).values_list("step", flat=True))
    if not required:
        return []
    done = set(pending)
    if case.pk:
        for name, payload in case.events.values_list("transition", "payload"):
            done |= step_keys(name, payload)
    need = required & done
    if not need:
        return []
    have = set(RecordItem.objects.filter(case_id=case.pk, kind__in=AV_KINDS, destroyed_at__isnull=True,
                                         step__in=need).values_list("step", flat=True)) if case.pk else set()
    return sorted(need - have)


@rule("records.av_required")
def av_required(ctx):
    """A configured step (e.g. 查封扣押, 听证, 留置送达) cannot be completed without an audio or
    video record of it: the step itself (when the case exists) and every later step check it."""
    from zhifa.records.models import AvStep

    # the step that creates the case, and the approval that lets the seizure be carried out, are
    # recorded after them (the later steps check)
    creating = "" in ctx.transition.sources or ctx.transition.name == "approve_seizure"
    pending = set() if creating else step_keys(ctx.transition.name, ctx.payload)
    missing = missing_av_steps(ctx.case, pending)
    if missing:
        labels = "、".join(str(dict(AvStep.choices).get(s, s)) for s in missing)
        refuse("records.av_required", f"须先上传“{labels}”环节的录音或录像", "records")


assert "records.av_required" in RULES

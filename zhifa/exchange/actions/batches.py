"""Incremental exchange batches: what changed since the last batch (by the change log), each record
validated (a failing row is refused into the batch's rejected list with its reason, never sent), nothing
sent twice (a record identical to the subject's last one is skipped; every row has its own cd_id and the
batch its number), and the receiving system's acceptance file imported back."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role, is_superuser_allowed
from zhifa.exchange import provincial, records
from zhifa.exchange.choices import FEED_TABLES, Feed, Operation, RowState, Table
from zhifa.exchange.models import Batch, Row
from zhifa.exchange.validators import validate
from zhifa.ledger import log as ledger

STATES = [s.value for s in RowState if s != RowState.QUEUED]


def may_run(user) -> bool:
    return user is None or is_superuser_allowed(user) or getattr(user, "role", None) in (Role.ADMIN, Role.SUPERVISOR)


def _check_role(user) -> None:
    if not may_run(user):
        raise ActionRefused("exchange.role", "数据交换批次只能由系统管理员或执法监督人员办理", "acting_user")


def source_code() -> str:
    """cd_source: ZHIFA_EXCHANGE_SOURCE, else the region every active entity lies in (its 6-digit code)."""
    from zhifa.orgs.models import Entity

    if settings.ZHIFA_EXCHANGE_SOURCE:
        return settings.ZHIFA_EXCHANGE_SOURCE
    paths = [p.strip("/").split("/") for p in
             Entity.objects.filter(is_active=True).values_list("region__path", flat=True).distinct()]
    common: list[str] = []
    for parts in zip(*paths):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return common[-1][:6] if common else "000000"


def _latest(table: str, key: str) -> Row | None:
    return Row.objects.filter(table=table, key=key).order_by("-id").first()


def _was_sent(table: str, key: str) -> Row | None:
    """The subject's last record that left the platform (sent or answered), if any."""
    return (Row.objects.filter(table=table, key=key, state__in=[RowState.SENT, RowState.ACCEPTED, RowState.REJECTED])
            .order_by("-id").first())


def _case_table(case) -> str | None:
    from zhifa.cases.models import Kind

    if case.kind == Kind.INSPECTION and case.inspection_result:
        return Table.JGXW_XZJC
    if case.kind in (Kind.PENALTY_GENERAL, Kind.PENALTY_SIMPLE) and case.decided_on and not case.no_penalty:
        return Table.JGXW_XZCF
    return None


GONE = {"revoked", "converted"}  # exit states: a record already sent is deleted (cd_operation d)


def _new_row(table: str, key: str, entity_id: int, record: dict[str, Any], operation: str | None = None) -> Row | None:
    """A row for `record` unless the subject's last row holds the same content (nothing twice)."""
    digest = records.digest(record)
    last = _latest(table, key)
    if last is not None and last.digest == digest and (operation or "") in ("", last.operation):
        return None
    if operation is None:
        operation = Operation.UPDATE if _was_sent(table, key) else Operation.INSERT
    if operation == Operation.DELETE and _was_sent(table, key) is None:
        return None  # never sent: nothing to delete at the other end
    return Row(table=table, key=key, entity_id=entity_id, operation=operation, cd_id=uuid.uuid4().hex,
               record=record, digest=digest)


def queue(table: str, key: str, entity_id: int, record: dict[str, Any], operation: str | None = None) -> Row | None:
    """Queue a record for the next batch (the credit feed on publication / repair); None if nothing new.
    A deletion first drops the subject's records still waiting (they never left the platform)."""
    if operation == Operation.DELETE:
        Row.objects.filter(table=table, key=key, state=RowState.QUEUED, batch__isnull=True).delete()
    row = _new_row(table, key, entity_id, record, operation)
    if row is not None:
        row.save()
    return row


def _case_rows(case_ids: Iterable[int]) -> list[Row]:
    from zhifa.cases.models import Case

    out = []
    cases = (Case.objects.filter(pk__in=set(case_ids)).select_related("entity__region")
             .prefetch_related("power_items", "parties").order_by("id"))
    for case in cases:
        table = _case_table(case)
        if table is None:
            continue
        key = f"case:{case.pk}"
        if case.state in GONE:
            last = _was_sent(table, key)
            row = _new_row(table, key, case.entity_id, {"JGXWBM": last.record.get("JGXWBM", "")} if last else {},
                           Operation.DELETE) if last and last.operation != Operation.DELETE else None
        else:
            row = _new_row(table, key, case.entity_id, records.BUILDERS[table](records.case_facts(case)))
        if row is not None:
            out.append(row)
    return out


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


NATIONAL_TO_PROVINCIAL: dict[str, str] = {Table.JGXW_XZJC: Table.SJ_XZJC, Table.JGXW_XZCF: Table.SJ_XZCF}


def _provincial_rows(keys: set[str]) -> list[Row]:
    """The provincial table family's rows for the changed subjects ("entity:1", "power:<lineage>" …)."""
    from zhifa.cases.models import Case, Kind, Seizure
    from zhifa.inspections.models import RosterObject
    from zhifa.orgs.models import Entity, Officer
    from zhifa.powers.models import PowerItem, VersionStatus

    ids: dict[str, set[str]] = {}
    for key in keys:
        kind, _sep, ident = key.partition(":")
        ids.setdefault(kind, set()).add(ident)
    out: list[Row | None] = []

    def put(table: str, key: str, entity_id: int, record: dict[str, Any] | None) -> None:
        if record is not None:
            out.append(_new_row(table, key, entity_id, record))
            return
        last = _was_sent(table, key)  # gone: delete what the province holds, naming the record by its code
        if last is not None and last.operation != Operation.DELETE:
            name = next(iter(provincial.SCHEMAS[table]))
            out.append(_new_row(table, key, entity_id, {name: last.record.get(name, "")}, Operation.DELETE))

    ints = {k: sorted(int(i) for i in v if i.isdigit()) for k, v in ids.items() if k != "power"}
    for e in Entity.objects.filter(pk__in=ints.get("entity", [])).select_related("region", "entrusted_by"):
        put(Table.SJ_ZFZT, f"entity:{e.pk}", e.pk, provincial.entity_record(provincial.entity_facts(e)))
    for o in (Officer.objects.filter(pk__in=ints.get("officer", [])).select_related("entity")
              .prefetch_related("certificates").order_by("id")):
        cert = provincial.current_certificate(o)
        if cert is not None:  # an officer without a certificate is not on the personnel list
            put(Table.SJ_ZFRY, f"officer:{o.pk}", o.entity_id, provincial.officer_record(provincial.officer_facts(o, cert)))
    for lineage in sorted(ids.get("power", ())):
        items = PowerItem.objects.filter(lineage=lineage).select_related("entity")
        item = items.filter(status=VersionStatus.PUBLISHED).order_by("-version").first()
        any_item = item or items.first()
        if any_item is not None:
            put(Table.SJ_ZFSX, f"power:{lineage}", any_item.entity_id,
                provincial.power_record(provincial.power_facts(item)) if item else None)
    for ro in RosterObject.objects.filter(pk__in=ints.get("object", [])).select_related("entity").order_by("id"):
        put(Table.SJ_JCDX, f"object:{ro.pk}", ro.entity_id,
            provincial.object_record(provincial.object_facts(ro)) if ro.is_active else None)
    case_ids = set(ints.get("case", [])) | set(
        Seizure.objects.filter(pk__in=ints.get("seizure", [])).values_list("case_id", flat=True))
    cases = (Case.objects.filter(pk__in=case_ids).select_related("entity__region")
             .prefetch_related("power_items", "parties", "seizures").order_by("id"))
    for case in cases:
        gone = case.state in GONE
        facts = provincial.case_facts(case)
        table = NATIONAL_TO_PROVINCIAL.get(_case_table(case) or "")
        if case.kind == Kind.INSPECTION and not case.inspection_result:
            table = None
        if table is not None or (gone and _latest(Table.SJ_XZCF, f"case:{case.pk}")):
            for t in ([table] if table else [Table.SJ_XZCF, Table.SJ_XZJC]):
                put(t, f"case:{case.pk}", case.entity_id,
                    None if gone else provincial.BUILDERS[t](facts))
        for seizure in case.seizures.all():
            if seizure.decided_on:
                put(Table.SJ_XZQZ, f"seizure:{seizure.pk}", case.entity_id,
                    None if gone else provincial.coercion_record(provincial.seizure_facts(seizure, facts)))
    return [r for r in out if r is not None]


def _changed_subjects(since: int, upto: int) -> set[str]:
    """The provincial subjects the change log touched in (since, upto]."""
    from zhifa.cases.models import Case, Seizure
    from zhifa.inspections.models import RosterObject
    from zhifa.orgs.models import Certificate, Entity, Officer
    from zhifa.powers.models import PowerItem

    prefix = {Entity: "entity", Officer: "officer", RosterObject: "object", Case: "case", Seizure: "seizure"}
    types = ContentType.objects.get_for_models(*prefix, Certificate, PowerItem)
    by_type: dict[int, set[str]] = {}
    for ct_id, pk in (ChangeLog.objects.filter(id__gt=since, id__lte=upto, content_type__in=types.values())
                      .values_list("content_type_id", "object_id").distinct()):
        by_type.setdefault(ct_id, set()).add(pk)
    keys = {f"{p}:{pk}" for model, p in prefix.items() for pk in by_type.get(types[model].pk, ())}
    certs = [int(pk) for pk in by_type.get(types[Certificate].pk, ()) if pk.isdigit()]
    keys |= {f"officer:{pk}" for pk in Certificate.objects.filter(pk__in=certs).values_list("officer_id", flat=True)}
    powers = [int(pk) for pk in by_type.get(types[PowerItem].pk, ()) if pk.isdigit()]
    keys |= {f"power:{lin}" for lin in PowerItem.objects.filter(pk__in=powers).values_list("lineage", flat=True)}
    return keys


def do_build_batch(day: dt.date, *, acting_user=None, feed: str = Feed.NATIONAL) -> Batch:
    """The batch of `day` for `feed`: every change up to the end of that day not in an earlier batch of that
    feed (the national 互联网+监管/双公示 records, or the provincial platform's table family)."""
    _check_role(acting_user)
    if feed not in FEED_TABLES:
        raise ActionRefused("exchange.feed", f"交换对象“{feed}”无效（应为national或provincial）", "feed")
    from zhifa.cases.models import Case

    tables = FEED_TABLES[feed]
    with transaction.atomic():
        previous = Batch.objects.select_for_update().filter(feed=feed).order_by("-changelog_to").first()
        since = previous.changelog_to if previous else 0
        upto = ChangeLog.objects.filter(time__lt=_end_of(day)).aggregate(m=Max("id"))["m"] or 0
        upto = max(upto, since)
        latest = Row.objects.filter(table__in=tables).values("table", "key").annotate(last=Max("id"))
        retry = set(Row.objects.filter(id__in=[x["last"] for x in latest], state=RowState.REFUSED)
                    .values_list("key", flat=True))
        if feed == Feed.NATIONAL:
            case_type = ContentType.objects.get_for_model(Case)
            changed = {int(pk) for pk in ChangeLog.objects.filter(
                id__gt=since, id__lte=upto, content_type=case_type).values_list("object_id", flat=True).distinct()}
            rows = _case_rows(changed | {int(k.split(":")[1]) for k in retry if k.startswith("case:")})
        else:
            rows = _provincial_rows(_changed_subjects(since, upto) | retry)
        rows += list(Row.objects.select_for_update().filter(batch__isnull=True, state=RowState.QUEUED,
                                                            table__in=tables).order_by("id"))
        source = source_code()
        seq = Batch.objects.filter(source=source, day=day).count() + 1
        batch = Batch.objects.create(number=f"{source}{day:%Y%m%d}{seq:03d}", day=day, source=source, feed=feed,
                                     changelog_from=since, changelog_to=upto, created_by=acting_user)
        now = timezone.localtime()
        for row in rows:
            row.record = records.envelope(
                {k: v for k, v in row.record.items() if not k.startswith("cd_")}, cd_id=row.cd_id, cd_time=now,
                cd_source=source, cd_batch=batch.number, cd_operation=row.operation)
            reasons = validate(row.table, row.record, today=day)
            row.batch, row.state = batch, RowState.REFUSED if reasons else RowState.SENT
            row.reason = "；".join(reasons)
            row.save()
        batch.counts = count(batch)
        batch.manifest_sha256 = hashlib.sha256(files(batch)["manifest.json"]).hexdigest()
        batch.save()
        ledger.append("exchange.batch", subject=batch, actor=acting_user, data={
            "batch": batch.number, "feed": feed, "counts": batch.counts, "manifest_sha256": batch.manifest_sha256})
        log_change(batch, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(batch),
                   reason=f"生成数据交换批次{batch.number}（{Feed(feed).label}）")
    return batch


def count(batch: Batch) -> dict[str, dict[str, int]]:
    out = {Table(t).value: dict.fromkeys(STATES, 0) for t in FEED_TABLES[batch.feed]}
    for table, state in batch.rows.values_list("table", "state"):
        out[table][state] += 1
    for figures in out.values():
        figures["sent"] += figures["accepted"] + figures["rejected"]  # sent = every record that left
    return out


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def files(batch: Batch) -> dict[str, bytes]:
    """The batch as files: one per table (the records sent), rejected.json (refused by a validator,
    with reasons; never sent) and manifest.json (counts and each file's SHA-256)."""
    out: dict[str, bytes] = {}
    rows = list(batch.rows.order_by("id"))
    for table in map(Table, FEED_TABLES[batch.feed]):
        sent = [r.record for r in rows if r.table == table and r.state != RowState.REFUSED]
        out[f"{table.value}.json"] = _dump({"cd_batch": batch.number, "table": table.value, "records": sent})
    out["rejected.json"] = _dump([{"table": r.table, "key": r.key, "cd_id": r.cd_id, "reason": r.reason}
                                  for r in rows if r.state == RowState.REFUSED])
    out["manifest.json"] = _dump({
        "cd_batch": batch.number, "cd_source": batch.source, "day": batch.day.isoformat(),
        **({"feed": batch.feed} if batch.feed != Feed.NATIONAL else {}),
        "counts": {t: {"sent": c["sent"], "refused": c["refused"]} for t, c in (batch.counts or count(batch)).items()},
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(out.items())}})
    return out


ACCEPT = {"accepted": RowState.ACCEPTED, "1": RowState.ACCEPTED, "rejected": RowState.REJECTED, "0": RowState.REJECTED}


def do_import_acceptance(batch: Batch, data: bytes, *, acting_user=None) -> Batch:
    """The receiving system's acceptance file (JSON: cd_batch, results [{cd_id, status accepted|rejected,
    reason}]): all or nothing, each cd_id must be a record this batch sent."""
    _check_role(acting_user)
    try:
        doc = json.loads(data.decode("utf-8"))
        results = doc["results"]
        assert isinstance(results, list)
    except (ValueError, KeyError, TypeError, AssertionError, UnicodeDecodeError):
        raise ActionRefused("exchange.acceptance", "回执文件：应为JSON，含 cd_batch 和 results 列表", "file") from None
    if doc.get("cd_batch") != batch.number:
        raise ActionRefused("exchange.acceptance", f"回执文件：批次号“{doc.get('cd_batch')}”与本批次{batch.number}不符",
                            "file")
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch.pk)
        rows = {r.cd_id: r for r in batch.rows.select_for_update().exclude(state=RowState.REFUSED)}
        problems = []
        for n, item in enumerate(results, 1):
            if not isinstance(item, dict):
                problems.append(f"第{n}条格式不正确")
                continue
            row, state = rows.get(str(item.get("cd_id"))), ACCEPT.get(str(item.get("status")))
            if row is None:
                problems.append(f"第{n}条：记录标识 {item.get('cd_id')} 不是本批次发送的记录")
            elif state is None:
                problems.append(f"第{n}条：状态应为 accepted 或 rejected")
            else:
                row.state, row.reason = state, str(item.get("reason") or "")[:1000]
        if problems:
            raise ActionRefused("exchange.acceptance", "回执文件：" + "；".join(problems[:5]), "file")
        Row.objects.bulk_update(rows.values(), ["state", "reason"])
        before = snapshot(batch)
        batch.counts = count(batch)
        batch.acceptance_sha256 = hashlib.sha256(data).hexdigest()
        batch.reconciled_at = timezone.now()
        batch.save()
        log_change(batch, ChangeLog.Action.IMPORT, acting_user=acting_user, before=before, after=snapshot(batch),
                   reason=f"导入批次{batch.number}的接收回执")
    return batch


def reconciliation(batch: Batch) -> list[dict[str, Any]]:
    """Per table: sent, accepted, rejected, awaiting an answer, refused by a validator."""
    out = []
    for table in map(Table, FEED_TABLES[batch.feed]):
        c = (batch.counts or {}).get(table.value) or dict.fromkeys(STATES, 0)
        out.append({"table": table.value, "label": table.label, "sent": c["sent"], "accepted": c["accepted"],
                    "rejected": c["rejected"], "awaiting": c["sent"] - c["accepted"] - c["rejected"],
                    "refused": c["refused"]})
    return out

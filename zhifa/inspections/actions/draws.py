"""The verifiable draw: commit (ledgered before the random value exists), reveal, draw, publish.

A reveal verifies the random value, recomputes the draw with zhifa.inspections.algorithm and
stores the result in the same transaction: a refused reveal leaves nothing half-drawn."""
from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused, check_scope, snapshot
from zhifa.inspections import algorithm as alg
from zhifa.inspections.actions.common import step
from zhifa.inspections.actions.roster import do_snapshot_inspectors, do_snapshot_objects
from zhifa.inspections.choices import DrawState, PlanState, SnapshotKind, Source
from zhifa.inspections.models import Batch, Draw, RosterSnapshot
from zhifa.ledger.models import LedgerEntry
from zhifa.ledger.pure import canonical_json
from zhifa.orgs.models import Certificate

COMMIT_EVENT = "inspections.draw.commit"


def _refuse(e: alg.DrawError):
    return ActionRefused(e.rule, e.message, e.field)


def _check_snapshot(snap: RosterSnapshot, kind: str, batch: Batch):
    if snap.kind != kind or snap.entity_id != batch.entity_id:
        raise ActionRefused("draw.snapshot", f"{SnapshotKind(kind).label}快照不属于本批次的执法主体", "snapshot")
    if alg.root(snap.rows) != snap.root or len(snap.rows) != snap.count:
        raise ActionRefused("draw.snapshot", f"{SnapshotKind(kind).label}快照的内容与其默克尔根不符", "snapshot")


def _check_inspectors(snap: RosterSnapshot, on: dt.date):
    numbers = {r["certificate"]: r for r in snap.rows}
    certs = {c.number: c for c in Certificate.objects.filter(number__in=list(numbers)).select_related("officer")}
    for number, row in sorted(numbers.items()):
        c = certs.get(number)
        if c is None or not c.is_valid_on(on) or c.officer.status != "active":
            status = c.status_on(on) if c else "不存在"
            raise ActionRefused("draw.inspector_certified",
                                f"检查人员{row['name']}的执法证{number}在{on}不是有效状态（{status}），"
                                "请重新生成执法检查人员名录库快照", "inspector_snapshot")


@transaction.atomic
def do_commit_draw(batch: Batch, *, acting_user, source: str, beacon_round: int | None = None,
                   lottery_name: str = "", lottery_issue: str = "", lottery_draw_on: dt.date | None = None,
                   object_snapshot: RosterSnapshot | None = None, inspector_snapshot: RosterSnapshot | None = None,
                   recusals=(), algorithm: str = alg.ALGORITHM) -> Draw:
    """承诺: the batch, both snapshots' roots, the exclusions, the algorithm and the identifier of a
    future public random value, ledgered (inspections.draw.commit) before that value exists."""
    batch = Batch.objects.select_for_update().select_related("plan", "entity").get(pk=batch.pk)
    check_scope(acting_user, batch)
    if batch.plan.state != PlanState.ACKNOWLEDGED:
        raise ActionRefused("draw.plan_acknowledged", "抽查计划尚未经上级确认备案，不能抽取", "plan")
    if algorithm not in alg.ALGORITHMS:
        raise ActionRefused("draw.algorithm", f"不支持的抽取算法版本：{algorithm}", "algorithm")
    now = timezone.now()
    today = timezone.localdate()
    if source == Source.DRAND:
        if not beacon_round or int(beacon_round) <= 0:
            raise ActionRefused("draw.future_value", "请填写将来的 drand 轮次", "beacon_round")
        if alg.round_time(int(beacon_round)) <= now.timestamp():
            raise ActionRefused("draw.future_value",
                                f"drand 第{beacon_round}轮已经产生（当前约为第{alg.round_at(now.timestamp())}轮），"
                                "只能承诺将来的轮次", "beacon_round")
        src = {"kind": "drand", "chain_hash": alg.QUICKNET_CHAIN_HASH, "round": int(beacon_round)}
    elif source == Source.LOTTERY:
        if not (lottery_name or "").strip() or not (lottery_issue or "").strip() or not lottery_draw_on:
            raise ActionRefused("draw.future_value", "请填写彩票名称、期号和开奖日期", "lottery_issue")
        if lottery_draw_on <= today:
            raise ActionRefused("draw.future_value", f"开奖日期{lottery_draw_on}不晚于今天，只能承诺将来的开奖", "lottery_draw_on")
        src = {"kind": "lottery", "name": lottery_name.strip(), "issue": lottery_issue.strip(),
               "draw_on": lottery_draw_on.isoformat()}
    else:
        raise ActionRefused("draw.source", "请选择随机源（drand 或彩票开奖号码）", "source")
    object_snapshot = object_snapshot or do_snapshot_objects(batch.entity, acting_user=acting_user,
                                                             industry=batch.industry, area=batch.area)
    inspector_snapshot = inspector_snapshot or do_snapshot_inspectors(batch.entity, acting_user=acting_user,
                                                                      field=batch.field, on=today)
    _check_snapshot(object_snapshot, SnapshotKind.OBJECTS, batch)
    _check_snapshot(inspector_snapshot, SnapshotKind.INSPECTORS, batch)
    _check_inspectors(inspector_snapshot, today)
    pairs = sorted({(int(o), str(k)) for o, k in recusals})
    draw = Draw(batch=batch, entity=batch.entity, source=source, beacon_round=src.get("round"),
                lottery_name=src.get("name", ""), lottery_issue=src.get("issue", ""), lottery_draw_on=lottery_draw_on,
                algorithm=algorithm, object_snapshot=object_snapshot, inspector_snapshot=inspector_snapshot,
                commitment="", commitment_sha256="", committed_at=now, committed_by=acting_user)
    draw.save()
    commitment = {
        "algorithm": algorithm, "draw": draw.pk, "draw_date": today.isoformat(),
        "entity": {"id": batch.entity_id, "name": batch.entity.name},
        "batch": {"id": batch.pk, "name": batch.name, "plan": batch.plan_id, "plan_title": batch.plan.title,
                  "items": sorted(i.code for i in batch.items.all()), "strata": batch.strata,
                  "inspectors_per_object": batch.inspectors_per_object,
                  "joint_entities": sorted(e.name for e in batch.joint_entities.all()),
                  "starts_on": batch.starts_on.isoformat(), "ends_on": batch.ends_on.isoformat()},
        "objects": {"snapshot": object_snapshot.pk, "root": object_snapshot.root, "count": object_snapshot.count},
        "inspectors": {"snapshot": inspector_snapshot.pk, "root": inspector_snapshot.root,
                       "count": inspector_snapshot.count},
        "exclusions": {"window_days": batch.window_days, "recusals": [list(p) for p in pairs]},
        "source": src,
    }
    text = canonical_json(commitment).decode("utf-8")
    draw.commitment, draw.commitment_sha256 = text, hashlib.sha256(text.encode("utf-8")).hexdigest()
    draw.save(update_fields=["commitment", "commitment_sha256"])
    entry = step(draw, COMMIT_EVENT, acting_user=acting_user, commitment_sha256=draw.commitment_sha256, source=src,
                 objects_root=object_snapshot.root, inspectors_root=inspector_snapshot.root, algorithm=algorithm)
    before = snapshot(draw)
    draw.commit_seq = entry.seq
    draw.save(update_fields=["commit_seq"])
    step(draw, None, acting_user=acting_user, before=before, reason="承诺已记入执法日志")
    return draw


def _committed(draw: Draw) -> Draw:
    if draw.pk is None:
        raise ActionRefused("draw.reveal_before_commit", "该抽取尚未承诺（记入执法日志），不能揭示随机值", "draw")
    draw = Draw.objects.select_for_update().select_related("batch", "object_snapshot", "inspector_snapshot").get(pk=draw.pk)
    entry = LedgerEntry.objects.filter(seq=draw.commit_seq).first() if draw.commit_seq is not None else None
    if entry is None or entry.event_type != COMMIT_EVENT or draw.commitment_sha256 not in entry.body:
        raise ActionRefused("draw.reveal_before_commit", "该抽取的承诺尚未记入执法日志，不能揭示随机值", "draw")
    if draw.state != DrawState.COMMITTED:
        raise ActionRefused("draw.reveal_before_commit", "该抽取已经完成，不能再次揭示随机值", "state")
    return draw


def _finish(draw: Draw, reveal: dict, revealed: bytes, *, acting_user) -> Draw:
    import json

    commitment = json.loads(draw.commitment)
    try:
        result = alg.draw(commitment, draw.object_snapshot.rows, draw.inspector_snapshot.rows, revealed)
    except alg.DrawError as e:
        raise _refuse(e) from e
    before = snapshot(draw)
    draw.reveal, draw.revealed_by = reveal, acting_user
    draw.seed, draw.result, draw.result_sha256 = result["seed"], result, alg.result_hash(result)
    draw.selected_count = sum(s["count"] for s in result["strata"])
    draw.state, draw.drawn_at = DrawState.DRAWN, timezone.now()
    draw.save()
    step(draw, "inspections.draw.drawn", acting_user=acting_user, before=before, seed=draw.seed,
         result_sha256=draw.result_sha256, selected=draw.selected_count)
    return draw


@transaction.atomic
def do_reveal_beacon(draw: Draw, *, signature: str, acting_user) -> Draw:
    """揭示 drand: the committed round's BLS signature, verified offline; then the draw."""
    draw = _committed(draw)
    check_scope(acting_user, draw)
    if draw.source != Source.DRAND:
        raise ActionRefused("draw.source", "该抽取承诺的随机源不是 drand", "source")
    if alg.round_time(draw.beacon_round) > timezone.now().timestamp():
        raise ActionRefused("draw.value_not_yet", f"drand 第{draw.beacon_round}轮尚未产生，请在"
                            f"{dt.datetime.fromtimestamp(alg.round_time(draw.beacon_round), dt.UTC):%Y-%m-%d %H:%M:%S} UTC 之后揭示",
                            "signature")
    reveal = {"round": draw.beacon_round, "signature": (signature or "").strip().lower()}
    try:
        revealed = alg.revealed_bytes({"kind": "drand", "round": draw.beacon_round}, reveal)
    except alg.DrawError as e:
        raise _refuse(e) from e
    reveal["randomness"] = revealed.hex()
    return _finish(draw, reveal, revealed, acting_user=acting_user)


@transaction.atomic
def do_enter_lottery(draw: Draw, *, value: str, acting_user) -> Draw:
    """录入开奖号码: two different users type the published numbers; the second entry, if it
    agrees with the first, reveals the value and makes the draw. Both entries are ledgered."""
    draw = _committed(draw)
    check_scope(acting_user, draw)
    if draw.source != Source.LOTTERY:
        raise ActionRefused("draw.source", "该抽取承诺的随机源不是彩票开奖号码", "source")
    if timezone.localdate() < draw.lottery_draw_on:
        raise ActionRefused("draw.value_not_yet", f"{draw.lottery_name}第{draw.lottery_issue}期将于{draw.lottery_draw_on}开奖，"
                            "开奖后才能录入", "value")
    typed = alg.normalise_lottery(value)
    if not typed:
        raise ActionRefused("draw.lottery_value", "请填写开奖号码", "value")
    if not draw.lottery_first_by_id:
        before = snapshot(draw)
        draw.lottery_first, draw.lottery_first_by = typed, acting_user
        draw.save(update_fields=["lottery_first", "lottery_first_by"])
        step(draw, "inspections.draw.lottery_entry", acting_user=acting_user, before=before, entry=1, value=typed)
        return draw
    if draw.lottery_first_by_id == acting_user.pk:
        raise ActionRefused("draw.lottery_second_user", "开奖号码须由另一名工作人员再次录入核对", "value")
    if typed != draw.lottery_first:
        raise ActionRefused("draw.lottery_mismatch", f"两次录入的开奖号码不一致（第一次：{draw.lottery_first}；"
                            f"第二次：{typed}），请核对公开的开奖公告", "value")
    ledger_second = {"entry": 2, "value": typed}
    from zhifa.ledger import log as ledger

    ledger.append("inspections.draw.lottery_entry", subject=draw, actor=acting_user, data={"id": draw.pk, **ledger_second})
    reveal = {"value": typed, "entered_by": [draw.lottery_first_by_id, acting_user.pk]}
    return _finish(draw, reveal, typed.encode("utf-8"), acting_user=acting_user)


@transaction.atomic
def do_publish_draw(draw: Draw, *, acting_user) -> Draw:
    """一公开: the draw, its proof and kit on the portal."""
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    check_scope(acting_user, draw)
    if draw.state != DrawState.DRAWN:
        raise ActionRefused("draw.state", "尚未抽取，不能公示", "state")
    if draw.published:
        return draw
    before = snapshot(draw)
    draw.published = True
    draw.save(update_fields=["published"])
    step(draw, "inspections.draw.published", acting_user=acting_user, before=before, result_sha256=draw.result_sha256)
    return draw

"""开放数据 of 双随机、一公开 (no login): the published draws and the published results of each, as
CSV (UTF-8 with BOM, cells through common.exports.cell) or JSON, with their fields described here.
Only what the portal pages show goes out: a natural person's ID is masked and the name reduced,
a result appears once it is published (Task.published_on)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.urls import reverse

from zhifa.common import exports
from zhifa.inspections import algorithm as alg
from zhifa.inspections.choices import KeyKind
from zhifa.inspections.models import Draw, RosterObject

DRAW_FIELDS = (
    ("id", "抽取编号"), ("url", "公示页面地址"), ("kit_url", "核验包地址（zhifa verify-draw 可离线重算）"),
    ("results_url", "抽查结果开放数据地址（JSON）"), ("entity", "制定主体"), ("plan", "抽查计划"),
    ("batch", "抽查批次"), ("items", "随机抽查事项"), ("algorithm", "抽取算法版本"), ("source", "随机源"),
    ("committed_at", "承诺时间（记入执法日志）"), ("commit_seq", "承诺的执法日志序号"),
    ("commitment_sha256", "承诺摘要（SHA-256）"), ("drawn_at", "抽取时间"), ("seed", "种子"),
    ("result_sha256", "抽取结果摘要（SHA-256）"), ("selected_count", "抽中对象数"), ("recusals", "回避重新抽取次数"),
)
RESULT_FIELDS = (
    ("draw_id", "抽取编号"), ("level", "信用风险等级"), ("name", "检查对象名称（自然人已脱敏）"),
    ("key", "统一社会信用代码（身份证号已脱敏）"), ("inspectors", "检查人员"), ("result", "检查结果"),
    ("done_on", "检查完成日期"), ("published_on", "结果公示日期"),
)


def published_draws():
    return (Draw.objects.filter(published=True, state=Draw.State.DRAWN)
            .select_related("entity", "batch__plan").order_by("-drawn_at", "-id"))


def masked(key: str, kind: str) -> str:
    return key[:6] + "********" + key[-4:] if kind == KeyKind.ID_NUMBER else key


def result_rows(draw: Draw) -> list[dict[str, Any]]:
    """The drawn objects of a published draw as the public sees them, in the order drawn."""
    names = {r["key"]: r["name"] for r in draw.object_snapshot.rows}
    keys = [key for _, key, _ in alg.selected(draw.result)]
    kinds = dict(RosterObject.objects.filter(entity=draw.entity, key__in=keys).values_list("key", "key_kind"))
    tasks = {t.object_key: t for t in draw.tasks.prefetch_related("inspectors")}
    rows = []
    for level, key, _ in alg.selected(draw.result):
        person = kinds.get(key) == KeyKind.ID_NUMBER
        task = tasks.get(key)
        public = task is not None and task.published_on is not None
        rows.append({"draw_id": draw.pk, "level": level, "key": masked(key, kinds.get(key, "")),
                     "name": names.get(key, "")[:1] + "某" if person else names.get(key, ""),
                     "inspectors": "、".join(o.name for o in task.inspectors.all()) if task else "",
                     "result": str(task.get_result_display()) if public else "",
                     "done_on": task.done_on.isoformat() if public and task.done_on else None,
                     "published_on": task.published_on.isoformat() if public else None,
                     "task": task if public else None, "_key": key})  # _key: internal, never exported
    return rows


def draw_row(draw: Draw, base: str = "") -> dict[str, Any]:
    return {
        "id": draw.pk, "url": base + reverse("gs-inspections-detail", args=[draw.pk]),
        "kit_url": base + reverse("gs-inspections-kit", args=[draw.pk]),
        "results_url": base + reverse("gs-inspections-results", args=[draw.pk, "json"]),
        "entity": draw.entity.name, "plan": draw.batch.plan.title, "batch": draw.batch.name,
        "items": "；".join(f"{i.code} {i.name}" for i in draw.batch.items.all()), "algorithm": draw.algorithm,
        "source": draw.source_label, "committed_at": draw.committed_at.isoformat(), "commit_seq": draw.commit_seq,
        "commitment_sha256": draw.commitment_sha256, "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None,
        "seed": draw.seed, "result_sha256": draw.result_sha256, "selected_count": draw.selected_count,
        "recusals": draw.recusals.filter(state="approved").count(),
    }


def as_csv(fields, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in fields])
    writer.writerow([key for key, _ in fields])
    for r in rows:
        writer.writerow(exports.row("" if r[k] is None else r[k] for k, _ in fields))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_json(fields, rows, **meta) -> bytes:
    data = {**meta, "fields": [{"key": k, "label": label} for k, label in fields],
            "rows": [{k: r[k] for k, _ in fields} for r in rows]}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

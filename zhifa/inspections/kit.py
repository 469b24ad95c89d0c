"""The verification kit of a draw (JSON): what `zhifa verify-draw` needs to recompute it offline."""
from __future__ import annotations

import json
from typing import Any

from zhifa.inspections.models import Draw
from zhifa.inspections.verify_draw import KIT_FORMAT
from zhifa.ledger.models import LedgerEntry


def kit_for(draw: Draw) -> dict[str, Any]:
    entry = LedgerEntry.objects.get(seq=draw.commit_seq)
    return {
        "format": KIT_FORMAT,
        "title": f"{draw.entity.name} {draw.batch.plan.title} {draw.batch.name} 双随机抽取核验包",
        "verify": "zhifa verify-draw 本文件（无需数据库）",
        "commitment": json.loads(draw.commitment),
        "commitment_sha256": draw.commitment_sha256,
        "ledger_entry": entry.body,
        "ledger_seq": entry.seq,
        "objects": draw.object_snapshot.rows,
        "inspectors": draw.inspector_snapshot.rows,
        "reveal": draw.reveal,
        "result": draw.result,
        "result_sha256": draw.result_sha256,
        "recusals": [r.replay_row() for r in draw.recusals.filter(state="approved").select_related("task")
                     .order_by("index")],
    }


def kit_bytes(draw: Draw) -> bytes:
    return json.dumps(kit_for(draw), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def latest_drawn() -> Draw | None:
    return Draw.objects.filter(state=Draw.State.DRAWN).order_by("-drawn_at", "-id").first()

"""`zhifa verify` checks of 双随机: every snapshot's rows still give its Merkle root, and every
finished draw recomputes from its commitment, snapshots and revealed value."""
from __future__ import annotations

import json
from collections.abc import Iterator

from zhifa.inspections import algorithm as alg
from zhifa.ledger.drift import exempt
from zhifa.ledger.verify import Discrepancy, check

exempt("inspections.rostersnapshot", "rows", why="the Merkle root stands for the rows; check_snapshots recomputes it")
exempt("inspections.draw", "result", why="result_sha256 stands for the result; check_draws recomputes it")


@check
def check_snapshots() -> Iterator[Discrepancy]:
    from zhifa.inspections.models import RosterSnapshot

    for snap in RosterSnapshot.objects.iterator(chunk_size=20):
        if alg.root(snap.rows) != snap.root or len(snap.rows) != snap.count:
            yield Discrepancy("inspections.snapshot_root", f"inspections_rostersnapshot id={snap.pk}", "快照内容与其默克尔根不符")


@check
def check_draws() -> Iterator[Discrepancy]:
    from zhifa.inspections.kit import kit_for
    from zhifa.inspections.models import Draw
    from zhifa.inspections.verify_draw import check as check_kit

    for draw in Draw.objects.filter(state=Draw.State.DRAWN).iterator(chunk_size=20):
        try:
            failed = [text for ok, text in check_kit(kit_for(draw)) if not ok]
        except (KeyError, ValueError, json.JSONDecodeError) as e:
            failed = [str(e)]
        for text in failed:
            yield Discrepancy("inspections.draw_recompute", f"inspections_draw id={draw.pk}", text)

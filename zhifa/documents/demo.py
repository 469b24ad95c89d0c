"""The documents app's demo step (zhifa.common.registry.demo_steps): each demo case carries the
documents of the steps it has passed, generated through the action as its officer would, so a
fresh demo shows them on the case page and `zhifa verify` re-hashes real files.

Only the .docx is made here; the PDF is rendered on request (文书 → 生成PDF), since LibreOffice
takes seconds per document and the seed must stay quick."""
from __future__ import annotations

from zhifa.common.actions import ActionRefused
from zhifa.common.registry import demo_steps
from zhifa.documents.actions import generate_docx
from zhifa.documents.types import types_for_kind
from zhifa.legalcal.periods import CalendarUnknown


@demo_steps.register("documents", order=5)
def documents_step(demo) -> None:
    made = skipped = 0
    officer = demo.users.get("officer")
    for case in demo.cases:
        for spec in types_for_kind(case.kind):
            try:
                generate_docx(case, spec.code, acting_user=officer)
            except (ActionRefused, CalendarUnknown):  # the case has not reached this step, or a date waits for a year
                skipped += 1
            else:
                made += 1
    demo.log(f"  documents: 文书 {made} 份（另有 {skipped} 种尚未到相应环节）")

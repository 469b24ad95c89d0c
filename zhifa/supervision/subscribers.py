"""What supervision does when a case moves (zhifa/cases/events.py): every committed transition asks
for one (debounced) recompute of the alerts and figures."""
from __future__ import annotations

from zhifa.cases.events import subscribe
from zhifa.supervision.tasks import on_case_event


@subscribe()
def recompute_alerts(event, ctx):
    on_case_event()

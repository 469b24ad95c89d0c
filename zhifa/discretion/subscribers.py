"""What discretion does when a case moves (zhifa/cases/events.py): a decided case gets its profile for
the similar-case index, in the transition's transaction."""
from __future__ import annotations

from zhifa.cases.events import subscribe


@subscribe(transitions={"decide", "on_the_spot_penalty"})
def profile_decided(event, ctx):
    from zhifa.discretion.similar import profile_case

    profile_case(event.case)

"""Demo 监督权责清单: the county and city justice bureaus' supervision powers, drafted from the standard
items of their level by the administrator, submitted, and confirmed by each bureau's supervisor, so
the portal's 监督清单 page shows both levels."""
from __future__ import annotations

from zhifa.powers import actions as power_actions
from zhifa.supervision.actions.powerlist import do_draft_supervision_powers


def seed_demo_powerlist(*, admin, supervisors, log=None):
    log = log or (lambda msg: None)
    n = 0
    for sup in supervisors:
        if sup is None or sup.entity is None:
            continue
        for item in do_draft_supervision_powers(sup.entity, acting_user=admin):
            item = power_actions.do_submit_versioned(item, acting_user=admin)
            power_actions.do_confirm_versioned(item, acting_user=sup, note="经审核，同意公开")
            n += 1
    log(f"  powerlist: 监督权责清单事项 {n} 项已确认公开")
    return n

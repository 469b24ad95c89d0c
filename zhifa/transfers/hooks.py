"""The case's 移送 transition (zhifa.cases.machine "transfer") records its transfer here, in the
transition's own transaction (post_save of the CaseEvent it appends)."""
from __future__ import annotations


def on_case_event(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.transition != "transfer":
        return
    from zhifa.transfers import actions, crime

    case, user = instance.case, instance.actor
    if case.transfer_kind == "crime":
        crime.on_case_transfer(case, user, case.transfer_to, instance.reason, instance.on)
    else:
        actions.record_sent(case, kind_label=case.get_transfer_kind_display(), to_name=case.transfer_to,
                            reason=instance.reason, on=instance.on, acting_user=user)

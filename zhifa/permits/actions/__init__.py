"""Actions on permits: the only writers of their rows. Each runs in one transaction, takes a
keyword-only acting_user, checks scope and its named rules (zhifa/permits/rules.py), writes a
ChangeLog row and a typed ledger entry.

  do_grant_permit      a permit decision registered; its publication queued (7 working days)
  do_suspend_permit    暂扣许可证件 (by the organ, or by a penalty decision: subscribers.py)
  do_revoke_permit     吊销许可证件
  do_name_permit       a penalty case names the permit its 暂扣/吊销 acts on
  apply_decision       the decided case's named permits suspended or revoked (called by the subscriber)
"""
from zhifa.permits.actions.permits import do_grant_permit, do_revoke_permit, do_suspend_permit  # noqa: F401
from zhifa.permits.actions.sanctions import apply_decision, do_name_permit  # noqa: F401

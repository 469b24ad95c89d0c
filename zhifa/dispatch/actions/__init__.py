"""Actions on dispatch tasks: the only writers of their rows. Each runs in one transaction, takes a
keyword-only acting_user, checks scope and its named rules (zhifa/dispatch/rules.py), writes a
ChangeLog row and a typed ledger entry.

  do_dispatch          a head or the command desk dispatches a task to an officer (派发)
  do_reassign          改派: an open or returned task goes to another officer, its limit restarting
  do_accept            接收 (the assignee)
  do_arrive            到场, with the position from the phone or a written place
  do_report_location   a position report while the task is open
  do_finish            处置完毕, with the result
  do_return            退回, with the reason
  do_escalate_overdue  the periodic sweep: an overdue task rises to the next head (periodic.py)
  do_save_outline      a region's outline for the map layer (administrator, demo)
"""
from zhifa.dispatch.actions.escalation import do_escalate_overdue  # noqa: F401
from zhifa.dispatch.actions.outlines import do_save_outline  # noqa: F401
from zhifa.dispatch.actions.tasks import (  # noqa: F401
    do_accept,
    do_arrive,
    do_dispatch,
    do_finish,
    do_reassign,
    do_report_location,
    do_return,
)

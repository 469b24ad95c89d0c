"""The cases app's part of `zhifa verify`: fields of a case that change without a change-log row."""
from zhifa.ledger import drift, privileges

# The nearest due date is a cache of the case's running Deadline rows, recomputed after every
# transition and by the daily refresh; the deadlines themselves are the record.
drift.exempt("cases.case", "next_due_on", why="最近期限由期限表派生，流转后及每日重算")
drift.exempt("cases.case", "region_path", why="区划路径由执法主体所在区划派生，主体变更区划时同步")

# Deadlines are opened, met and breached by the case engine and the daily refresh as consequences
# of the case's ledgered transitions; only their pending-year recomputation is change-logged.
drift.unchecked("cases.deadline", why="期限由案件流转与每日刷新派生，流转本身留痕")

# Case events are the record of every transition: the application only ever appends them.
privileges.log_table("cases.caseevent", why="案件流转记录")

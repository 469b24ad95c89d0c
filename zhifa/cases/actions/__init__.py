"""Case actions: the only writers of case rows (see engine.apply_transition)."""
from zhifa.cases.actions import effects as _effects  # noqa: F401  (registers the effects)
from zhifa.cases.actions.engine import allowed_transitions, apply_transition, create_case  # noqa: F401
from zhifa.cases.actions.general import *  # noqa: F403
from zhifa.cases.actions.kinds import *  # noqa: F403
from zhifa.cases.deadlines import refresh_deadlines, work_queue  # noqa: F401
from zhifa.cases.rules import surcharge  # noqa: F401

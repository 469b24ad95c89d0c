"""Models of 双随机、一公开; import from zhifa.inspections.models."""
from zhifa.inspections.models.draws import Draw, Recusal, Task
from zhifa.inspections.models.plans import Batch, Plan
from zhifa.inspections.models.roster import RosterObject, RosterSnapshot

__all__ = ["Batch", "Draw", "Plan", "Recusal", "RosterObject", "RosterSnapshot", "Task"]

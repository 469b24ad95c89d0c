"""The case page's 裁量辅助 panel (common.registry.case_panels): norms for the step, circumstances and
the suggestion, similar cases, the legal bases linked to the law library."""
from zhifa.common.registry import CasePanel, case_panels

case_panels.register("discretion", CasePanel("裁量辅助、类案与法规", "discretion-case-panel", "case-discretion",
                                             kinds=("penalty_general", "penalty_simple")), order=50, module=__name__)

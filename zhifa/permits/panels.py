"""The case page's 许可证件 panel (common.registry.case_panels): the parties' permits and the one a
暂扣/吊销许可证件 penalty acts on; and the 一户式 page's panel (common.registry.target_panels)."""
from zhifa.common.registry import CasePanel, TargetPanel, case_panels, target_panels

case_panels.register("permits", CasePanel("许可证件", "permits-case-panel", "case-permits",
                                          kinds=("penalty_general",)), order=60, module=__name__)
target_panels.register("permits", TargetPanel("行政许可", "permits-target-panel", "target-permits"), order=50,
                       module=__name__)

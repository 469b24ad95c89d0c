"""The discretion app's staff pages: the case panel (and its circumstances form), the law library,
the norms, the outlier report."""
from zhifa.discretion.views.laws import law_detail, laws
from zhifa.discretion.views.norms import norms
from zhifa.discretion.views.panel import case_panel, set_circumstances
from zhifa.discretion.views.reports import outliers

__all__ = ["case_panel", "law_detail", "laws", "norms", "outliers", "set_circumstances"]

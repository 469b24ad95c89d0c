"""The disclosure app's tables, one module per sub-domain; their choices are in zhifa.disclosure.choices.

- publications: `Publication` (行政执法结果公示), one per issued decision
- complaints: `Complaint`, `ComplaintStep` (咨询投诉 and its handling record)
- credit_repair: `CreditRepair` (信用修复)
- annual_reports: `AnnualReport` (年度行政执法统计年报)
"""
from zhifa.disclosure.models.annual_reports import AnnualReport
from zhifa.disclosure.models.complaints import Complaint, ComplaintStep
from zhifa.disclosure.models.credit_repair import CreditRepair
from zhifa.disclosure.models.publications import Publication

__all__ = ["AnnualReport", "Complaint", "ComplaintStep", "CreditRepair", "Publication"]

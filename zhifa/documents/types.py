"""The document types: their codes, names, which case kinds they belong to and where their
number comes from. The shipped default template of a type is templates_docx/<code>.docx."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_docx"


class DocType(models.TextChoices):
    FILING_APPROVAL = "filing_approval", _("立案审批表")
    INQUIRY_RECORD = "inquiry_record", _("询问笔录")
    INSPECTION_RECORD = "inspection_record", _("现场检查笔录")
    PENALTY_NOTICE = "penalty_notice", _("行政处罚事先告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    HEARING_RECORD = "hearing_record", _("听证笔录")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    SERVICE_RECEIPT = "service_receipt", _("送达回证")
    SEIZURE_DECISION = "seizure_decision", _("查封扣押决定书")
    SEIZURE_LIST = "seizure_list", _("查封扣押清单")
    CLOSING_REPORT = "closing_report", _("结案报告")
    LEGAL_REVIEW_OPINION = "legal_review_opinion", _("法制审核意见书")


GENERAL, SIMPLE, INSPECTION, COERCIVE = "penalty_general", "penalty_simple", "inspection", "coercive"


@dataclass(frozen=True)
class Spec:
    code: str
    kinds: tuple[str, ...]          # case kinds the type belongs to
    # Where the document number comes from:
    #   "issue:<numbering type>"  issued from zhifa.cases.numbering on first generation, then kept
    #   "case.number" / "case.decision_number" / "seizure.number"  issued by the case core
    #   ""                        the document has no number of its own
    number: str = ""

    @property
    def label(self) -> str:
        return str(DocType(self.code).label)

    @property
    def default_file(self) -> Path:
        return TEMPLATES_DIR / f"{self.code}.docx"


SPECS: dict[str, Spec] = {s.code: s for s in [
    Spec(DocType.FILING_APPROVAL, (GENERAL,), "case.number"),
    Spec(DocType.INQUIRY_RECORD, (GENERAL, INSPECTION, COERCIVE)),
    Spec(DocType.INSPECTION_RECORD, (GENERAL, INSPECTION, COERCIVE), "case.number@inspection"),
    Spec(DocType.PENALTY_NOTICE, (GENERAL,), "issue:notice"),
    Spec(DocType.HEARING_NOTICE, (GENERAL,), "issue:hearing_notice"),
    Spec(DocType.HEARING_RECORD, (GENERAL,)),
    Spec(DocType.PENALTY_DECISION, (GENERAL,), "case.decision_number"),
    Spec(DocType.SERVICE_RECEIPT, (GENERAL, SIMPLE, INSPECTION, COERCIVE)),
    Spec(DocType.SEIZURE_DECISION, (COERCIVE,), "seizure.number"),
    Spec(DocType.SEIZURE_LIST, (COERCIVE,)),
    Spec(DocType.CLOSING_REPORT, (GENERAL, INSPECTION, COERCIVE)),
    # Generated with the reviewer's opinion (zhifa.review.opinion), never from the documents panel.
    Spec(DocType.LEGAL_REVIEW_OPINION, ()),
]}


def spec(code: str) -> Spec:
    from zhifa.common.actions import ActionRefused

    try:
        return SPECS[code]
    except KeyError:
        raise ActionRefused("documents.unknown_type", f"没有“{code}”这种文书") from None


def types_for_kind(kind: str) -> list[Spec]:
    return [s for s in SPECS.values() if kind in s.kinds]

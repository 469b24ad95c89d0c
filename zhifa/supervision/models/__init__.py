"""The supervision models, one module per sub-domain:

    orders      Alert (预警), SupervisionOrder (督办 / 整改通知 …)
    documents   OrderTemplate, OrderDocument (the orders' .docx / PDF documents)
    casefile    Rubric, ReviewRound, CaseReview, ScoreLine (案卷评查)
    appraisal   AppraisalScheme, AppraisalResult, AppraisalSnapshot (评议考核)
    social      SocialSupervisor, SupervisionLead (社会监督员, 线索)
    campaign    Campaign, CampaignCase (专项监督)
    filing      FilingPeriods, MajorFiling (重大行政处罚备案审查)
    coordination Coordination, CoordinationParty (争议协调)
    figures     FigureRollup, FigureRollupState (the pre-aggregated supervision figures)

Import them from here (`from zhifa.supervision.models import Alert`); choices are in
zhifa.supervision.choices.
"""
from zhifa.supervision.models.appraisal import AppraisalResult, AppraisalScheme, AppraisalSnapshot, OfficerFinding
from zhifa.supervision.models.campaign import Campaign, CampaignCase
from zhifa.supervision.models.casefile import CaseReview, ReviewRound, Rubric, ScoreLine
from zhifa.supervision.models.coordination import Coordination, CoordinationParty
from zhifa.supervision.models.documents import OrderDocument, OrderTemplate
from zhifa.supervision.models.figures import FigureRollup, FigureRollupState
from zhifa.supervision.models.filing import FilingPeriods, MajorFiling
from zhifa.supervision.models.orders import Alert, SupervisionOrder
from zhifa.supervision.models.social import SocialSupervisor, SupervisionLead

__all__ = ["Alert", "AppraisalResult", "AppraisalScheme", "AppraisalSnapshot", "Campaign", "CampaignCase", "CaseReview", "Coordination",
           "CoordinationParty", "FigureRollup",
           "FigureRollupState", "FilingPeriods", "MajorFiling", "OfficerFinding", "OrderDocument", "OrderTemplate", "ReviewRound", "Rubric", "ScoreLine",
           "SocialSupervisor", "SupervisionLead", "SupervisionOrder"]

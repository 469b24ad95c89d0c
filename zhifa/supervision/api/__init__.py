"""The supervision REST API (django-ninja routers, mounted by zhifa/api.py):

    supervision   /api/v1/supervision   figures, alerts, orders and their documents, statistics, annual reports
    social        /api/v1/social        社会监督员 and their leads
    casefile      /api/v1/casefile      案卷评查;  /api/v1/appraisal 评议考核
    filing        /api/v1/filings       重大行政处罚备案审查
    coordination  /api/v1/coordinations 争议协调

Each endpoint names its OpenAPI operation id (`zhifa_apiv1_supervision_alerts`): the ids it had under
zhifa/apiv1/, kept when the routers moved here.
"""
from zhifa.supervision.api import casefile, coordination, filing, social, supervision

__all__ = ["casefile", "coordination", "filing", "social", "supervision"]

from django.urls import path

from zhifa.supervision.views import (
    appraisal,
    campaign,
    casefile,
    coordination,
    documents,
    figures,
    filing,
    orders,
    powerlist,
    social,
    stats,
)

urlpatterns = [
    path("", figures.home, name="supervision-home"),
    path("cases/", figures.case_list, name="supervision-cases"),
    path("entity/<int:pk>/", figures.entity_view, name="supervision-entity"),
    path("alerts/", orders.alert_list, name="supervision-alerts"),
    path("alerts/<int:pk>/", orders.alert_detail, name="supervision-alert"),
    path("orders/", orders.order_list, name="supervision-orders"),
    path("orders/new/", orders.order_new, name="supervision-order-new"),
    path("orders/<int:pk>/", orders.order_detail, name="supervision-order"),
    # 重大行政处罚备案审查 (zhifa.supervision.views.filing)
    path("filings/", filing.filing_list, name="supervision-filings"),
    path("filings/<int:pk>/", filing.filing_detail, name="supervision-filing"),
    # 专项监督 (zhifa.supervision.views.campaign)
    path("campaigns/", campaign.campaign_list, name="supervision-campaigns"),
    path("campaigns/<int:pk>/", campaign.campaign_detail, name="supervision-campaign"),
    path("campaigns/<int:pk>/report/", campaign.campaign_report, name="supervision-campaign-report"),
    path("campaigns/<int:pk>/report.xlsx", campaign.campaign_report, {"fmt": "xlsx"}, name="supervision-campaign-xlsx"),
    path("campaigns/case/<int:pk>/", campaign.campaign_case, name="supervision-campaign-case"),
    # 争议协调 (zhifa.supervision.views.coordination)
    path("coordinations/", coordination.coordination_list, name="supervision-coordinations"),
    path("coordinations/<int:pk>/", coordination.coordination_detail, name="supervision-coordination"),
    # 监督权责清单 (zhifa.supervision.views.powerlist)
    path("powers/", powerlist.staff_powers, name="supervision-powers"),
    # 社会监督员 and their leads (zhifa.supervision.views.social)
    path("social/", social.registry, name="social-registry"),
    path("social/new/", social.appoint, name="social-appoint"),
    path("social/<int:pk>/", social.supervisor_detail, name="social-detail"),
    path("leads/", social.lead_list, name="social-leads"),
    path("leads/<int:pk>/", social.lead_detail, name="social-lead"),
    # supervision documents (zhifa.supervision.views.documents)
    path("orders/documents/<int:pk>/docx/", documents.download_docx, name="supervision-orderdoc-docx"),
    path("orders/documents/<int:pk>/pdf/", documents.download_pdf, name="supervision-orderdoc-pdf"),
    path("orders/documents/<int:pk>/render-pdf/", documents.render_pdf, name="supervision-orderdoc-render"),
    path("orders/templates/", documents.templates, name="supervision-order-templates"),
    path("orders/templates/<int:pk>/", documents.template_download, name="supervision-order-template-download"),
    # 案卷评查 and 评议考核 (zhifa.supervision.views.casefile, appraisal)
    path("casefile/", casefile.home, name="casefile-home"),
    path("casefile/new/", casefile.round_new, name="casefile-round-new"),
    path("casefile/<int:pk>/", casefile.round_detail, name="casefile-round"),
    path("casefile/mine/", casefile.mine, name="casefile-mine"),
    path("casefile/review/<int:pk>/", casefile.review_page, name="casefile-review"),
    path("casefile/rubrics/", casefile.rubric_list, name="casefile-rubrics"),
    path("casefile/rubrics/new/", casefile.rubric_edit, name="casefile-rubric-new"),
    path("casefile/rubrics/<int:pk>/", casefile.rubric_edit, name="casefile-rubric"),
    path("appraisal/", appraisal.home, name="appraisal-home"),
    path("appraisal/entity/<int:pk>/", appraisal.entity_view, name="appraisal-entity"),
    path("appraisal/scheme/", appraisal.scheme, name="appraisal-scheme"),
    path("appraisal/results/", appraisal.results, name="appraisal-results"),
    path("appraisal/officers/", appraisal.officers, name="appraisal-officers"),
    # 统计报表 (zhifa.supervision.views.stats)
    path("stats/", stats.stats_page, name="supervision-stats"),
    path("stats/query.<str:fmt>", stats.query_export, name="supervision-stats-query"),
    path("stats/report.<str:fmt>", stats.report_export, name="supervision-stats-report"),
]

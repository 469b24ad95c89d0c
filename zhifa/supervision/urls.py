from django.urls import path

from zhifa.supervision import views, views_appraisal, views_casefile, views_orderdocs, views_social, views_stats

urlpatterns = [
    path("", views.home, name="supervision-home"),
    path("cases/", views.case_list, name="supervision-cases"),
    path("entity/<int:pk>/", views.entity_view, name="supervision-entity"),
    path("alerts/", views.alert_list, name="supervision-alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="supervision-alert"),
    path("orders/", views.order_list, name="supervision-orders"),
    path("orders/new/", views.order_new, name="supervision-order-new"),
    path("orders/<int:pk>/", views.order_detail, name="supervision-order"),
    # 社会监督员 and their leads (zhifa.supervision.views_social)
    path("social/", views_social.registry, name="social-registry"),
    path("social/new/", views_social.appoint, name="social-appoint"),
    path("social/<int:pk>/", views_social.supervisor_detail, name="social-detail"),
    path("leads/", views_social.lead_list, name="social-leads"),
    path("leads/<int:pk>/", views_social.lead_detail, name="social-lead"),
    # supervision documents (zhifa.supervision.views_orderdocs)
    path("orders/documents/<int:pk>/docx/", views_orderdocs.download_docx, name="supervision-orderdoc-docx"),
    path("orders/documents/<int:pk>/pdf/", views_orderdocs.download_pdf, name="supervision-orderdoc-pdf"),
    path("orders/documents/<int:pk>/render-pdf/", views_orderdocs.render_pdf, name="supervision-orderdoc-render"),
    path("orders/templates/", views_orderdocs.templates, name="supervision-order-templates"),
    path("orders/templates/<int:pk>/", views_orderdocs.template_download, name="supervision-order-template-download"),
    # 案卷评查 and 评议考核 (zhifa.supervision.views_casefile, views_appraisal)
    path("casefile/", views_casefile.home, name="casefile-home"),
    path("casefile/new/", views_casefile.round_new, name="casefile-round-new"),
    path("casefile/<int:pk>/", views_casefile.round_detail, name="casefile-round"),
    path("casefile/mine/", views_casefile.mine, name="casefile-mine"),
    path("casefile/review/<int:pk>/", views_casefile.review_page, name="casefile-review"),
    path("casefile/rubrics/", views_casefile.rubric_list, name="casefile-rubrics"),
    path("casefile/rubrics/new/", views_casefile.rubric_edit, name="casefile-rubric-new"),
    path("casefile/rubrics/<int:pk>/", views_casefile.rubric_edit, name="casefile-rubric"),
    path("appraisal/", views_appraisal.home, name="appraisal-home"),
    path("appraisal/entity/<int:pk>/", views_appraisal.entity_view, name="appraisal-entity"),
    path("appraisal/scheme/", views_appraisal.scheme, name="appraisal-scheme"),
    path("appraisal/results/", views_appraisal.results, name="appraisal-results"),
    # 统计报表 (zhifa.supervision.views_stats)
    path("stats/", views_stats.stats_page, name="supervision-stats"),
    path("stats/query.<str:fmt>", views_stats.query_export, name="supervision-stats-query"),
    path("stats/report.<str:fmt>", views_stats.report_export, name="supervision-stats-report"),
]

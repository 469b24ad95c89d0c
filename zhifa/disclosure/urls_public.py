"""The disclosure app's public pages (公示平台, no login), mounted at /gs/ by the portal (zhifa/portal)
through the `portal_pages` registry, with their entries in the site's navigation."""
from django.urls import path, re_path

from zhifa.common.registry import PortalLink, PortalPages, portal_pages
from zhifa.disclosure.feeds import PublicationFeed
from zhifa.disclosure.views import (
    annual_reports,
    complaints,
    credit_repair,
    directory,
    field,
    open_data,
    progress,
    publications,
)

urlpatterns = [
    path("xc/arrival/", field.report_arrival, name="gs-field-arrival"),
    path("xc/t/<str:ref>/", field.task_page, name="gs-field-task"),
    path("entities/", directory.entities, name="gs-entities"),
    path("entities/options/", directory.entity_options, name="gs-entity-options"),
    path("officers/", directory.officers, name="gs-officers"),
    path("powers/", directory.powers, name="gs-powers"),
    path("results/", publications.results, name="gs-results"),
    path("results/<int:pk>/", publications.decision, name="gs-decision"),
    path("results/<int:pk>/proof.json", publications.decision_proof, name="gs-decision-proof"),
    path("results/<int:pk>/repair/", credit_repair.repair, name="gs-decision-repair"),
    path("progress/", progress.progress, name="gs-progress"),
    path("contact/", complaints.contact, name="gs-contact"),
    path("contact/feedback/", complaints.public_feedback, name="gs-contact-feedback"),
    path("cert/", directory.certificate, name="gs-cert"),
    path("cert/v/", directory.certificate_verify, name="gs-cert-verify"),
    path("cert/v/sw.js", directory.certificate_verify_sw, name="gs-cert-verify-sw"),
    path("cert/<str:number>/", directory.certificate, name="gs-cert-number"),
    # 开放数据 and the Atom feed
    path("data/", open_data.index, name="gs-data"),
    path("data/dictionary.json", open_data.dictionary_json, name="gs-data-dictionary"),
    re_path(r"^data/(?P<slug>[a-z-]+)\.(?P<fmt>csv|json)$", open_data.download, name="gs-data-download"),
    path("feed.atom", PublicationFeed(), name="gs-feed"),
    # 年度行政执法统计年报
    path("reports/", annual_reports.public_list, name="gs-reports"),
    path("reports/<int:pk>/", annual_reports.public_detail, name="gs-report"),
    path("reports/<int:pk>/report.<str:fmt>", annual_reports.public_download, name="gs-report-download"),
]

portal_pages.register("disclosure", PortalPages(prefix="", nav=(
    PortalLink("执法部门", "gs-entities", "entities", order=10),
    PortalLink("执法人员", "gs-officers", "officers", order=20),
    PortalLink("权责清单", "gs-powers", "powers", order=30),
    PortalLink("执法结果", "gs-results", "results", order=40),
    PortalLink("办理动态", "gs-progress", "progress", order=50),
    PortalLink("咨询投诉", "gs-contact", "contact", order=60),
    PortalLink("亮证查询", "gs-cert", "cert", order=70),
    PortalLink("统计年报", "gs-reports", "reports", order=90),
    PortalLink("开放数据", "gs-data", "data", order=100),
)), order=20, module=__name__)

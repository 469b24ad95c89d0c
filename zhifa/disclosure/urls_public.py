from django.urls import path

from zhifa.disclosure import views_public, views_reports

urlpatterns = [
    path("", views_public.home, name="gs-home"),
    path("entities/", views_public.entities, name="gs-entities"),
    path("officers/", views_public.officers, name="gs-officers"),
    path("powers/", views_public.powers, name="gs-powers"),
    path("results/", views_public.results, name="gs-results"),
    path("results/<int:pk>/", views_public.decision, name="gs-decision"),
    path("results/<int:pk>/proof.json", views_public.decision_proof, name="gs-decision-proof"),
    path("progress/", views_public.progress, name="gs-progress"),
    path("contact/", views_public.contact, name="gs-contact"),
    path("cert/", views_public.certificate, name="gs-cert"),
    path("cert/<str:number>/", views_public.certificate, name="gs-cert-number"),
]

# 开放数据 and the Atom feed (zhifa.disclosure.opendata, feeds)
from django.urls import re_path  # noqa: E402

from zhifa.disclosure import views_opendata as od  # noqa: E402
from zhifa.disclosure.feeds import PublicationFeed  # noqa: E402

urlpatterns += [
    path("data/", od.index, name="gs-data"),
    path("data/dictionary.json", od.dictionary_json, name="gs-data-dictionary"),
    re_path(r"^data/(?P<slug>[a-z-]+)\.(?P<fmt>csv|json)$", od.download, name="gs-data-download"),
    path("feed.atom", PublicationFeed(), name="gs-feed"),
]

# 咨询投诉: the complainant's satisfaction feedback (zhifa.disclosure.views_complaints); a social
# supervisor's personal feedback link (zhifa.supervision.views.social)
from zhifa.disclosure import views_complaints as vc  # noqa: E402
from zhifa.supervision.views import social as social_views  # noqa: E402

urlpatterns += [
    path("contact/feedback/", vc.public_feedback, name="gs-contact-feedback"),
    path("jiandu/<str:token>/", social_views.public_feedback, name="gs-social-feedback"),
    # 年度行政执法统计年报 (zhifa.disclosure.views_reports)
    path("reports/", views_reports.public_list, name="gs-reports"),
    path("reports/<int:pk>/", views_reports.public_detail, name="gs-report"),
    path("reports/<int:pk>/report.<str:fmt>", views_reports.public_download, name="gs-report-download"),
]

# 信用修复, the party's online request and its status (zhifa.disclosure.views_repair_public)
from zhifa.disclosure import views_repair_public as vrp  # noqa: E402

urlpatterns += [path("results/<int:pk>/repair/", vrp.repair, name="gs-decision-repair")]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhifa import health
from zhifa.accounts import views as account_views
from zhifa.common import views as common_views
from zhifa.ops import metrics as ops_metrics
from zhifa.ops import views as ops_views
from zhifa.site import audit as site_audit
from zhifa.site import selfcheck as site_selfcheck
from zhifa.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("notices/", site_views.notices, name="notices"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", ops_metrics.metrics_view, name="metrics"),  # Prometheus; token or allowed addresses
    path("account/", include("zhifa.accounts.urls")),
    path("audit/", site_audit.audit_log, name="audit-log"),  # 安全审计员 (三员分立)
    path("security/", site_selfcheck.selfcheck_page, name="security-selfcheck"),  # 等保自查
    path("changelog/<int:ct>/<str:pk>/", common_views.changelog, name="changelog"),
    path("cases/", include("zhifa.cases.urls")),
    path("orgs/", include("zhifa.orgs.urls")),
    path("powers/", include("zhifa.powers.urls")),
    path("calendar/", include("zhifa.legalcal.urls")),
    path("documents/", include("zhifa.documents.urls")),
    path("records/", include("zhifa.records.urls")),
    path("review/", include("zhifa.review.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("transfers/", include("zhifa.transfers.urls")),
    path("permits/", include("zhifa.permits.urls")),
    path("dispatch/", include("zhifa.dispatch.urls")),
    path("guidance/", include("zhifa.guidance.urls")),
    path("discretion/", include("zhifa.discretion.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("disclosure/", include("zhifa.disclosure.urls")),
    path("notify/", include("zhifa.notify.urls")),
    path("exchange/", include("zhifa.exchange.urls")),
    path("gs/", include("zhifa.portal.urls")),  # the public site: every app's urls_public.py
    path("api/openapi.json", ops_views.openapi_json),  # built once per process, before ninja's own view
    path("api/", include("zhifa.api_urls")),
    path("admin/", admin.site.urls),
]

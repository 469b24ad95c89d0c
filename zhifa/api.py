"""REST API (django-ninja); OpenAPI schema at /api/openapi.json, docs at /api/docs.

Every endpoint accepts a Django session (with CSRF on unsafe methods) or a personal Bearer
token from POST /api/v1/auth/token. Each app's routers live in the app, `zhifa/<app>/api.py` (or
`api/` when it is more than one module); the shared plumbing (acting user, scoped look-ups, errors)
in `zhifa/common/api/`, authentication in `zhifa/accounts/api.py`. ROUTERS below is the one list of what is mounted where.
"""
from ninja import Router

from zhifa.accounts import api as auth
from zhifa.blobs import api as blobs_api
from zhifa.cases.api import routes as cases_api
from zhifa.common.api import changelog
from zhifa.common.api.errors import ZhifaAPI, install
from zhifa.disclosure.api import annual_reports as disclosure_annual_reports_api
from zhifa.disclosure.api import complaints as disclosure_complaints_api
from zhifa.disclosure.api import credit_repair as disclosure_credit_repair_api
from zhifa.disclosure.api import public as disclosure_public_api
from zhifa.disclosure.api import publications as disclosure_publications_api
from zhifa.discretion import api as discretion_app_api
from zhifa.dispatch import api as dispatch_api
from zhifa.documents import api as documents_api
from zhifa.exchange import api as exchange_api
from zhifa.guidance import api as guidance_api
from zhifa.inspections import api as inspections_api
from zhifa.ledger import api as ledger_api
from zhifa.notify import api as notify_api
from zhifa.orgs.api import entities as entities_api
from zhifa.orgs.api import people as people_api
from zhifa.permits import api as permits_api
from zhifa.powers.api import discretion as discretion_api
from zhifa.powers.api import items as powers_api
from zhifa.records import api as records_api
from zhifa.review import api as review_api
from zhifa.supervision import api as supervision_api
from zhifa.transfers import api as transfers_api
from zhifa.witness import api as witness_api

api = ZhifaAPI(
    title="行政执法三项制度与协调监督平台 API",
    version="1",
    description=(
        "认证：浏览器会话（修改类请求须带 X-CSRFToken 请求头）或个人 API 令牌"
        "（POST /api/v1/auth/token 换取，请求头 Authorization: Bearer <令牌>；默认30天有效，可只读或读写；"
        "须双因素认证的账号同时提供动态口令 otp；修改密码、被撤销或退出创建它的网页会话后失效；"
        "GET /api/v1/auth/tokens 查看，POST /api/v1/auth/tokens/{编号}/revoke 撤销）。\n\n"
        "数据范围：只能看到本人数据范围内的记录；范围外的记录按不存在处理（404），"
        "可见但无权修改的记录返回 403。业务规则拒绝返回 409，数据校验失败返回 422，"
        "错误体为 {\"rule\", \"message\", \"field\"}，message 为中文说明。"
    ),
    auth=auth.AUTH,
    urls_namespace="api",
)
install(api)

# (prefix under /api, router), mounted in this order: the order is that of the OpenAPI schema, and a
# prefix inside another one comes first (its paths would otherwise match the other's "/{pk}").
ROUTERS: list[tuple[str, Router]] = [
    ("/v1/auth", auth.router),
    ("/v1/regions", entities_api.regions),
    ("/v1/entities", entities_api.entities),
    ("/v1/units", entities_api.units),
    ("/v1/advisers", entities_api.advisers),
    ("/v1/officers", people_api.officers),
    ("/v1/certificates", people_api.certificates),
    ("/v1/trainings", people_api.trainings),
    ("/v1/power-items", powers_api.power_items),
    ("/v1/inspection-items", powers_api.inspection_items),
    ("/v1/service-guides", powers_api.service_guides),
    ("/v1/flowcharts", powers_api.flowcharts),
    ("/v1/discretion-benchmarks/check", discretion_api.checker),  # before the list: "/{pk}"
    ("/v1/discretion-benchmarks", discretion_api.benchmarks),
    ("/v1/changelog", changelog.router),
    ("/v1/cases", cases_api.cases),
    ("/v1/documents", documents_api.router),
    ("/v1/ledger", ledger_api.router),
    ("/v1/witness", witness_api.router),
    ("/v1/uploads", blobs_api.router),
    ("/v1/records", records_api.router),
    ("/v1/recorder-uploads", records_api.recorder_uploads),
    ("/v1/review", review_api.router),
    ("/v1/public/reports", disclosure_annual_reports_api.router),  # before /v1/public
    ("/v1/public/guidance", guidance_api.public),  # before /v1/public
    ("/v1/public/inspections", inspections_api.public),  # before /v1/public
    ("/v1/public", disclosure_public_api.router),
    ("/v1/disclosure", disclosure_publications_api.router),
    ("/v1/supervision", supervision_api.supervision.router),
    ("/v1/complaints", disclosure_complaints_api.router),
    ("/v1/social", supervision_api.social.router),
    ("/v1/credit-repairs", disclosure_credit_repair_api.router),
    ("/v1/casefile", supervision_api.casefile.router),
    ("/v1/appraisal", supervision_api.casefile.appraisal),
    ("/v1/filings", supervision_api.filing.router),
    ("/v1/coordinations", supervision_api.coordination.router),
    ("/v1/transfers", transfers_api.router),
    ("/v1/guidance", guidance_api.router),
    ("/v1/discretion", discretion_app_api.router),
    ("/v1/inspections", inspections_api.router),
    ("/v1/notify", notify_api.router),
    ("/v1/exchange", exchange_api.router),
    ("/v1/permits", permits_api.router),
    ("/v1/dispatch", dispatch_api.router),
]

for prefix, router in ROUTERS:
    api.add_router(prefix, router)

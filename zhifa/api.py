"""REST API (django-ninja); OpenAPI schema at /api/openapi.json, docs at /api/docs.

Every endpoint accepts a Django session (with CSRF on unsafe methods) or a personal Bearer
token from POST /api/v1/auth/token. Routers: zhifa/apiv1/ and each app's api/ package
(zhifa/disclosure/api/).
"""
from zhifa.apiv1 import (
    auth,
    cases,
    changelog,
    discretion,
    ledger,
    orgs,
    people,
    powers,
    records,
    uploads,
)
from zhifa.apiv1 import review as review_api
from zhifa.apiv1.errors import ZhifaAPI, install
from zhifa.disclosure.api import annual_reports as disclosure_annual_reports_api
from zhifa.disclosure.api import complaints as disclosure_complaints_api
from zhifa.disclosure.api import credit_repair as disclosure_credit_repair_api
from zhifa.disclosure.api import public as disclosure_public_api
from zhifa.disclosure.api import publications as disclosure_publications_api
from zhifa.supervision import api as supervision_api

api = ZhifaAPI(
    title="行政执法三项制度与协调监督平台 API",
    version="1",
    description=(
        "认证：浏览器会话（修改类请求须带 X-CSRFToken 请求头）或个人 API 令牌"
        "（POST /api/v1/auth/token 换取，请求头 Authorization: Bearer <令牌>，30天有效，修改密码后失效）。\n\n"
        "数据范围：只能看到本人数据范围内的记录；范围外的记录按不存在处理（404），"
        "可见但无权修改的记录返回 403。业务规则拒绝返回 409，数据校验失败返回 422，"
        "错误体为 {\"rule\", \"message\", \"field\"}，message 为中文说明。"
    ),
    auth=auth.AUTH,
    urls_namespace="api",
)
install(api)

api.add_router("/v1/auth", auth.router)
api.add_router("/v1/regions", orgs.regions)
api.add_router("/v1/entities", orgs.entities)
api.add_router("/v1/units", orgs.units)
api.add_router("/v1/advisers", orgs.advisers)
api.add_router("/v1/officers", people.officers)
api.add_router("/v1/certificates", people.certificates)
api.add_router("/v1/trainings", people.trainings)
api.add_router("/v1/power-items", powers.power_items)
api.add_router("/v1/inspection-items", powers.inspection_items)
api.add_router("/v1/service-guides", powers.service_guides)
api.add_router("/v1/flowcharts", powers.flowcharts)
api.add_router("/v1/discretion-benchmarks/check", discretion.checker)  # before the list: "/{pk}"
api.add_router("/v1/discretion-benchmarks", discretion.benchmarks)
api.add_router("/v1/changelog", changelog.router)
api.add_router("/v1/cases", cases.cases)
api.add_router("/v1/ledger", ledger.router)
api.add_router("/v1/uploads", uploads.router)
api.add_router("/v1/records", records.router)
api.add_router("/v1/review", review_api.router)
api.add_router("/v1/public/reports", disclosure_annual_reports_api.router)  # before /v1/public
from zhifa.apiv1 import guidance as guidance_api  # noqa: E402  (案例指导, issue 7 item 7)
from zhifa.apiv1 import transfers as transfers_api  # noqa: E402  (移送, issue 7 item 6)

api.add_router("/v1/public/guidance", guidance_api.public)  # before /v1/public
api.add_router("/v1/public", disclosure_public_api.router)
api.add_router("/v1/disclosure", disclosure_publications_api.router)
api.add_router("/v1/supervision", supervision_api.supervision.router)
api.add_router("/v1/complaints", disclosure_complaints_api.router)
api.add_router("/v1/social", supervision_api.social.router)

api.add_router("/v1/credit-repairs", disclosure_credit_repair_api.router)
api.add_router("/v1/casefile", supervision_api.casefile.router)
api.add_router("/v1/appraisal", supervision_api.casefile.appraisal)
api.add_router("/v1/transfers", transfers_api.router)
api.add_router("/v1/guidance", guidance_api.router)

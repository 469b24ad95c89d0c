"""The disclosure app's pages, one module per sub-domain; each module holds a sub-domain's staff pages
(/disclosure/…, login, scoped) and its public pages (/gs/…, no login, published data only).

- publications: the staff queue and redaction editor; the public search, a decision, its proof
- directory: 执法主体, 执法人员, 权责清单 and 亮证 (public); a certificate's QR code (staff)
- progress: 办理动态 (public)
- complaints: 咨询投诉 handling (staff); submitting, following and rating one (public)
- credit_repair: 信用修复 requests and decisions (staff); the party's online request (public)
- annual_reports: 年度统计年报 (staff and public)
- open_data: 开放数据 (public)

URLs: staff pages in zhifa/disclosure/urls.py, public pages in zhifa/disclosure/urls_public.py
(assembled under /gs/ by the portal, zhifa/portal). A public page's template extends
"portal/base.html" and passes `module`, the navigation entry it belongs to.
"""

"""The disclosure app's REST API (django-ninja), one router module per sub-domain, mounted by zhifa/api.py:

| module          | mounted at                  | who                                   |
|-----------------|-----------------------------|---------------------------------------|
| publications    | /api/v1/disclosure          | staff: the publication pipeline       |
| complaints      | /api/v1/complaints          | staff: 咨询投诉 handling               |
| credit_repair   | /api/v1/credit-repairs      | staff: 信用修复                        |
| public          | /api/v1/public              | anyone: the portal's published data   |
| annual_reports  | /api/v1/public/reports      | anyone: the published annual reports  |
"""

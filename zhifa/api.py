"""REST API (django-ninja); OpenAPI schema at /api/openapi.json, docs at /api/docs."""
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="zhifa API", version="1", auth=django_auth)

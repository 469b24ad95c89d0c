"""REST API v1 (django-ninja): routers per area, mounted by zhifa.api at /api/v1/.

Reads start from `Model.objects.restrict(user, "view")`; writes call the action functions.
"""

"""REST API v1 routers not yet moved into their apps (supervision's and disclosure's); zhifa.api
mounts them at /api/v1/ beside every app's own `api` module.

Reads start from `Model.objects.restrict(user, "view")`; writes call the action functions.
"""

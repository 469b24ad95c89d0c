"""REST API v1 routers not yet moved into their app (supervision's); zhifa.api mounts them at
/api/v1/ beside every app's own `api` module.

Reads start from `Model.objects.restrict(user, "view")`; writes call the action functions.
"""

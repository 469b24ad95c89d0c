"""API: uploads (issue 4)."""
from ninja import Router

router = Router(tags=["uploads"])

"""API: records (issue 4)."""
from ninja import Router

router = Router(tags=["records"])

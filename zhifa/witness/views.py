"""Public pages (/gs/ledger/, no login): the signed tree heads with their history and the
co-signatures of witnesses, and how to check them (zhifa witness, zhifa verify-proof)."""
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from zhifa.ledger import signing
from zhifa.witness import heads
from zhifa.witness.models import WitnessKey


def head_list(request: HttpRequest) -> HttpResponse:
    p = heads.page(request.GET.get("page"))
    return render(request, "witness/heads.html", {
        "module": "ledger", "page": p, "rows": [(h, heads.signed_at(h)) for h in p.object_list],
        "witnesses": WitnessKey.objects.filter(active=True), "log_key": _log_key()})


def head_detail(request: HttpRequest, pk: int) -> HttpResponse:
    head = heads.get(pk)
    if head is None:
        raise Http404("该树头不存在")
    return render(request, "witness/head.html", {"module": "ledger", "head": head, "signed_at": heads.signed_at(head),
                                                 "log_key": _log_key()})


def head_list_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(heads.page_dict(heads.page(request.GET.get("page"))),
                        json_dumps_params={"ensure_ascii": False})


def _log_key() -> dict[str, str] | None:
    try:
        return {"key_id": signing.key_id(), "public_key": signing.public_key_hex()}
    except (RuntimeError, OSError, ValueError):  # a missing key file must not take the page down
        return None

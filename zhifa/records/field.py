"""现场执法 on a phone without a network (issue 20): the officer's field pages, the service worker
and the web app manifest. Pages under /records/field/ are what the service worker
(`records/field/sw.js`, scope /records/field/) keeps for offline use; captures made there go into the
device's IndexedDB queue (static `records/field.js`) and are synced through /api/v1/uploads and
/api/v1/records with their client UUID, device SHA-256 and device time (`actions.do_add_record`).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from zhifa.cases.models import Case
from zhifa.cases.rules import user_officer
from zhifa.orgs.models import Officer
from zhifa.records.views import _case, may_record

# A case in one of these states takes no more evidence on site.
CLOSED_STATES = ("archived", "closed", "transferred", "revoked", "converted")


def open_cases(user, limit: int = 50):
    """The officer's own open cases and inspection tasks (a head: the entity's), newest first."""
    qs = Case.objects.restrict(user, "view").exclude(state__in=CLOSED_STATES).select_related("entity")
    officer = user_officer(user)
    if officer is not None:
        qs = qs.filter(officers__officer=officer, officers__active=True)
    elif getattr(user, "entity_id", None):
        qs = qs.filter(entity_id=user.entity_id)
    else:
        qs = qs.none()
    return list(qs.distinct().order_by("-id")[:limit])


@login_required
@never_cache
def home(request):
    cases = [c for c in open_cases(request.user) if may_record(request.user, c)]
    return render(request, "records/field/home.html", {"cases": cases})


@login_required
@never_cache
def case_page(request, case_id):
    case = _case(request, case_id)
    return render(request, "records/field/case.html", {
        "case": case, "may_record": may_record(request.user, case),
        "parties": list(case.parties.all()),
        "items": list(case.power_items.all()) if hasattr(case, "power_items") else [],
        "officers": Officer.objects.filter(entity_id=case.entity_id, status="active").order_by("name"),
        "handlers": list(case.officers.filter(active=True).select_related("officer")),
        "documents": on_site_documents(request.user, case, with_text=True),
        "arrivals": list(case.arrivals.select_related("officer").order_by("-id")[:10]),
    })


def on_site_documents(user, case, *, with_text: bool = False) -> list:
    """The latest version of each on-site document of the case (现场检查笔录, 询问笔录, 决定书, 查封扣押),
    to be shown to the party, signed and printed on the spot. `with_text`: each carries its text
    (`shown_text`, what the page shows, the device prints offline and hashes) and its signature, so the
    cached page can take the party's signature and print without a network."""
    from zhifa.documents import field as doc_field
    from zhifa.documents.actions import may_generate
    from zhifa.documents.models import ON_SITE_TYPES, GeneratedDocument

    latest: dict[str, GeneratedDocument] = {}
    for d in (GeneratedDocument.objects.restrict(user, "view").filter(case=case, doc_type__in=ON_SITE_TYPES)
              .order_by("doc_type", "-version")):
        latest.setdefault(d.doc_type, d)
    docs = list(latest.values())
    if with_text:
        signable = may_generate(user, case)
        for d in docs:  # what the template reads beside the row
            signature = doc_field.signature_of(d)
            vars(d).update(shown_text=doc_field.shown_text(d), signature=signature,
                           signable=signable and signature is None)
    return docs


FIELD_STATIC = ("zhifa.css", "zhifa.js", "vendor/htmx.min.js", "vendor/idb/idb.umd.js", "records/field-sync.js",
                "documents/signature.js", "records/field.js", "records/field-icon-192.png")


def service_worker_response(*, scope: str, name: str, static_files, sync_queue: bool = False) -> HttpResponse:
    """A service worker for the pages under `scope`, served from that path (a script under /static/
    could only control /static/). A template, so the vendored Workbox files are named by their
    static URLs (hashed in production)."""
    body = render_to_string("records/field/sw.js", {"scope": scope, "name": name, "static_files": static_files,
                                                    "sync_queue": sync_queue})
    resp = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    resp["Cache-Control"] = "no-cache"
    resp["Service-Worker-Allowed"] = scope
    return resp


def service_worker(request):
    return service_worker_response(scope="/records/field/", name="field", static_files=FIELD_STATIC, sync_queue=True)


def manifest(request):
    body = render_to_string("records/field/manifest.webmanifest", {}, request=None)
    resp = HttpResponse(body, content_type="application/manifest+json; charset=utf-8")
    resp["Cache-Control"] = "no-cache"
    return resp

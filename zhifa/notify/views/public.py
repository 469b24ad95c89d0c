"""The party's side of 电子送达 (/gs/sd/<token>/): the page names the document; 确认收到 records the
arrival (a POST, so a mail scanner's prefetch of the link is not an arrival); then the PDF opens."""
from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhifa.common.actions import ActionRefused
from zhifa.notify.actions.eservice import do_record_arrival, service_for_token


@require_http_methods(["GET", "POST"])
def service_page(request, token):
    service = service_for_token(token)
    if service is None:
        return render(request, "notify/public_service.html", {"module": "", "missing": True}, status=404)
    if request.method == "POST":
        try:
            service = do_record_arrival(token, acting_user=None)
        except ActionRefused as e:
            return render(request, "notify/public_service.html", {"module": "", "service": service, "error": e},
                          status=409)
        return redirect("gs-eservice", token)
    return render(request, "notify/public_service.html", {"module": "", "service": service, "token": token})


def service_pdf(request, token):
    from zhifa.documents.models import storage

    service = service_for_token(token)
    if service is None or not service.arrived_at:
        raise Http404
    doc = service.document
    return FileResponse(storage().open(doc.pdf_path, "rb"), as_attachment=False, filename=doc.download_name("pdf"),
                        content_type="application/pdf")

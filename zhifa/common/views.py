from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, JsonResponse
from django.shortcuts import render

from zhifa.common.crud import changelog_for
from zhifa.common.roles import may_read_audit_logs


def healthz(request):
    return JsonResponse({"ok": True})


@login_required
def changelog(request, ct, pk):
    """Full change log of one record; only if the record itself is visible."""
    try:
        model = ContentType.objects.get_for_id(ct).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None or not hasattr(model.objects, "restrict"):
        raise Http404
    obj = model.objects.restrict(request.user, "view").filter(pk=pk).first()
    if obj is None or not may_read_audit_logs(request.user):  # 三员分立: not the system/security administrator
        raise Http404
    return render(request, "changelog.html", {"obj": obj, "log": changelog_for(obj, request.user)})

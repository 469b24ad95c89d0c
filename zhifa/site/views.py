"""The staff home page (what needs me today, then the dashboard assembled from every app) and the
in-app notices (top floor)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from zhifa.site.dashboard import dashboard
from zhifa.site.today import sections_for


@login_required
def home(request):
    return render(request, "home.html", {**dashboard(request.user), "sections": sections_for(request.user)})


@login_required
def notices(request):
    """站内提醒: reachable from the header whatever the role (they were under 法制审核 only)."""
    from zhifa.review.actions import do_mark_notices_read
    from zhifa.review.models import Notice

    if request.method == "POST":
        do_mark_notices_read(request.user)
        return redirect("notices")
    rows = Notice.objects.filter(user=request.user).select_related("case")[:100]
    return render(request, "notices.html", {"notices": rows})

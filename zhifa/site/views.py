"""The staff home page: the dashboard assembled from every app (top floor)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhifa.site.dashboard import dashboard


@login_required
def home(request):
    return render(request, "home.html", dashboard(request.user))

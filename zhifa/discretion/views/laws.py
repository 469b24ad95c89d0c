"""法规库: the laws, one law's articles (each with an anchor #a<number>), and search."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from zhifa.discretion import library
from zhifa.discretion.models import LawText


@login_required
def laws(request):
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]
    hits = list(library.search(q)) if q else []
    return render(request, "discretion/laws.html", {"laws": LawText.objects.all(), "q": q, "hits": hits})


@login_required
def law_detail(request, pk):
    law = get_object_or_404(LawText, pk=pk)
    others = LawText.objects.filter(name=law.name).exclude(pk=law.pk)
    return render(request, "discretion/law.html", {"law": law, "articles": law.articles.all(), "others": others})

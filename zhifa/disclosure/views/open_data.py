"""开放数据 (/gs/data/…, no login): the data dictionary page, its JSON, and each dataset as CSV or JSON."""
from __future__ import annotations

import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from zhifa.disclosure import opendata

TYPES = {"integer": "整数", "string": "字符串", "text": "长文本", "date": "日期（YYYY-MM-DD）", "decimal": "数值（元/百分比）",
         "uuid": "UUID", "url": "网址", "json": "列表（JSON）"}


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def index(request):
    data = opendata.dictionary(_base(request))
    for ds in data["datasets"]:
        for f in ds["fields"]:
            f["type_label"] = TYPES.get(f["type"], f["type"])
    return render(request, "disclosure/public/data.html", {"module": "data", "dictionary": data})


def dictionary_json(request):
    return HttpResponse(json.dumps(opendata.dictionary(_base(request)), ensure_ascii=False, indent=2),
                        content_type="application/json; charset=utf-8")


def download(request, slug, fmt):
    ds = opendata.DATASETS.get(slug)
    if ds is None:
        raise Http404("没有该数据集")
    if fmt == "csv":
        stream, ctype = opendata.csv_stream(ds, _base(request)), "text/csv; charset=utf-8"
    else:
        stream, ctype = opendata.json_stream(ds, _base(request)), "application/json; charset=utf-8"
    resp = StreamingHttpResponse(stream, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    resp["Cache-Control"] = "no-cache"
    return resp

"""Pages of the full-process record: a case's records panel (HTMX partial on the case page),
a record's page (every opening is an access-log row; sensitive items ask for a reason first),
content streaming, corrections, the case's access log, the one-household view and the A/V list.

Queries go through `restrict()`; writes go through actions.py."""
from __future__ import annotations

import datetime as dt
import mimetypes
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case, Party
from zhifa.common.actions import ActionRefused
from zhifa.common.fields import match
from zhifa.common.identifiers import check_credit_code, check_id_number
from zhifa.common.registry import target_panels
from zhifa.common.roles import Role
from zhifa.common.scope import get_or_deny
from zhifa.orgs.models import Entity, Officer
from zhifa.records import actions, rules
from zhifa.records.archive import EXPORTABLE_STATES
from zhifa.records.models import AccessLog, AvRequirement, AvStep, Destruction, RecordItem, RecordVersion

TOKEN_SALT = "zhifa.records.content"
TOKEN_AGE = 3600


def _case(request, case_id):
    return get_or_deny(Case.objects.restrict(request.user, "view").select_related("entity", "unit"), pk=case_id)


def _item(request, pk):
    return get_or_deny(RecordItem.objects.restrict(request.user, "view")
                       .select_related("case", "case__entity", "current", "current__blob", "party"), pk=pk)


def may_record(user, case) -> bool:
    try:
        rules.case_open(case)
        rules.actor_in_case(case, user)
    except ActionRefused:
        return False
    return True


def _parse_when(value: str, field: str):
    if not value:
        return None
    when = parse_datetime(value.replace(" ", "T")) if "T" in value or " " in value else None
    if when is None:
        raise ActionRefused("validation", "时间格式不正确（如 2026-03-04 09:30）", field)
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _metadata_from_post(post, case):
    collectors = [int(x) for x in post.getlist("collectors") if x.isdigit()]
    party = None
    if post.get("party"):
        party = Party.objects.filter(case=case, pk=post.get("party")).first()
    return dict(
        title=post.get("title", "").strip(), proves=post.get("proves", "").strip(),
        captured_at=_parse_when(post.get("captured_at", ""), "captured_at"), place=post.get("place", "").strip(),
        latitude=post.get("latitude") or None, longitude=post.get("longitude") or None,
        device=post.get("device", "").strip(), step=post.get("step", ""), party=party,
        sensitive=post.get("sensitive") == "on", collectors=collectors)


def _content_kwargs(request):
    """The content of a new record: a finished chunked upload, a posted file or text."""
    upload_id = request.POST.get("upload_id", "").strip()
    if upload_id:
        blob, name = actions.blob_from_upload(request.user, upload_id)
        return {"blob": blob, "filename": name}
    f = request.FILES.get("file")
    if f is not None:
        return {"fileobj": f, "filename": f.name}
    text = request.POST.get("text", "")
    if text.strip():
        return {"text": text}
    raise ActionRefused("records.content", "请上传文件或填写文字记录（二者选一）", "file")


def _panel(request, case, *, error=None, field=None, posted=None):
    items = list(RecordItem.objects.restrict(request.user, "view").filter(case=case)
                 .select_related("current", "current__blob", "created_by").order_by("id"))
    steps = dict(AvStep.choices)
    ctx = {
        "case": case, "items": items, "error": error, "error_field": field, "posted": posted or {},
        "may_record": may_record(request.user, case),
        "officers": Officer.objects.filter(entity_id=case.entity_id, status="active").order_by("name"),
        "parties": case.parties.all(), "steps": AvStep.choices,
        "missing_av": [steps.get(s, s) for s in rules.missing_av_steps(case)],
        "required_av": [steps.get(s, s) for s in AvRequirement.objects.filter(entity_id=case.entity_id)
                        .values_list("step", flat=True)],
        "may_see_access": _may_see_access(request.user),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "exportable": case.state in EXPORTABLE_STATES,
    }
    for it in items:
        it.step_label = steps.get(it.step, it.step)
    return render(request, "records/case_records.html", ctx)


@login_required
def case_records(request, case_id):
    """GET: the panel; POST: add a record (file, chunked upload or text) with its metadata."""
    case = _case(request, case_id)
    if request.method == "POST":
        try:
            meta = _metadata_from_post(request.POST, case)
            actions.do_add_record(case, acting_user=request.user, **meta, **_content_kwargs(request))
        except ActionRefused as e:
            return _panel(request, case, error=e.message, field=e.field, posted=request.POST)
        if not getattr(request, "htmx", False):
            return redirect(reverse("cases-detail", args=[case.pk]) + "#records")
    return _panel(request, case)


def _token(access: AccessLog) -> str:
    return signing.dumps({"a": access.pk, "i": access.item_id, "u": access.user_id}, salt=TOKEN_SALT)


@login_required
def item_detail(request, pk):
    """Opening a record is an access (调阅): logged; sensitive ones ask for a reason first."""
    item = _item(request, pk)
    reason = request.POST.get("reason", "") if request.method == "POST" else ""
    if item.destroyed_at:
        return _render_item(request, item, access=None)
    if item.sensitive and request.method != "POST":
        return render(request, "records/reason.html", {"item": item})
    try:
        access = actions.do_log_access(item, acting_user=request.user, action=AccessLog.Action.VIEW, reason=reason)
    except ActionRefused as e:
        return render(request, "records/reason.html", {"item": item, "error": e.message}, status=422)
    return _render_item(request, item, access=access)


def _render_item(request, item, *, access, error=None, field=None):
    versions = list(item.versions.select_related("blob", "created_by").order_by("-number"))
    for v, older in zip(versions, versions[1:] + [None]):
        v.changes = _changes(older, v) if older else []
    seqs = _ledger_seqs(RecordVersion, [v.pk for v in versions])
    for v in versions:
        v.ledger_seq = seqs.get(str(v.pk))
    ctx = {"item": item, "case": item.case, "versions": versions, "access": access,
           "token": _token(access) if access else "", "error": error, "error_field": field,
           "may_correct": may_record(request.user, item.case) and not item.destroyed_at,
           "officers": Officer.objects.filter(entity_id=item.entity_id, status="active").order_by("name"),
           "accesses": item.accesses.select_related("version")[:50] if _may_see_access(request.user) else None,
           "step_label": dict(AvStep.choices).get(item.step, item.step),
           "destructions": item.destructions.all(), "retention_until": rules.retention_until(item)}
    return render(request, "records/item.html", ctx, status=422 if error else 200)


def _ledger_seqs(model, pks) -> dict[str, int]:
    """Where each row sits in the ledger (its entry's sequence number), for the page to show."""
    from django.contrib.contenttypes.models import ContentType

    from zhifa.ledger.models import LedgerEntry

    ct = ContentType.objects.get_for_model(model)
    rows = LedgerEntry.objects.filter(subject_type=ct, subject_id__in=[str(pk) for pk in pks])
    return dict(rows.values_list("subject_id", "seq"))


def _may_see_access(user):
    """Heads and supervisors; the access log is an audit log: never the system or security
    administrator (三员分立), whose reads of it the scope layer refuses as well."""
    return actions.may_see_access_log(user)


FIELD_LABELS = {"title": "名称", "proves": "证明对象", "captured_at": "采集时间", "place": "采集地点",
                "latitude": "纬度", "longitude": "经度", "device": "采集设备", "collectors": "采集人",
                "blob_id": "文件内容"}


def _changes(old: RecordVersion, new: RecordVersion):
    out = []
    for f, label in FIELD_LABELS.items():
        a, b = getattr(old, f), getattr(new, f)
        if a != b:
            if f == "collectors":
                a, b = old.collector_names, new.collector_names
            elif f == "blob_id":
                a, b = f"SHA-256 {a[:12]}…", f"SHA-256 {b[:12]}…"
            elif isinstance(a, dt.datetime) or isinstance(b, dt.datetime):
                a = timezone.localtime(a).strftime("%Y-%m-%d %H:%M") if a else ""
                b = timezone.localtime(b).strftime("%Y-%m-%d %H:%M") if b else ""
            out.append((label, a, b))
    return out


@login_required
def content(request, pk, number):
    """The bytes of one version. With the token of a logged view (inline players) or as a
    download, which is logged itself."""
    from zhifa.blobs.store import open_blob

    item = _item(request, pk)
    version = get_or_deny(item.versions.select_related("blob"), number=number)
    if item.destroyed_at or version.blob.destroyed_at:
        raise Http404("该记录已按规定销毁")
    download = request.GET.get("download") == "1"
    if download:
        try:
            actions.do_log_access(item, acting_user=request.user, action=AccessLog.Action.DOWNLOAD,
                                  reason=request.GET.get("reason", ""), version=version)
        except ActionRefused as e:
            return HttpResponse(e.message, status=422, content_type="text/plain; charset=utf-8")
    else:
        try:
            data = signing.loads(request.GET.get("t", ""), salt=TOKEN_SALT, max_age=TOKEN_AGE)
        except signing.BadSignature:
            raise PermissionDenied("请从记录页面打开（调阅须登记）") from None
        if data.get("i") != item.pk or data.get("u") != request.user.pk:
            raise PermissionDenied("请从记录页面打开（调阅须登记）")
    blob = version.blob
    resp = FileResponse(open_blob(blob), content_type=blob.mime or "application/octet-stream")
    resp["Content-Length"] = str(blob.size)
    name = version.filename or f"{version.title}{mimetypes.guess_extension(blob.mime or '') or ''}"
    disposition = "attachment" if download else "inline"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp


@login_required
@require_POST
def correct(request, pk):
    item = _item(request, pk)
    post = request.POST
    changes = {}
    try:
        for f in ("title", "proves", "place", "device"):
            if f in post:
                changes[f] = post.get(f, "").strip()
        if post.get("captured_at"):
            changes["captured_at"] = _parse_when(post["captured_at"], "captured_at")
        if "latitude" in post:
            changes["latitude"], changes["longitude"] = post.get("latitude") or None, post.get("longitude") or None
        collectors = [int(x) for x in post.getlist("collectors") if x.isdigit()] or None
        kwargs = {}
        if request.FILES.get("file") or post.get("upload_id") or post.get("text", "").strip():
            kwargs = _content_kwargs(request)
        actions.do_correct_record(item, acting_user=request.user, reason=post.get("reason", ""),
                                  collectors=collectors, **changes, **kwargs)
    except ActionRefused as e:
        return _render_item(request, item, access=None, error=e.message, field=e.field)
    return redirect("records-item", pk=item.pk)


@login_required
def case_access_log(request, case_id):
    """Who accessed this case's records (supervisors, heads)."""
    case = _case(request, case_id)
    if not _may_see_access(request.user):
        raise PermissionDenied("调阅记录仅供负责人和执法监督人员查看")
    rows = AccessLog.objects.restrict(request.user, "view").filter(case=case).select_related("item", "version")
    return render(request, "records/access_log.html", {"case": case, "rows": rows[:500], "total": rows.count()})


def _valid_key(key: str) -> bool:
    return len(key) == 18 and (check_credit_code(key) is None or check_id_number(key) is None)


@login_required
def target(request, key=None):
    """一户式: every record and case of one target (credit code or ID number), within scope."""
    key = (key or request.GET.get("key", "")).strip().upper()
    ctx = {"key": key, "items": None, "cases": None}
    if key:
        if not _valid_key(key):
            ctx["error"] = "请输入有效的统一社会信用代码或身份证号（18位，校验位正确）"
            return render(request, "records/target.html", ctx, status=422)
        # The ID number is encrypted at rest: found through its blind index (zhifa/common/fields.py).
        cases = (Case.objects.restrict(request.user, "view")
                 .filter(parties__credit_code=key) | Case.objects.restrict(request.user, "view")
                 .filter(match(Party, "id_number", key, "parties__"))).distinct().select_related("entity") \
            .order_by("-registered_on")
        items = (RecordItem.objects.restrict(request.user, "view").filter(match(RecordItem, "target_key", key))
                 .select_related("case", "entity", "current").order_by("-created_at"))
        # Other apps' panels beside the cases (行政许可: zhifa/permits), loaded with HTMX by the key.
        ctx["panels"] = [{"key": e.key, "title": e.value.title, "select": e.value.select,
                          "url": f"{reverse(e.value.url_name)}?{urlencode({'key': key})}"}
                         for e in target_panels.entries()]
        ctx.update(cases=cases[:200], items=items[:500], item_count=items.count(),
                   name=items.values_list("target_name", flat=True).first()
                   or Party.objects.filter(case__in=cases[:1]).filter(credit_code=key).values_list("name", flat=True)
                   .first() or "")
        ctx["sections"] = _target_sections(request.user, key)
    return render(request, "records/target.html", ctx)


def _target_sections(user, key: str) -> list:
    """Sections the apps built above add to the 一户式 page (common.registry.target_sections)."""
    from zhifa.common.registry import target_sections

    return [s for s in (fn(user, key) for fn in target_sections.values()) if s is not None]


@login_required
def av_list(request, entity_id):
    entity = get_or_deny(Entity.objects.restrict(request.user, "view"), pk=entity_id)
    error = None
    if request.method == "POST":
        try:
            actions.do_set_av_requirements(entity, request.POST.getlist("steps"), acting_user=request.user)
            return redirect("records-av", entity_id=entity.pk)
        except ActionRefused as e:
            error = e.message
    chosen = set(AvRequirement.objects.filter(entity=entity).values_list("step", flat=True))
    may_edit = request.user.is_superuser or request.user.role == Role.ADMIN or (
        request.user.role == Role.AGENCY_HEAD and request.user.entity_id == entity.pk)
    return render(request, "records/av_list.html", {"entity": entity, "steps": AvStep.choices, "chosen": chosen,
                                                    "may_edit": may_edit, "error": error})


@login_required
def destructions(request):
    rows = Destruction.objects.restrict(request.user, "view").select_related("item", "item__case", "requested_by")
    return render(request, "records/destructions.html", {"rows": rows[:300]})


@login_required
@require_POST
def request_destruction(request, pk):
    item = _item(request, pk)
    try:
        actions.do_request_destruction(item, acting_user=request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as e:
        return _render_item(request, item, access=None, error=e.message, field=e.field)
    return redirect("records-item", pk=item.pk)


@login_required
@require_POST
def decide_destruction(request, pk):
    d = get_or_deny(Destruction.objects.restrict(request.user, "view"), pk=pk)
    try:
        actions.do_decide_destruction(d, acting_user=request.user, approve=request.POST.get("approve") == "1",
                                      note=request.POST.get("note", ""))
    except ActionRefused as e:
        rows = Destruction.objects.restrict(request.user, "view").select_related("item", "item__case")
        return render(request, "records/destructions.html", {"rows": rows[:300], "error": e.message}, status=422)
    return redirect("records-destructions")


@login_required
def case_archive(request, case_id):
    """Download the case's archive package (ZIP with manifest, proofs and signed tree head)."""
    import os

    from django.contrib import messages

    from zhifa.records.archive import archive_name, export_to_tempfile

    case = _case(request, case_id)
    try:
        path, _manifest = export_to_tempfile(case, acting_user=request.user)
    except ActionRefused as e:
        messages.error(request, e.message)
        return redirect(reverse("cases-detail", args=[case.pk]) + "#records")
    fh = open(path, "rb")  # noqa: SIM115 - closed by FileResponse
    os.unlink(path)  # the open handle keeps the bytes until the response is sent
    return FileResponse(fh, as_attachment=True, filename=archive_name(case), content_type="application/zip")


@login_required
def recorder_import(request, case_id):
    """执法记录仪导入: a .zip of the recorder's files (with their .json sidecars) into the case's
    records, capture times kept, files already imported skipped (zhifa/records/recorder.py)."""
    from zhifa.orgs.models import Officer
    from zhifa.records.recorder import do_import_recorder

    case = _case(request, case_id)
    officers = Officer.objects.filter(entity_id=case.entity_id, status="active").order_by("name")
    result, error, chosen = None, None, set()
    if request.method == "POST":
        chosen = {int(x) for x in request.POST.getlist("collectors") if x.isdigit()}
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ActionRefused("records.recorder_source", "请选择执法记录仪文件的.zip压缩包", "file")
            result = do_import_recorder(case, upload, acting_user=request.user,
                                        collectors=list(officers.filter(pk__in=chosen)),
                                        step=request.POST.get("step", ""), device=request.POST.get("device", ""))
        except ActionRefused as e:
            error = e.message
    else:
        chosen = {o.pk for o in officers if o.user_id == request.user.pk}
    return render(request, "records/recorder_import.html", {
        "case": case, "officers": officers, "chosen": chosen, "result": result, "error": error,
        "may_record": may_record(request.user, case),
        "chunk_size": getattr(settings, "ZHIFA_RECORDER_CHUNK", 4 << 20)}, status=422 if error else 200)

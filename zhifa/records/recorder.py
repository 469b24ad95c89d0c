"""执法记录仪导入 (issue 20, item 6): a folder or a .zip of body-worn recorder files (video, audio,
photos) imported into a case's records with their capture times kept.

    result = do_import_recorder(case, "/media/DSJ/100MEDIA", acting_user=officer_user, collectors=[officer])

The capture time of each file comes, in this order, from its sidecar metadata (a file of the same name
ending .json, e.g. `20260302_093000_DSJ0001.json` beside `20260302_093000_DSJ0001.MP4`, with
"captured_at"/"start_time"/"time", "device"/"device_id"/"serial", "latitude"/"longitude", "place"),
from the recorder's file name (GA/T 947 recorders name files `…YYYYMMDD_HHMMSS…`, local time), else
from the file's modification time (recorded as such). Each file becomes one record through
do_add_record (its own transaction: a large batch interrupted half way resumes); a file whose bytes are
already a record of the case is skipped (idempotent on the content's SHA-256), so importing the same
card twice adds nothing. One ledger entry ("record.recorder_import") lists the batch.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.ledger import log as ledger

MEDIA_EXTS = {".mp4", ".mov", ".avi", ".mkv", ".ts", ".3gp", ".m4a", ".wav", ".mp3", ".aac", ".amr",
              ".jpg", ".jpeg", ".png"}
SIDECAR_EXTS = (".json",)
NAME_TIME = re.compile(r"(20\d{2})(\d{2})(\d{2})[_\-T ]?(\d{2})(\d{2})(\d{2})")
MAX_FILES = 2000


@dataclass
class SourceFile:
    name: str                         # the path inside the folder or zip (shown in messages, the title)
    open: Callable[[], IO[bytes]]     # opens the file's bytes
    modified: dt.datetime | None
    sidecar: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    added: list = field(default_factory=list)        # RecordItem
    skipped: list = field(default_factory=list)      # (name, why)
    errors: list = field(default_factory=list)       # (name, message)

    def summary(self) -> str:
        return f"导入{len(self.added)}个文件，跳过{len(self.skipped)}个（已导入），{len(self.errors)}个未能导入"


def _local(naive: dt.datetime) -> dt.datetime:
    return timezone.make_aware(naive, timezone.get_current_timezone())


def _from_groups(m: re.Match) -> dt.datetime:
    y, mo, d, h, mi, s = (int(x) for x in m.groups())
    return dt.datetime(y, mo, d, h, mi, s)


def _parse_time(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    text = str(value).strip().replace("/", "-")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        m = NAME_TIME.search(text)
        if not m:
            return None
        try:
            moment = _from_groups(m)
        except ValueError:
            return None
    return moment if moment.tzinfo else _local(moment)


def _sidecar(raw: bytes, name: str) -> dict:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise ActionRefused("records.recorder_sidecar", f"附带的元数据文件格式不正确（应为JSON）：{name}", "file") from None
    return data if isinstance(data, dict) else {}


def _pick(meta: dict, *keys):
    for k in keys:
        if meta.get(k) not in (None, ""):
            return meta[k]
    return None


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    def opened() -> IO[bytes]:
        return path.open("rb")
    return opened


def _files_of_folder(root: Path) -> Iterator[SourceFile]:
    paths = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    sidecars = {p.with_suffix("").as_posix().lower(): p for p in paths if p.suffix.lower() in SIDECAR_EXTS}
    for p in paths:
        if p.suffix.lower() not in MEDIA_EXTS:
            continue
        side = sidecars.get(p.with_suffix("").as_posix().lower())
        yield SourceFile(name=p.relative_to(root).as_posix(), open=_opener(p),
                         modified=dt.datetime.fromtimestamp(p.stat().st_mtime, tz=dt.UTC),
                         sidecar=_sidecar(side.read_bytes(), side.name) if side else {})


def _files_of_zip(zf: zipfile.ZipFile) -> Iterator[SourceFile]:
    infos = sorted((i for i in zf.infolist() if not i.is_dir() and not PurePosixPath(i.filename).name.startswith(".")
                    and "__MACOSX" not in i.filename), key=lambda i: i.filename)
    def stem(n):
        return str(PurePosixPath(n).with_suffix("")).lower()

    sidecars = {stem(i.filename): i for i in infos if PurePosixPath(i.filename).suffix.lower() in SIDECAR_EXTS}
    for i in infos:
        if PurePosixPath(i.filename).suffix.lower() not in MEDIA_EXTS:
            continue
        side = sidecars.get(stem(i.filename))
        try:
            modified = _local(dt.datetime(*i.date_time))
        except ValueError:
            modified = None
        yield SourceFile(name=i.filename, open=functools.partial(zf.open, i), modified=modified,
                         sidecar=_sidecar(zf.read(side), side.filename) if side else {})


def captured_of(f: SourceFile) -> tuple[dt.datetime | None, str]:
    """(capture time, where it came from)."""
    t = _parse_time(_pick(f.sidecar, "captured_at", "start_time", "startTime", "time", "StartTime"))
    if t is not None:
        return t, "元数据"
    m = NAME_TIME.search(PurePosixPath(f.name).name)
    if m:
        try:
            return _local(_from_groups(m)), "文件名"
        except ValueError:
            pass
    return f.modified, "文件修改时间"


def _spool(f: SourceFile):
    """The file copied to a temporary file while hashing: (temp file at 0, SHA-256)."""
    h = hashlib.sha256()
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller
    with f.open() as src:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            h.update(chunk)
            tmp.write(chunk)
    tmp.seek(0)
    return tmp, h.hexdigest()


def _case_digests(case) -> set[str]:
    from zhifa.records.models import RecordVersion

    return set(RecordVersion.objects.filter(item__case=case, item__destroyed_at__isnull=True)
               .values_list("blob_id", flat=True))


def do_import_recorder(case, source, *, acting_user, collectors, step: str = "", proves: str = "",
                       device: str = "") -> ImportResult:
    """Import a folder (a path) or a .zip (a path or a file object) of recorder files into `case`.
    Refuses for the whole batch: "records.recorder_source" (not a folder or a zip, nothing to import,
    too many files) and, before any file is stored, the rules of do_add_record that concern the case
    and the user (scope, records.case_open, records.actor_in_case, records.collectors). A single file's
    refusal (empty, unknown type, capture time in the future …) is listed in `errors`."""
    from zhifa.cases.models import Case
    from zhifa.common.actions import check_scope
    from zhifa.records import rules
    from zhifa.records.actions import do_add_record

    case = Case.objects.get(pk=case.pk)
    check_scope(acting_user, case, "view")
    rules.case_open(case)
    rules.actor_in_case(case, acting_user)
    rules.collectors_of_entity(case, collectors)
    zf = None
    try:
        if isinstance(source, (str, os.PathLike)) and Path(source).is_dir():
            files = list(_files_of_folder(Path(source)))
        else:
            try:
                zf = zipfile.ZipFile(source)
            except (zipfile.BadZipFile, OSError, TypeError):
                raise ActionRefused("records.recorder_source", "请选择执法记录仪文件所在的文件夹或.zip压缩包",
                                    "file") from None
            files = list(_files_of_zip(zf))
        if not files:
            raise ActionRefused("records.recorder_source", "文件夹或压缩包中没有录像、录音或照片文件", "file")
        if len(files) > MAX_FILES:
            raise ActionRefused("records.recorder_source", f"一次最多导入{MAX_FILES}个文件，请分批导入", "file")
        result = ImportResult()
        seen = _case_digests(case)
        for f in files:
            tmp, digest = _spool(f)
            try:
                if digest in seen:
                    result.skipped.append((f.name, "已导入"))
                    continue
                captured, came_from = captured_of(f)
                meta = f.sidecar
                lat, lon = _pick(meta, "latitude", "lat"), _pick(meta, "longitude", "lon", "lng")
                dev = str(_pick(meta, "device", "device_id", "serial", "DeviceID") or device or "执法记录仪")[:100]
                place = str(_pick(meta, "place", "location", "address") or "")[:200]
                item = do_add_record(case, acting_user=acting_user, title=f"执法记录仪：{PurePosixPath(f.name).name}"[:200],
                                     collectors=collectors, captured_at=captured, fileobj=tmp,
                                     filename=PurePosixPath(f.name).name, proves=proves, place=place,
                                     latitude=lat, longitude=lon, device=dev, step=step)
                setattr(item, "import_time_source", came_from)  # shown beside the file (not stored)  # noqa: B010
                seen.add(digest)
                result.added.append(item)
            except ActionRefused as e:
                result.errors.append((f.name, e.message))
            finally:
                tmp.close()
    finally:
        if zf is not None:
            zf.close()
    with transaction.atomic():
        ledger.append("record.recorder_import", actor=acting_user, case=case, data={
            "added": [i.pk for i in result.added][:500], "skipped": len(result.skipped),
            "errors": len(result.errors), "files": len(files)})
    return result

"""Content type from the bytes, never from the file name (a name is what the uploader claims).

`filetype` matches magic numbers in the first 8 KiB; what it does not know and decodes as UTF-8
without control characters is plain text. A whitelist maps the MIME type to the record kind;
everything else (executables, archives, unknown bytes) is refused.
"""
from __future__ import annotations

import codecs

import filetype

from zhifa.common.actions import ActionRefused

HEAD_BYTES = 8192  # what filetype looks at

TEXT = "text/plain"

KINDS = {
    # photo
    "image/jpeg": "photo", "image/png": "photo", "image/heic": "photo", "image/webp": "photo",
    "image/gif": "photo", "image/bmp": "photo", "image/tiff": "photo", "image/avif": "photo",
    # audio (recorders and phones: AMR, M4A, MP3, WAV, OGG)
    "audio/mpeg": "audio", "audio/mp4": "audio", "audio/x-wav": "audio", "audio/amr": "audio",
    "audio/ogg": "audio", "audio/aac": "audio", "audio/x-flac": "audio", "audio/x-aiff": "audio",
    # video (body cameras: MP4/MOV; browsers: WebM)
    "video/mp4": "video", "video/quicktime": "video", "video/webm": "video", "video/x-matroska": "video",
    "video/x-msvideo": "video", "video/3gpp": "video", "video/x-m4v": "video", "video/mpeg": "video",
    "video/x-ms-wmv": "video", "video/x-flv": "video",
    # documents
    "application/pdf": "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "document",
    "application/msword": "document", "application/vnd.ms-excel": "document",
    "application/vnd.ms-powerpoint": "document", "application/vnd.oasis.opendocument.text": "document",
    "application/vnd.oasis.opendocument.spreadsheet": "document",
    "application/vnd.oasis.opendocument.presentation": "document", "application/rtf": "document",
    # text records (notes, transcripts)
    TEXT: "text",
}

# Tab, LF, VT, FF, CR and ESC may appear in text; other C0 controls (NUL above all) mean binary.
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_TABLE = bytes.maketrans(b"", b"")


def refuse(mime: str | None) -> ActionRefused:
    what = mime or "未能识别的内容"
    return ActionRefused("blob.type_not_allowed", f"文件类型不允许：{what}（按文件内容识别，不看扩展名）",
                         field="file")


def looks_like_text(head: bytes, *, complete: bool) -> bool:
    """UTF-8 without binary control characters. `complete`: head is the whole file (else a
    multi-byte character cut at the end of the head is fine)."""
    if not head or len(head.translate(_CONTROL_TABLE, _CONTROL)) != len(head):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def looks_like_gbk(head: bytes, *, complete: bool) -> bool:
    """Chinese text in GBK/GB18030 (what Windows Notepad and many older systems save): not UTF-8, but
    decodes as GB18030 without binary control characters."""
    if not head or len(head.translate(_CONTROL_TABLE, _CONTROL)) != len(head) or head.isascii():
        return False
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def not_utf8() -> ActionRefused:
    return ActionRefused("blob.text_encoding", "文本文件不是 UTF-8 编码（看来是 GBK/GB18030 编码）：请用记事本打开，"
                         "“另存为”时选择 UTF-8 编码后重新上传；或转为 PDF/Word 文档上传", field="file")


def sniff(head: bytes, *, complete: bool) -> str | None:
    """MIME type of the content starting with `head`, or None when unknown."""
    kind = filetype.guess(head[:HEAD_BYTES])
    if kind is not None:
        return kind.mime
    return TEXT if looks_like_text(head[:HEAD_BYTES], complete=complete) else None


def detect(head: bytes, *, complete: bool, allowed_kinds=None) -> tuple[str, str]:
    """(mime, kind) of the content, or ActionRefused("blob.type_not_allowed")."""
    mime = sniff(head, complete=complete)
    if mime is None and looks_like_gbk(head[:HEAD_BYTES], complete=complete):
        # Stored evidence keeps its bytes (they are hashed and ledgered), so no silent conversion.
        raise not_utf8()
    kind = KINDS.get(mime or "")
    if kind is None or (allowed_kinds is not None and kind not in allowed_kinds):
        raise refuse(mime)
    return mime, kind


class Utf8Check:
    """Validates a whole text blob chunk by chunk (detection only saw the first 8 KiB)."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk, final=False):
        try:
            self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError as e:
            raise not_utf8() from e

"""Content type from the bytes only."""
import io

import openpyxl
import pytest

from tests.blobs import media
from zhifa.blobs.detect import detect, looks_like_text, sniff
from zhifa.common.actions import ActionRefused


def _xlsx():
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("make, mime, kind", [
    (media.png, "image/png", "photo"),
    (media.jpeg, "image/jpeg", "photo"),
    (media.wav, "audio/x-wav", "audio"),
    (media.pdf, "application/pdf", "document"),
    (media.docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document"),
    (_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document"),
    (media.text, "text/plain", "text"),
    (lambda: b"#!AMR\n" + bytes(40), "audio/amr", "audio"),
    (lambda: b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(40), "video/mp4", "video"),
    (lambda: b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + bytes(40), "video/quicktime", "video"),
])
def test_detected_from_bytes(make, mime, kind):
    data = make()
    assert detect(data, complete=True) == (mime, kind)


@pytest.mark.parametrize("make", [media.exe, media.zip_archive, media.unknown,
                                  lambda: b"\x7fELF\x02\x01\x01" + bytes(100)])
def test_refused(make):
    with pytest.raises(ActionRefused) as e:
        detect(make(), complete=True)
    assert e.value.rule == "blob.type_not_allowed" and e.value.field == "file"
    assert "文件类型不允许" in e.value.message


def test_allowed_kinds_narrow_the_whitelist():
    assert detect(media.png(), complete=True, allowed_kinds={"photo"})[1] == "photo"
    with pytest.raises(ActionRefused):
        detect(media.pdf(), complete=True, allowed_kinds={"photo", "video"})


def test_text_rules():
    cut = "现场照片说明".encode()[:-1]  # a multi-byte character cut by the end of the head
    assert looks_like_text(cut, complete=False)
    assert not looks_like_text(cut, complete=True)
    assert not looks_like_text(b"abc\x00def", complete=True)  # NUL: binary
    assert not looks_like_text("记录".encode("gbk"), complete=True)
    assert sniff(b"line one\r\n\tline two\n", complete=True) == "text/plain"

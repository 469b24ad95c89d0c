"""GBK text evidence is refused with a clear Chinese message (its bytes are evidence: no silent
conversion); file names over 255 bytes are shortened (extension kept) instead of failing the save."""
import hashlib
import io

import pytest

from zhifa.blobs.store import clean_filename, put_stream
from zhifa.blobs.uploads import start_upload
from zhifa.common.actions import ActionRefused

pytestmark = pytest.mark.django_db

GBK = "询问笔录：当事人张某于2026年3月2日在门店销售过期食品。\r\n".encode("gbk") * 50


def test_gbk_text_is_refused_with_a_clear_message(backend, raw):
    with pytest.raises(ActionRefused) as e:
        put_stream(io.BytesIO(GBK), filename="笔录.txt")
    assert e.value.rule == "blob.text_encoding" and "UTF-8" in e.value.message and "GBK" in e.value.message
    # Nothing stored for it (the S3 bucket is shared with other tests: look for this content only).
    assert not raw.exists(hashlib.sha256(GBK).hexdigest())
    assert put_stream(io.BytesIO(GBK.decode("gbk").encode("utf-8"))).kind == "text"


def test_gbk_after_the_first_8_kib_is_caught_too(backend, raw):
    with pytest.raises(ActionRefused) as e:
        put_stream(io.BytesIO(b"a" * 9000 + GBK), filename="笔录.txt")
    assert e.value.rule == "blob.text_encoding"


@pytest.mark.parametrize("name", ["现场检查照片" * 30 + ".jpg", "x" * 400 + ".pdf", "录音" * 200])
def test_long_names_fit_in_255_bytes_and_keep_the_extension(name):
    short = clean_filename(name)
    assert len(short) <= 200 and len(short.encode()) <= 255
    if "." in name:
        assert short.endswith("…." + name.rsplit(".", 1)[1])


def test_upload_session_keeps_a_short_name(world):
    s = start_upload(world["officer"], filename="C:\\手机\\" + "照片" * 100 + ".jpg", size=10)
    assert len(s.filename.encode()) <= 255 and s.filename.endswith(".jpg") and "\\" not in s.filename

import io

import pytest


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    """The shared legal calendar (tests/conftest.py)."""
    yield


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Blobs, keys and documents of each test in its own directory."""
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_BLOB_BACKEND = "local"
    settings.ZHIFA_LEDGER_KEY_FILE = ""
    return tmp_path


def jpeg(seed=1):
    from zhifa.records.demo import photo

    return io.BytesIO(photo("现场照片", seed))


def wav(seed=1):
    from zhifa.records.demo import recording

    return io.BytesIO(recording(0.5, seed))


def add(cw, case, *, user=None, data=None, text=None, **kw):
    from zhifa.records.actions import do_add_record

    kw.setdefault("title", "现场照片")
    kw.setdefault("collectors", [cw["h1"], cw["h2"]])
    if text is None and data is None:
        data = jpeg()
    return do_add_record(case, acting_user=user or cw["u1"], fileobj=data, text=text, **kw)

import pytest


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    """The shared legal calendar (tests/conftest.py)."""
    yield


@pytest.fixture(autouse=True)
def _documents_storage(settings, tmp_path):
    """Supervision documents (issuing an order writes its 督办通知书 …) go to a throw-away directory."""
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}

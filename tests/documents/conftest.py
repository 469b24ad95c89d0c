import pytest


@pytest.fixture(autouse=True)
def _documents_storage(settings, tmp_path):
    """Each test writes its templates and documents into its own directory."""
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}


@pytest.fixture
def _calendar(legal_calendar):
    """The shared legal calendar (tests/conftest.py)."""
    yield


@pytest.fixture
def cw(world, _calendar):
    from tests.factories import case_world

    return case_world(world)

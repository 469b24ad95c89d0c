import pytest


@pytest.fixture(autouse=True)
def _documents_storage(settings, tmp_path):
    """Each test writes its templates and documents into its own directory."""
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "documents", "base_url": None}}}


@pytest.fixture
def _calendar(db):
    """The legal calendar from chinesecalendar (2004–2026 known)."""
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    yield
    periods.clear_cache()


@pytest.fixture
def cw(world, _calendar):
    from tests.factories import case_world

    return case_world(world)

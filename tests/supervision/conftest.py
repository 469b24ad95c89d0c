import pytest


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    """The shared legal calendar (tests/conftest.py)."""
    yield

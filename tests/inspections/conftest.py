import pytest


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    yield

import os

import pytest

os.environ.setdefault("ZHIFA_FAST_PASSWORDS", "1")


@pytest.fixture
def world(db):
    from tests.factories import world as build

    return build()

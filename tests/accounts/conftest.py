import pytest
from django.test import Client

from tests import factories
from zhifa.common.roles import Role

PASSWORD = "Good-pass-2026"


@pytest.fixture
def people(db):
    """An entity with an officer, an agency head and a legal reviewer; the system administrator."""
    r = factories.region_tree()
    smj = factories.entity(r["county"], "七星关区市场监督管理局", short_code="七市监")
    unit = factories.unit(smj, "执法稽查大队")
    return {
        "smj": smj, "regions": r,
        "officer": factories.user(Role.OFFICER, smj, unit, "officer", password=PASSWORD),
        "head": factories.user(Role.AGENCY_HEAD, smj, None, "head", password=PASSWORD),
        "reviewer": factories.user(Role.LEGAL_REVIEWER, smj, unit, "reviewer", password=PASSWORD),
        "admin": factories.system_admin(),
    }


def form_login(client: Client, username: str, password: str = PASSWORD, *, ip: str = "10.1.1.1", path="/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session

import pytest


@pytest.fixture(autouse=True)
def _calendar(legal_calendar):
    """The shared legal calendar (tests/conftest.py)."""
    yield


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_BLOB_BACKEND = "local"
    settings.ZHIFA_LEDGER_KEY_FILE = ""
    return tmp_path


@pytest.fixture(autouse=True)
def _drop_rule(monkeypatch):
    """ZHIFA_CASES_DROP_RULE=name turns one rule into a no-op (see tests/cases/conftest.py)."""
    import os

    name = os.environ.get("ZHIFA_CASES_DROP_RULE")
    if name:
        from zhifa.cases.rules import RULES

        assert name in RULES, name
        monkeypatch.setitem(RULES, name, lambda ctx: None)


@pytest.fixture
def cw_with_second_reviewer(cw):
    from tests import factories

    cw["rev2_officer"] = factories.certified_officer(
        cw["smj"], cw["smj_unit2"], "第二审核员", login_role="legal_reviewer", legal_qualification=True,
        legal_qualification_no="A2018520002", is_legal_reviewer=True)
    cw["rev2"] = cw["rev2_officer"].user
    return cw

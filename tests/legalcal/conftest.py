import pytest

from zhifa.legalcal import periods


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test's transaction is rolled back; the in-process calendar cache must follow."""
    periods.clear_cache()
    yield
    periods.clear_cache()


@pytest.fixture
def admin_user(db):
    from tests.factories import system_admin

    return system_admin()


@pytest.fixture
def enter_2027(admin_user):
    """A hypothetical 2027 arrangement (test data, not the official notice)."""
    import datetime as dt

    from zhifa.legalcal.actions import do_enter_calendar_year

    def enter(**kw):
        d = dt.date
        return do_enter_calendar_year(
            2027,
            [(d(2027, 1, 1), "元旦"), ((d(2027, 2, 5), d(2027, 2, 12)), "春节"),
             ((d(2027, 10, 1), d(2027, 10, 7)), "国庆节")],
            [(d(2027, 2, 20), "春节调休"), (d(2027, 10, 9), "国庆节调休")],
            "国办发明电〔2026〕测试号", acting_user=kw.pop("acting_user", admin_user), **kw)

    return enter


@pytest.fixture
def world(db):
    """The calendar tests enter 2027 themselves: their world has only chinesecalendar's years."""
    from tests.factories import world as build

    return build()

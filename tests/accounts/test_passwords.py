"""Password policy (issue 16): each rule is tested by a password that breaks only that rule, so
dropping the rule's validator from settings.AUTH_PASSWORD_VALIDATORS fails its test."""
import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.accounts.conftest import PASSWORD, form_login, logged_in
from zhifa.accounts import actions
from zhifa.accounts.models import AccountState
from zhifa.common.actions import ActionRefused

pytestmark = pytest.mark.django_db


def change(user, new, old=PASSWORD):
    actions.do_change_password(user, old_password=old, new_password=new)


def refused(user, new, text, old=PASSWORD):
    with pytest.raises(ActionRefused) as e:
        change(user, new, old)
    assert text in e.value.message, e.value.message
    user.refresh_from_db()
    assert user.check_password(old)


def test_minimum_length_10(people):
    refused(people["officer"], "Ab1!xyzuv", "10")  # 9 characters, 4 classes
    change(people["officer"], "Ab1!xyzuvw")


def test_three_of_four_character_classes(people):
    refused(people["officer"], "abcdefgh12xy", "至少3类")  # lower + digits
    refused(people["officer"], "ABCDEFGHxyzw", "至少3类")  # upper + lower
    change(people["officer"], "abcdefgh12X")  # lower, digit, upper


def test_common_passwords_are_refused(people):
    refused(people["officer"], "Feder_1941", "常见")  # 4 classes, 10 characters, but on Django's list


def test_none_of_the_last_five(people):
    u = people["officer"]
    olds = [PASSWORD] + [f"Rotate-{i}-pw" for i in range(1, 6)]
    change(u, olds[1])
    refused(u, PASSWORD, "最近5次", old=olds[1])
    for prev, new in zip(olds[1:], olds[2:]):
        change(u, new, old=prev)
    refused(u, olds[2], "最近5次", old=olds[5])
    change(u, PASSWORD, old=olds[5])  # six changes ago: allowed again


def test_history_keeps_five(people):
    from zhifa.accounts.models import PasswordRecord

    u = people["officer"]
    prev = PASSWORD
    for i in range(8):
        change(u, f"Rotate-{i}-pw", old=prev)
        prev = f"Rotate-{i}-pw"
    assert PasswordRecord.objects.filter(user=u).count() == 5


def test_expiry_sends_to_the_change_page(people, settings):
    settings.ZHIFA_PASSWORD_MAX_AGE_DAYS = 90
    c = Client()
    c.force_login(people["officer"])
    assert c.get("/").status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=91)):
        c = Client()
        c.force_login(people["officer"])
        r = c.get("/cases/")
        assert r.status_code == 302 and r["Location"] == "/account/password/"
        assert "超过90天" in c.get("/account/password/").content.decode()
        settings.ZHIFA_PASSWORD_MAX_AGE_DAYS = 0
        c = Client()
        c.force_login(people["officer"])
        assert c.get("/cases/").status_code == 200


def test_account_created_by_an_administrator_changes_its_password_first(people):
    admin = Client()
    admin.force_login(people["admin"])
    r = admin.post("/admin/orgs/user/add/", {"username": "newbie", "password1": "Initial-pw-2026",
                                             "password2": "Initial-pw-2026", "usable_password": "true"})
    assert r.status_code == 302, r.content.decode()[:3000]
    c = Client()
    form_login(c, "newbie", "Initial-pw-2026")
    assert logged_in(c)
    assert c.get("/cases/")["Location"] == "/account/password/"
    r = c.post("/account/password/", {"old_password": "Initial-pw-2026", "new_password1": "Own-choice-2026",
                                      "new_password2": "Own-choice-2026"})
    assert r.status_code == 302
    assert c.get("/cases/").status_code != 302 or c.get("/cases/")["Location"] != "/account/password/"
    assert not AccountState.objects.get(user__username="newbie").must_change_password


def test_self_service_change_page(people):
    c = Client()
    form_login(c, "officer")
    r = c.get("/account/password/")
    assert r.status_code == 200 and "修改密码" in r.content.decode()
    r = c.post("/account/password/", {"old_password": "wrong", "new_password1": "New-pass-2026",
                                      "new_password2": "New-pass-2026"})
    assert r.status_code == 422 and "原密码不正确" in r.content.decode()
    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": "12345678",
                                      "new_password2": "12345678"})
    assert r.status_code == 422 and "至少3类" in r.content.decode()
    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": "New-pass-2026",
                                      "new_password2": "New-pass-2026"})
    assert r.status_code == 302 and logged_in(c)  # still logged in (session hash updated)
    assert c.get("/").status_code == 200
    people["officer"].refresh_from_db()
    assert people["officer"].check_password("New-pass-2026")


def test_the_demo_password_satisfies_the_policy():
    from django.contrib.auth.password_validation import validate_password

    from zhifa.site.demo import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)

"""三员分立 (issue 16 item 4): the system, security and audit administrators, each refused what belongs
to the others — one table of role × page/endpoint → allowed/refused — and no superuser in production."""
import datetime as dt
import json

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from tests.accounts.conftest import PASSWORD, form_login, logged_in
from zhifa.accounts.api import make_token
from zhifa.accounts.checks import audit_retention, no_superuser
from zhifa.common import scope
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.ledger import log as ledger
from zhifa.ledger.models import LedgerEntry
from zhifa.orgs import actions as org_actions
from zhifa.orgs.models import Entity, User
from zhifa.records.actions import do_log_case_export
from zhifa.records.models import AccessLog

pytestmark = pytest.mark.django_db
ROLES = ("sysadm", "secadm", "auditadm", "officer", "supervisor")


@pytest.fixture
def w(shared_cw):
    cw = shared_cw
    for name, role in (("sysadm", Role.ADMIN), ("secadm", Role.SECURITY_ADMIN), ("auditadm", Role.AUDIT_ADMIN)):
        cw[name] = User.objects.filter(username=name).first() or org_actions.do_create_admin(
            username=name, password=PASSWORD, role=role, must_change=False)
    cw["officer"], cw["supervisor"] = cw["u1"], cw["sup_county"]
    if "the_case" not in cw:
        from tests.factories import case

        cw["the_case"] = case(cw)
        do_log_case_export(cw["the_case"], acting_user=cw["head"], reason="抽查")
        with transaction.atomic():
            ledger.append("auth.login", actor=cw["officer"], data={"username": "officer", "ip": "10.0.0.1", "path": "/login/"})
    return cw


def table(w):
    """(what, url, method, {role: expected status}) — every role of ROLES named on every line."""
    smj = w["smj"]
    ct = ContentType.objects.get_for_model(Entity).pk
    case_id = w["the_case"].pk
    auth_seq = LedgerEntry.objects.filter(event_type="auth.login").latest("seq").seq
    case_seq = LedgerEntry.objects.filter(case_id=case_id).latest("seq").seq
    R = 403
    return [
        ("审计日志页", "/audit/", {"sysadm": R, "secadm": R, "auditadm": 200, "officer": R, "supervisor": R}),
        ("审计日志导出", "/audit/?kind=change&format=csv", {"sysadm": R, "secadm": R, "auditadm": 200, "officer": R, "supervisor": R}),
        ("等保自查", "/security/", {"sysadm": R, "secadm": 200, "auditadm": 200, "officer": R, "supervisor": R}),
        ("记录的变更记录", f"/changelog/{ct}/{smj.pk}/", {"sysadm": 404, "secadm": 404, "auditadm": 404, "officer": 200, "supervisor": 200}),
        ("变更记录 API", f"/api/v1/changelog/orgs.entity/{smj.pk}", {"sysadm": 404, "secadm": 404, "auditadm": 404, "officer": 200, "supervisor": 200}),
        ("案件调阅记录", f"/records/case/{case_id}/access/", {"sysadm": R, "secadm": 404, "auditadm": 404, "officer": R, "supervisor": 200}),
        ("调阅记录 API", f"/api/v1/records/access-log?case={case_id}", {"sysadm": R, "secadm": 404, "auditadm": 404, "officer": R, "supervisor": 200}),
        ("登录审计日志条目", f"/api/v1/ledger/entries/{auth_seq}", {"sysadm": 404, "secadm": 404, "auditadm": 200, "officer": 404, "supervisor": 200}),
        ("案件日志条目", f"/api/v1/ledger/entries/{case_seq}", {"sysadm": 404, "secadm": 404, "auditadm": 200, "officer": 200, "supervisor": 200}),
        ("后台：变更记录", "/admin/common/changelog/", {"sysadm": R, "secadm": R, "auditadm": 200, "officer": 302, "supervisor": 302}),
        ("后台：登录日志", "/admin/axes/accesslog/", {"sysadm": R, "secadm": R, "auditadm": 200, "officer": 302, "supervisor": 302}),
        ("后台：账号", "/admin/orgs/user/", {"sysadm": 200, "secadm": 200, "auditadm": R, "officer": 302, "supervisor": 302}),
        ("后台：新建账号", "/admin/orgs/user/add/", {"sysadm": 200, "secadm": R, "auditadm": R, "officer": 302, "supervisor": 302}),
        ("后台：法定日历（配置）", "/admin/legalcal/calendaryear/", {"sysadm": 200, "secadm": R, "auditadm": R, "officer": 302, "supervisor": 302}),
        ("后台：锁定", "/admin/axes/accessattempt/", {"sysadm": R, "secadm": 200, "auditadm": R, "officer": 302, "supervisor": 302}),
        ("后台：动态口令设备", "/admin/otp_totp/totpdevice/", {"sysadm": R, "secadm": 200, "auditadm": R, "officer": 302, "supervisor": 302}),
        ("后台：API令牌", "/admin/accounts/apitoken/", {"sysadm": R, "secadm": 200, "auditadm": R, "officer": 302, "supervisor": 302}),
    ]


def test_role_by_page_table(w):
    wrong = []
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(w[role])
    for what, url, expected in table(w):
        assert set(expected) == set(ROLES), what
        for role, status in expected.items():
            got = clients[role].get(url).status_code
            if got != status:
                wrong.append(f"{what} {url} as {role}: {got}, expected {status}")
    assert not wrong, "\n".join(wrong)


def test_scope_layer_refuses_audit_logs_to_system_and_security_administrators(w):
    for model in (ChangeLog, AccessLog, LedgerEntry):
        for action in ("view", "audit"):
            assert not model.objects.restrict(w["sysadm"], action).exists(), (model, action)
            assert not model.objects.restrict(w["secadm"], action).exists(), (model, action)
        assert model.objects.restrict(w["auditadm"], "audit").exists(), model
        for role in ROLES:  # append-only: nobody changes an audit row, superusers included
            assert scope.rule_for(model, w[role], "change") is None
        assert scope.rule_for(model, w["admin"], "change") is None
    # the audit administrator reads the logs, never the business data
    assert not Entity.objects.restrict(w["auditadm"], "view").exists()
    assert not Entity.objects.restrict(w["secadm"], "view").exists()
    assert Entity.objects.restrict(w["sysadm"], "view").exists()


def test_security_administrator_manages_every_token_the_system_administrator_only_its_own(w):
    make_token(w["officer"], name="脚本")
    for role, sees_others in (("secadm", True), ("sysadm", False)):
        c = Client()
        c.force_login(w[role])
        rows = c.get("/api/v1/auth/tokens?all=true").json()
        items = rows["items"] if isinstance(rows, dict) else rows
        assert any(t["name"] == "脚本" for t in items) is sees_others, role


def test_three_administrator_accounts_only_by_the_command(w):
    with pytest.raises(ActionRefused) as e:
        org_actions.do_create_user(username="x-audit", password=PASSWORD, role=Role.AUDIT_ADMIN, acting_user=w["sysadm"])
    assert e.value.rule == "orgs.admins_by_command"
    c = Client()
    c.force_login(w["sysadm"])
    r = c.post(f"/admin/orgs/user/{w['officer'].pk}/change/", {
        "username": w["officer"].username, "role": Role.AUDIT_ADMIN, "entity": w["smj"].pk, "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert r.status_code == 200 and "三员账号" in r.content.decode()
    assert User.objects.get(pk=w["officer"].pk).role == Role.OFFICER
    out = __import__("io").StringIO()
    call_command("create-admins", stdout=out)  # the three exist already: nothing new
    assert "已有账号" in out.getvalue() and User.objects.filter(role=Role.AUDIT_ADMIN).count() == 1


@override_settings(DEMO=False)
def test_no_superuser_in_production(w):
    root = w["admin"]  # the test suite's superuser (demo mode only)
    root.set_password(PASSWORD)
    root.save()
    assert [e.id for e in no_superuser()] == ["zhifa.E161"]
    c = Client()
    form_login(c, root.username)
    assert not logged_in(c)
    c.force_login(root)  # a session from before: no longer a user (RoleBackend), or ended by the guard
    assert c.get("/admin/").status_code in (302, 403)
    assert c.get("/api/v1/auth/me").status_code in (401, 403)
    token = make_token(root)
    r = Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 403
    assert not Entity.objects.restrict(root, "view").exists()
    with pytest.raises(ActionRefused) as e:
        org_actions.do_bootstrap_admin(username="root2", password=PASSWORD)
    assert e.value.rule == "orgs.no_superuser"
    assert org_actions.do_demote_superusers() and not no_superuser()
    c = Client()
    form_login(c, root.username)
    assert logged_in(c)  # now a system administrator


def test_createsuperuser_is_replaced(monkeypatch, capsys):
    from zhifa import cli

    monkeypatch.setattr("sys.argv", ["zhifa", "createsuperuser"])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 2 and "create-admins" in capsys.readouterr().err


def test_audit_log_page_filters_pages_and_exports(w):
    c = Client()
    c.force_login(w["auditadm"])
    r = c.get("/audit/?kind=login&who=officer")
    assert r.status_code == 200 and "auth.login" in r.content.decode() and "10.0.0.1" in r.content.decode()
    assert "auth.login" not in c.get("/audit/?kind=login&who=nobody-such").content.decode().split("audit-rows")[1]
    r = c.get("/audit/?kind=ledger&from=2026-13-01")
    assert r.status_code == 422 and "起始日期" in r.content.decode()
    r = c.get("/audit/?kind=ledger&from=2026-12-01&to=2026-01-01")
    assert r.status_code == 422 and "截止日期" in r.content.decode()
    r = c.get("/audit/?kind=ledger&page=2")
    assert r.status_code == 200 and "第 2 /" in r.content.decode()
    assert "抽查" in c.get("/audit/?kind=access").content.decode()
    before = LedgerEntry.objects.filter(event_type="audit.export").count()
    r = c.get("/audit/?kind=change&format=csv")
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,时间,操作") and len(text.splitlines()) > 2
    assert LedgerEntry.objects.filter(event_type="audit.export").count() == before + 1


def test_audit_rows_are_kept_for_the_retention_period(w):
    row = ChangeLog.objects.order_by("-id").first()
    with pytest.raises(ActionRefused) as e, transaction.atomic():
        row.delete()
    assert e.value.rule == "audit.retention" and "180" in e.value.message
    from axes.models import AccessLog as AxesLog

    AxesLog.objects.create(username="officer", ip_address="10.0.0.1", user_agent="t", path_info="/login/")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=60)):  # 60 days old, kept 180
        with pytest.raises(ActionRefused), transaction.atomic():
            call_command("axes_reset_logs", age=30)
    assert AxesLog.objects.exists()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=200)):
        call_command("axes_reset_logs", age=190)
    assert not AxesLog.objects.exists()
    with override_settings(ZHIFA_AUDIT_RETENTION_DAYS=90):
        assert [e.id for e in audit_retention()] == ["zhifa.E162"]
    assert not audit_retention()


@pytest.mark.slow
def test_startup_refuses_retention_below_180(tmp_path):
    import subprocess

    from tests.ops.conftest import ZHIFA, production_env

    env = production_env(tmp_path / "data", ZHIFA_AUDIT_RETENTION_DAYS="90")
    r = subprocess.run([str(ZHIFA), "check"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 3 and "ZHIFA_AUDIT_RETENTION_DAYS" in r.stderr and "Traceback" not in r.stderr


def test_security_report_json(w, capsys):
    call_command("security-report", "--json")
    data = json.loads(capsys.readouterr().out)
    clauses = {i["clause"]: i for i in data["items"]}
    assert {"8.1.4.1 a)", "8.1.4.2 d)", "8.1.4.3 c)", "8.1.4.8 b)", "8.1.4.10 a)", "8.1.4.11 b)", "8.4 e)"} <= set(clauses)
    assert all(i["status"] in ("符合", "部分符合", "不符合", "部署方负责") for i in data["items"])
    assert any(i["status"] == "部署方负责" and "TLS" in i["deployment"] for i in data["items"])

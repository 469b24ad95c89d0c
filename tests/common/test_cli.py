"""The command line says one Chinese line, never a traceback, for what a user can act on."""
import os
import subprocess
import sys

import pytest

from zhifa import cli
from zhifa.common.actions import ActionRefused


def run(*args, data_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["ZHIFA_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "zhifa", *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("args", [["verify"], ["seed", "--scale", "county"], ["ledger", "status"],
                                  ["refresh_deadlines"]])
def test_before_migrate_one_line_and_exit_1(tmp_path, args):
    r = run(*args, data_dir=tmp_path)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "数据库尚未初始化" in lines[0] and "zhifa migrate" in lines[0]


def test_action_refused_reaching_the_cli(monkeypatch, capsys):
    def refuse(argv):
        raise ActionRefused("calendar.admin_only", "只有系统管理员可以录入或修改法定节假日安排")

    monkeypatch.setattr("django.core.management.execute_from_command_line", refuse)
    monkeypatch.setattr(sys, "argv", ["zhifa", "anything"])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 1
    err = capsys.readouterr().err
    assert err.strip() == "[calendar.admin_only] 只有系统管理员可以录入或修改法定节假日安排"


def test_a_bug_is_one_line_naming_the_file_that_holds_its_traceback(monkeypatch, capsys, settings, tmp_path):
    def boom(argv):
        raise ZeroDivisionError("bug")

    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("ZHIFA_DEBUG", raising=False)
    monkeypatch.setattr("django.core.management.execute_from_command_line", boom)
    monkeypatch.setattr(sys, "argv", ["zhifa", "anything"])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("内部错误（ZeroDivisionError：bug）")
    (log,) = (tmp_path / "logs").glob("zhifa-error-*.log")
    assert str(log) in err and "Traceback (most recent call last)" in log.read_text() and "ZeroDivisionError: bug" in log.read_text()
    # Whoever fixes it may ask for the traceback itself.
    monkeypatch.setattr(sys, "argv", ["zhifa", "anything", "--traceback"])
    with pytest.raises(ZeroDivisionError):
        cli.main()


def test_missing_table_recognised_on_both_engines():
    assert cli.missing_table(Exception("no such table: orgs_entity")) == "orgs_entity"
    assert cli.missing_table(Exception('relation "orgs_entity" does not exist\nLINE 1: ...')) == "orgs_entity"
    assert cli.missing_table(Exception("other")) is None

"""`zhifa verify` against a broken installation (issue 17, "Bad input"): a clear finding per problem,
exit non-zero, never a traceback — and the other checks still run."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

pytestmark = pytest.mark.django_db


def verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify", stdout=out)
        return 0, out.getvalue()
    except CommandError as e:
        return e.returncode, out.getvalue()


def test_unreachable_object_store_is_one_finding(monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    def unreachable():
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1/zhifa-evidence")
        yield

    monkeypatch.setattr("zhifa.blobs.checks.check_blobs", unreachable)
    code, out = verify()
    assert code == 1
    assert "[verify.check_failed] blobs：无法读取对象存储" in out and "127.0.0.1:1" in out
    assert "Traceback" not in out


def test_missing_table_is_named_and_the_rest_still_checked():
    from zhifa.supervision.models import Alert

    with connection.cursor() as c:  # inside the test's transaction: rolled back afterwards
        cascade = " CASCADE" if connection.vendor == "postgresql" else ""  # orders refer to alerts
        c.execute(f"DROP TABLE {Alert._meta.db_table}{cascade}")
    code, out = verify()
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert lines == [f"[verify.table_missing] {Alert._meta.db_table}：预警的数据表不存在（被删除，或未运行 zhifa migrate）"]


def test_missing_key_file_is_a_finding(settings, tmp_path):
    settings.ZHIFA_LEDGER_KEY_FILE = str(tmp_path / "missing.pem")  # a path not yet loaded: not cached
    code, out = verify()
    assert code == 1 and "[ledger.signing_key]" in out and "missing.pem" in out

"""PostgreSQL roles (issue 17 item 3): the application role reads and appends the log tables and can
do nothing else to them; `zhifa verify` reports a role that can."""
import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.ledger import privileges
from zhifa.ledger.verify import discover

pytestmark = [pytest.mark.django_db, pytest.mark.skipif("connection.vendor != 'postgresql'")]


def findings():
    return list(privileges.check_db_privileges())


def test_log_tables_are_declared_by_their_apps():
    discover()
    assert {"ledger_ledgerentry", "ledger_ledgernode", "ledger_treehead", "common_changelog", "cases_caseevent",
            "records_accesslog", "witness_cosignature"} <= set(privileges.tables())


def test_superuser_is_reported_and_the_restricted_app_role_is_not(settings):
    discover()
    settings.ZHIFA_CHECK_DB_PRIVILEGES = True
    found = findings()  # the suite runs as the superuser: every log table is open to it
    assert {d.where for d in found} == set(privileges.tables()) and all(d.kind == "ledger.db_privileges" for d in found)
    assert "UPDATE、DELETE、TRUNCATE" in found[0].detail
    role = f"zhifa_t_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as c:  # all of it inside the test's transaction: rolled back afterwards
        c.execute(f'CREATE ROLE "{role}"')
        c.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
        c.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        assert privileges.restrict_app_role(role)
        c.execute(f'SET ROLE "{role}"')
        try:
            assert findings() == []
            c.execute("SELECT count(*) FROM common_changelog")  # reading is allowed
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                c.execute("UPDATE common_changelog SET reason = 'x'")
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                c.execute("DELETE FROM cases_caseevent")
        finally:
            c.execute("RESET ROLE")


def test_not_checked_when_switched_off(settings):
    settings.ZHIFA_CHECK_DB_PRIVILEGES = False
    assert findings() == []

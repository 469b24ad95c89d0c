"""Generic scope tests for every scoped model a staff page or the API exposes, in the spirit of
NetBox's ViewTestCases: a test module declares one Scoped line per (model, page or endpoint) —
which row, its read URL, its write request and who is who — and subclasses ScopedTests. Each line
then gets

- an in-scope user (`insider`) reads it: 200;
- an out-of-scope user (`outsider`) reads it and writes it: 404 both (not visible is not there);
- a user who sees the row but may not change it (`viewer`) writes it: 403 (for the API with the
  rule "scope"), or the status and rule the line declares where the refusal is a named rule
  rather than scope (a supervisor acting on a case: 409 case.role);
- and nothing the refused writes attempted is written (no change-log row, no ledger entry).

URLs are paths, not view names: they are what users and API clients hold on to, so the lines
keep their meaning when views or API modules move.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.test import Client

from zhifa.common.models import ChangeLog
from zhifa.ledger.models import LedgerEntry

Url = Callable[[Any], str]
Data = dict[str, Any] | Callable[[dict, Any], dict[str, Any]]


@dataclass(frozen=True)
class Write:
    method: str        # post, patch, put
    url: Url
    data: Data = field(default_factory=dict)


@dataclass(frozen=True)
class Scoped:
    name: str                     # the test id: "<app>.<model> <page or endpoint>"
    model: str                    # app_label.ModelName of the row
    row: str                      # key of the row in the rows the module builds
    read: Url
    write: Write | None = None
    insider: str = "head"         # reads 200
    viewer: str | None = "officer"  # sees the row, may not write it
    outsider: str = "hbj_head"    # sees nothing of it
    refused: tuple[int, str] = (403, "scope")  # the viewer's write: status, and the rule (API)



def send(client: Client, method: str, url: str, data: dict[str, Any]):
    if url.startswith("/api/"):
        return getattr(client, method)(url, json.dumps(data), content_type="application/json")
    return getattr(client, method)(url, data)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def written() -> tuple[int, int]:
    # the login audit (auth.* entries) is not a write of the request under test
    return ChangeLog.objects.count(), LedgerEntry.objects.exclude(event_type__startswith="auth.").count()


class ScopedTests:
    """Subclass with `lines = [...]` and a `scoped_rows` fixture returning {"w": world, key: row …}."""

    lines: ClassVar[list[Scoped]] = []

    def pytest_generate_tests(self, metafunc):
        if "line" in metafunc.fixturenames:
            lines = self.lines
            if "viewer_line" in metafunc.function.__name__:
                lines = [line for line in lines if line.write and line.viewer]
            elif "write" in metafunc.function.__name__:
                lines = [line for line in lines if line.write]
            metafunc.parametrize("line", lines, ids=[line.name for line in lines])

    @staticmethod
    def row(scoped_rows: dict, line: Scoped) -> Any:
        return scoped_rows[line.row]

    @staticmethod
    def data(scoped_rows: dict, line: Scoped, row: Any) -> dict[str, Any]:
        assert line.write is not None
        data = line.write.data
        return data(scoped_rows["w"], row) if callable(data) else dict(data)

    def test_insider_reads_200(self, scoped_rows, line: Scoped):
        row = self.row(scoped_rows, line)
        response = as_user(scoped_rows["w"][line.insider]).get(line.read(row))
        assert response.status_code == 200, (line.read(row), response.status_code)

    def test_outsider_read_is_404(self, scoped_rows, line: Scoped):
        row = self.row(scoped_rows, line)
        response = as_user(scoped_rows["w"][line.outsider]).get(line.read(row))
        assert response.status_code == 404, (line.read(row), response.status_code)

    def test_outsider_write_is_404_and_writes_nothing(self, scoped_rows, line: Scoped):
        row = self.row(scoped_rows, line)
        assert line.write is not None
        client = as_user(scoped_rows["w"][line.outsider])  # the login itself is ledgered (auth.login)
        before = written()
        response = send(client, line.write.method, line.write.url(row), self.data(scoped_rows, line, row))
        assert response.status_code == 404, (line.write.url(row), response.status_code)
        assert written() == before

    def test_viewer_line_reads_but_write_is_refused(self, scoped_rows, line: Scoped):
        row = self.row(scoped_rows, line)
        assert line.write is not None and line.viewer is not None
        client = as_user(scoped_rows["w"][line.viewer])
        assert client.get(line.read(row)).status_code == 200, line.read(row)
        before = written()
        response = send(client, line.write.method, line.write.url(row), self.data(scoped_rows, line, row))
        status, rule = line.refused
        assert response.status_code == status, (line.write.url(row), response.status_code, response.content[:300])
        if line.write.url(row).startswith("/api/"):
            assert response.json()["rule"] == rule, response.json()
        assert written() == before

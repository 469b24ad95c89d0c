import json
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.ledger.conftest import _ledger_key  # noqa: F401  (the session's own signing key)


def client_fetch(client=None):
    """A witness `fetch` that goes through Django's test client instead of the network."""
    c = client or Client(enforce_csrf_checks=True)

    def fetch(method, url, body):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        r = (c.get(path) if method == "GET"
             else c.post(path, data=json.dumps(body), content_type="application/json"))
        return r.status_code, (json.loads(r.content) if r.content else None)

    return fetch


class Out(list):
    def __call__(self, line):
        self.append(line)

    @property
    def text(self):
        return "\n".join(self)


@pytest.fixture
def out():
    return Out()


@pytest.fixture
def witness_dir(tmp_path, out):
    from zhifa.witness import client

    d = tmp_path / "witness"
    assert client.main(["init", "--dir", str(d)], out=out) == 0
    return d


def witness_public_key(d):
    return json.loads((d / "state.json").read_text())["public_key"]


@pytest.fixture(autouse=True)
def _fresh_tree_heads(settings):
    """The witness runs here right after the log grows: the public tree head is signed at once
    (production signs a newer head at most once a minute; tests/records/test_api.py)."""
    settings.ZHIFA_TREE_HEAD_MIN_SECONDS = 0

import json

import pytest
from django.test import Client

ROLES = ["officer", "unit_head", "head", "reviewer", "sup_county", "sup_city", "admin"]


class ApiClient:
    """Thin JSON client for /api/v1 as one user (session login) or with a Bearer token."""

    def __init__(self, user=None, token=None, enforce_csrf=False):
        self.client = Client(enforce_csrf_checks=enforce_csrf)
        if user is not None:
            self.client.force_login(user)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def url(self, path):
        return path if path.startswith("/api/") else "/api/v1" + path

    def get(self, path, params=None):
        return self.client.get(self.url(path), params or {}, headers=self.headers)

    def send(self, method, path, data):
        body = "" if data is None else data if isinstance(data, (str, bytes)) else json.dumps(data)
        return getattr(self.client, method)(self.url(path), body, content_type="application/json",
                                            headers=self.headers)

    def post(self, path, data=None):
        return self.send("post", path, data)

    def patch(self, path, data=None):
        return self.send("patch", path, data)

    def delete(self, path):
        return self.send("delete", path, None)


@pytest.fixture
def as_role(world):
    return lambda role: ApiClient(world[role])


@pytest.fixture
def anon():
    return ApiClient()


def ids(response):
    assert response.status_code == 200, response.content.decode()
    return {row["id"] for row in response.json()["items"]}

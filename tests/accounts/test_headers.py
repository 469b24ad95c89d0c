"""CSP and the other security headers on every page; no inline script in any template (issue 16)."""
import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ZHIFA = Path(__file__).resolve().parents[2] / "zhifa"


def check_headers(r):
    csp = r["Content-Security-Policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'", csp  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert "camera=()" in r["Permissions-Policy"]
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_kind_of_page_carries_the_headers(people):
    anon = Client()
    for path in ("/login/", "/gs/", "/api/v1/auth/me", "/no-such-page/", "/healthz"):
        check_headers(anon.get(path))
    c = Client()
    c.force_login(people["officer"])
    for path in ("/", "/cases/", "/account/", "/account/tokens/", "/api/v1/officers"):
        r = c.get(path)
        assert r.status_code == 200, path
        check_headers(r)
    admin = Client()
    admin.force_login(people["admin"])
    check_headers(admin.get("/admin/"))


def test_no_template_has_an_inline_script_or_handler():
    """Scripts come from files (CSP script-src 'self'); JSON data islands (json_script) are fine."""
    offenders = []
    for path in ZHIFA.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script\b([^>]*)>", text):
            attrs = m.group(1)
            if "src=" not in attrs and "application/json" not in attrs and "application/ld+json" not in attrs:
                offenders.append(f"{path.relative_to(ZHIFA)}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(f"{path.relative_to(ZHIFA)}: inline handler")
    assert offenders == []

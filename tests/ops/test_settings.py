"""Production unless told otherwise (issue 15, item 1)."""
import subprocess

from tests.ops.conftest import ZHIFA


def run(*args, env):
    return subprocess.run([str(ZHIFA), *args], env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_environment(prod_env):
    r = run("check", "--deploy", "--fail-level", "WARNING", env=prod_env())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_refuses_to_start_without_a_secret_key(prod_env):
    for key in ("", "dev-insecure-change-me"):
        r = run("check", env=prod_env(ZHIFA_SECRET_KEY=key))
        assert r.returncode == 3
        assert "拒绝启动" in r.stderr and "ZHIFA_SECRET_KEY" in r.stderr
        assert "Traceback" not in r.stderr


def test_demo_mode_accepts_the_development_key_and_debug_is_off_by_default(prod_env):
    show = ["shell", "-v", "0", "-c", "from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"]
    demo = run(*show, env=prod_env(ZHIFA_SECRET_KEY="", ZHIFA_DEMO="1"))
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split() == ["True", "False", "False", "False"]
    prod = run(*show, env=prod_env())
    assert prod.stdout.split() == ["False", "True", "True", "True"]

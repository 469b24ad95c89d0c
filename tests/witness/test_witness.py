"""Witnesses (issue 17, item 4): `zhifa witness` checks the platform's signed tree heads from outside,
co-signs what is consistent, and reports a fork — including the insider who rewrites the log with
the real signing key, which `zhifa verify` cannot see. The platform accepts co-signatures only from
registered witness keys with valid signatures, and publishes the heads with their co-signatures."""
import json
import subprocess
import sys

import pytest

from tests import factories
from tests.api.conftest import ApiClient
from tests.witness.conftest import client_fetch, witness_public_key
from tests.witness.insider import rewrite_log
from zhifa.ledger import log, verify
from zhifa.ledger.models import TreeHead
from zhifa.witness import actions, client, protocol
from zhifa.witness.models import Cosignature, WitnessKey

pytestmark = pytest.mark.django_db
URL = "http://platform.test"


def register(d, name="贵州省毕节市司法局", active=True):
    wk = actions.do_register_witness_key(name, witness_public_key(d), acting_user=factories.system_admin())
    if not active:
        actions.do_set_witness_key_active(wk, False, acting_user=factories.system_admin())
    return wk


def check(d, out, submit=True, fetch=None):
    argv = ["check", "--url", URL, "--dir", str(d)] + (["--submit"] if submit else [])
    return client.main(argv, fetch=fetch or client_fetch(), out=out)


def witness_checks():
    verify.discover()
    found = [c for c in verify.CHECKS if c.__module__ == "zhifa.witness.verify"]
    assert len(found) == 2
    return found


def grow(n=3):
    from django.db import transaction

    with transaction.atomic():
        log.append_many([("test", {"data": {"i": i}}) for i in range(n)])


def test_honest_growth_is_consistent_and_cosigned(world, witness_dir, out):
    wk = register(witness_dir)
    assert check(witness_dir, out) == 0, out.text
    assert "已保存第一个树头" in out.text and "已向平台提交联署" in out.text
    first = TreeHead.objects.order_by("-id").first()
    assert Cosignature.objects.filter(head=first, witness=wk).count() == 1
    grow()
    out.clear()
    assert check(witness_dir, out) == 0, out.text
    assert "一致性证明成立" in out.text
    latest = TreeHead.objects.order_by("-id").first()
    assert latest.tree_size > first.tree_size
    cos = Cosignature.objects.get(head=latest, witness=wk)
    assert protocol.verify_cosignature(latest.as_dict(), cos.signature, wk.public_key)
    history = (witness_dir / "heads.jsonl").read_text().splitlines()
    assert [json.loads(x)["tree_size"] for x in history] == [first.tree_size, latest.tree_size]
    out.clear()  # the accepted co-signature is itself change-logged: one entry more, still consistent
    assert check(witness_dir, out) == 0 and f"增长到 {latest.tree_size + 1} 条" in out.text
    assert list(verify.run(witness_checks())) == []


def test_a_smaller_tree_is_a_fork(world, witness_dir, out):
    """A rollback to an older (genuinely signed) head: the log shrank."""
    old = log.sign_tree_head().as_dict()
    grow()
    assert check(witness_dir, out, submit=False) == 0
    honest = client_fetch()

    def stale(method, url, body):
        if url.endswith("/ledger/tree-head"):
            return 200, old
        return honest(method, url, body)

    out.clear()
    assert check(witness_dir, out, submit=False, fetch=stale) == 1
    assert "发现分叉" in out.text and "平台日志变小" in out.text
    assert f"大小 {old['tree_size']}" in out.text
    evidence = json.loads((witness_dir / "state.json").read_text())["alarms"]
    assert len(evidence) == 1


def test_a_bad_head_signature_is_refused(world, witness_dir, out):
    honest = client_fetch()

    def forged(method, url, body):
        status, doc = honest(method, url, body)
        if url.endswith("/ledger/tree-head"):
            doc = {**doc, "root_hash": "0" * 64}  # signed by the real key over another root
        return status, doc

    assert check(witness_dir, out, submit=False, fetch=forged) == 1
    assert "签名无效" in out.text
    assert json.loads((witness_dir / "state.json").read_text())["head"] is None  # nothing stored


def test_a_head_signed_by_an_unknown_key_is_refused(world, witness_dir, out, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from zhifa.ledger.pure import key_id, tree_head_message

    assert check(witness_dir, out, submit=False) == 0  # pins the platform's key
    other = Ed25519PrivateKey.generate()
    pub = other.public_key().public_bytes_raw().hex()
    honest = client_fetch()

    def substituted(method, url, body):
        status, doc = honest(method, url, body)
        if url.endswith("/ledger/tree-head"):
            msg = tree_head_message(doc["tree_size"], doc["root_hash"], doc["timestamp"] + 1)
            doc = {**doc, "timestamp": doc["timestamp"] + 1, "public_key": pub, "key_id": key_id(pub),
                   "signature": other.sign(msg).hex()}
        return status, doc

    out.clear()
    assert check(witness_dir, out, submit=False, fetch=substituted) == 1
    assert "不在本见证方信任的密钥中" in out.text


def test_platform_refuses_bad_and_unregistered_cosignatures(world, witness_dir, out, tmp_path):
    head = log.sign_tree_head().as_dict()
    key = client._private_key(witness_dir)
    body = {"tree_size": head["tree_size"], "root_hash": head["root_hash"], "timestamp": head["timestamp"],
            "public_key": witness_public_key(witness_dir), "signature": client.cosign(key, head)}
    api = ApiClient(enforce_csrf=True)
    r = api.post("/witness/cosignatures", body)  # a valid signature, but nobody registered the key
    assert r.status_code == 409 and r.json()["rule"] == "witness.unregistered"
    wk = register(witness_dir)
    bad = {**body, "signature": client.cosign(key, {**head, "tree_size": head["tree_size"] + 1})}
    r = api.post("/witness/cosignatures", bad)
    assert r.status_code == 409 and r.json()["rule"] == "witness.bad_signature"
    r = api.post("/witness/cosignatures", {**body, "root_hash": "1" * 64})
    assert r.status_code == 409 and r.json()["rule"] == "witness.unknown_head"
    r = api.post("/witness/cosignatures", {**body, "signature": "zz"})
    assert r.status_code == 422
    assert not Cosignature.objects.exists()
    r = api.post("/witness/cosignatures", body)
    assert r.status_code == 201, r.content
    assert r.json()["cosignature"]["witness"] == wk.name
    assert api.post("/witness/cosignatures", body).status_code == 200  # the same again: not an error
    actions.do_set_witness_key_active(wk, False, acting_user=factories.system_admin())
    head2 = log.sign_tree_head().as_dict()
    r = api.post("/witness/cosignatures", {**body, "timestamp": head2["timestamp"],
                                           "signature": client.cosign(key, head2)})
    assert r.status_code == 409 and r.json()["rule"] == "witness.unregistered"  # deactivated
    assert Cosignature.objects.count() == 1


def test_only_an_administrator_registers_witness_keys(world, witness_dir):
    pub = witness_public_key(witness_dir)
    officer = ApiClient(world["head"])
    r = officer.post("/witness/keys", {"name": "某审计所", "public_key": pub})
    assert r.status_code == 409 and r.json()["rule"] == "witness.admin_only"
    admin = ApiClient(factories.system_admin())
    r = admin.post("/witness/keys", {"name": "某审计所", "public_key": "xyz"})
    assert r.status_code == 422 and r.json()["field"] == "public_key"
    r = admin.post("/witness/keys", {"name": "某审计所", "public_key": pub})
    assert r.status_code == 201 and r.json()["key_id"] == protocol.key_id(pub)
    from zhifa.common.models import ChangeLog

    wk = WitnessKey.objects.get()
    assert ChangeLog.objects.filter(object_id=str(wk.pk), content_type__model="witnesskey").exists()
    r = admin.post(f"/witness/keys/{wk.pk}/active", {"active": False})
    assert r.status_code == 200 and r.json()["active"] is False


def test_a_tampered_cosignature_row_is_caught_by_verify(world, witness_dir, out):
    from zhifa.ledger.appendonly import ledger_unlocked

    register(witness_dir)
    assert check(witness_dir, out) == 0
    cos = Cosignature.objects.get()
    with ledger_unlocked():
        Cosignature.objects.filter(pk=cos.pk).update(signature="00" * 64)
    found = [str(d) for d in verify.run(witness_checks())]
    assert found and "witness.cosignature" in found[0]


def test_heads_page_and_json_show_cosignatures(world, witness_dir, out, client):
    wk = register(witness_dir)
    assert check(witness_dir, out) == 0
    head = TreeHead.objects.order_by("-id").first()
    r = client.get("/gs/ledger/heads/")
    html = r.content.decode()
    assert r.status_code == 200 and head.root_hash in html and wk.name in html and "1 个" in html
    r = client.get(f"/gs/ledger/heads/{head.pk}/")
    html = r.content.decode()
    assert r.status_code == 200 and head.signature in html and wk.public_key in html
    doc = client.get("/gs/ledger/heads.json").json()
    top = doc["heads"][0]
    assert top["root_hash"] == head.root_hash and top["signature"] == head.signature
    assert top["cosignatures"][0]["public_key"] == wk.public_key
    api = ApiClient().get("/witness/tree-heads").json()
    assert api["heads"][0]["cosignatures"][0]["signature"] == top["cosignatures"][0]["signature"]
    assert client.get("/gs/ledger/heads/999999/").status_code == 404
    assert client.get("/gs/ledger/heads/?page=abc").status_code == 200


def test_heads_page_is_paginated(world, client):
    from zhifa.witness.heads import PAGE_SIZE

    for _ in range(PAGE_SIZE + 1):
        log.sign_tree_head()
    html = client.get("/gs/ledger/heads/").content.decode()
    assert html.count('data-testid="head-item"') == PAGE_SIZE and "下一页" in html
    doc = client.get("/gs/ledger/heads.json?page=2").json()
    assert doc["page"] == 2 and len(doc["heads"]) == TreeHead.objects.count() - PAGE_SIZE


def test_readyz_warns_when_no_witness_has_cosigned_for_too_long(world, witness_dir, out, settings):
    import time_machine

    from zhifa.health import checks

    assert not [c for c in checks() if c["name"] == "witness"]  # no witness registered: nothing expected
    register(witness_dir)
    assert check(witness_dir, out) == 0
    grow()
    log.sign_tree_head()
    settings.ZHIFA_WITNESS_MAX_AGE_HOURS = 48
    [ok] = [c for c in checks() if c["name"] == "witness"]
    assert ok["status"] == "ok"
    with time_machine.travel(_later(49)):
        [late] = [c for c in checks() if c["name"] == "witness"]
    assert late["status"] == "warn" and "没有见证方联署" in late["detail"]


def _later(hours):
    import datetime as dt

    return dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)


def test_the_witness_needs_no_django():
    code = ("import sys, zhifa.witness.client, zhifa.cli; "
            "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_bad_input_gives_a_chinese_line_and_exit_2(tmp_path, out):
    assert client.main(["check", "--url", URL, "--dir", str(tmp_path / "nope")], out=out) == 2
    assert "尚未初始化" in out.text
    out.clear()
    d = tmp_path / "w"
    assert client.main(["init", "--dir", str(d)], out=out) == 0
    assert client.main(["init", "--dir", str(d)], out=out) == 2  # never overwrites a key
    out.clear()
    assert client.main(["check", "--url", "ftp://x", "--dir", str(d)], out=out) == 2 and "https://" in out.text
    out.clear()
    assert client.main(["check", "--url", "http://127.0.0.1:9", "--dir", str(d)], out=out) == 2
    assert "无法连接平台" in out.text


# ---- the insider, against a live server over HTTP --------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_insider_rewrite_with_the_real_key_is_caught(live_server, tmp_path):
    """The insider holds the database and ZHIFA_LEDGER_KEY_FILE: after the rewrite `zhifa verify`'s
    log check passes (every hash and every head signature is consistent), but the witness, which
    kept the head it saw before, reports the fork — at the same size and after the log grew."""
    factories.world()
    url = live_server.url
    d = tmp_path / "bureau"
    lines: list[str] = []
    assert client.main(["init", "--dir", str(d)], out=lines.append) == 0
    register(d)
    assert client.main(["check", "--url", url, "--dir", str(d), "--submit"], out=lines.append) == 0, lines
    assert Cosignature.objects.count() == 1  # over real HTTP, CSRF and all
    # The accepted co-signature is change-logged (one entry more): check again without submitting,
    # so that the witness holds the newest head and the insider's head has the same size.
    assert client.main(["check", "--url", url, "--dir", str(d)], out=lines.append) == 0, lines
    stored = json.loads((d / "state.json").read_text())["head"]

    rewrite_log(stored["tree_size"] // 2)
    assert list(verify.run([verify.check_log])) == []  # the platform's own check is satisfied
    rewritten = TreeHead.objects.order_by("-id").first()
    assert rewritten.tree_size == stored["tree_size"] and rewritten.root_hash != stored["root_hash"]

    # The command as the bureau runs it: the console entry point, in its own process, no Django.
    run = subprocess.run([sys.executable, "-m", "zhifa", "witness", "check", "--url", url, "--dir", str(d), "--submit"],
                         capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    text = run.stdout
    assert run.returncode == 1, run.stdout + run.stderr
    assert "发现分叉" in text and "同样大小的日志，根哈希却不同" in text
    assert "平台公布的树头记录中" in text  # the re-signed history page disagrees with what it saw
    assert stored["root_hash"] in text and rewritten.root_hash in text  # names both heads
    [where] = json.loads((d / "state.json").read_text())["alarms"]
    from pathlib import Path

    evidence = Path(where)
    assert json.loads((evidence / "stored-head.json").read_text())["root_hash"] == stored["root_hash"]
    assert json.loads((evidence / "new-head.json").read_text())["root_hash"] == rewritten.root_hash
    assert Cosignature.objects.count() == 0  # nothing co-signed

    grow()  # the platform goes on appending: the grown head does not extend what the witness saw
    lines.clear()
    assert client.main(["check", "--url", url, "--dir", str(d)], out=lines.append) == 1
    text = "\n".join(lines)
    assert "一致性证明不成立" in text and "平台现在声称" in text
    assert json.loads((d / "state.json").read_text())["head"] == stored  # still the honest head


def test_the_vendored_ed25519_library_is_the_documented_build():
    """docs/dependencies.md names the npm package and this digest: a changed file must be re-vendored
    (and re-documented) on purpose."""
    import hashlib
    from pathlib import Path

    static = Path(__file__).resolve().parents[2] / "zhifa" / "static"
    digest = hashlib.sha256((static / "vendor" / "tweetnacl.min.js").read_bytes()).hexdigest()
    assert digest == "973cc5733cc7432e30ee4682098f413094f494bccf76a567c23908c5035ddbbc"
    assert (static / "vendor" / "tweetnacl.LICENSE.txt").exists()
    assert digest in (static.parents[1] / "docs" / "dependencies.md").read_text()


def test_a_rotated_platform_key_is_trusted_only_when_the_witness_says_so(world, witness_dir, out, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from zhifa.ledger import signing

    assert check(witness_dir, out, submit=False) == 0
    old_key = signing.public_key_hex()
    new_file = tmp_path / "rotated.pem"
    new_file.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    settings.ZHIFA_LEDGER_KEY_FILE = str(new_file)
    settings.ZHIFA_LEDGER_TRUSTED_KEYS = [old_key]
    signing.clear_cache()
    try:
        grow()
        out.clear()
        assert check(witness_dir, out, submit=False) == 1 and "不在本见证方信任的密钥中" in out.text
        out.clear()
        assert client.main(["trust-key", "--dir", str(witness_dir), signing.public_key_hex()], out=out) == 0
        out.clear()
        assert check(witness_dir, out, submit=False) == 0 and "一致性证明成立" in out.text
    finally:
        signing.clear_cache()


def test_witnesses_command_registers_lists_and_deactivates(world, witness_dir):
    from io import StringIO

    from django.core.management import call_command

    factories.system_admin()
    pub = witness_public_key(witness_dir)
    buf = StringIO()
    call_command("witnesses", "add", "毕节市司法局", pub, stdout=buf)
    wk = WitnessKey.objects.get(public_key=pub)
    assert "已登记见证方" in buf.getvalue() and wk.active
    call_command("witnesses", "list", stdout=buf)
    assert pub in buf.getvalue()
    call_command("witnesses", "deactivate", str(wk.pk), stdout=buf)
    wk.refresh_from_db()
    assert not wk.active

import datetime as dt
import json
import subprocess
import sys

import pytest

from tests import factories
from tests.disclosure.conftest import decided_case
from zhifa.disclosure import public, verify_proof
from zhifa.disclosure.actions import publications as publication_actions
from zhifa.disclosure.pipeline import access_code


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def published(cw, **kw):
    pub = decided_case(cw, **kw).publication
    return publication_actions.do_approve(pub, acting_user=cw["head"], on=dt.date(2026, 4, 22))


def test_public_modules_need_no_login(cw, client):
    pub = published(cw)
    for url in ("/gs/", "/gs/entities/", "/gs/officers/", "/gs/powers/", "/gs/results/", "/gs/progress/",
                "/gs/contact/", "/gs/cert/", f"/gs/results/{pub.pk}/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "行政执法公示平台" in resp.content.decode()
    assert cw["item"].name in client.get("/gs/powers/").content.decode()
    assert cw["smj"].name in client.get("/gs/entities/").content.decode()


def test_decision_page_is_redacted_and_shows_its_ledger_entry(cw, client):
    pub = published(cw)
    page = client.get(f"/gs/results/{pub.pk}/").content.decode()
    assert "张某" in page and "张建国" not in page
    assert f'data-testid="ledger-seq">{pub.ledger_seq}<' in page


def test_search_two_characters_highlighted_with_filters(cw, client):
    pub = published(cw)
    page = client.get("/gs/results/", {"q": "食品"}).content.decode()
    assert "<mark>食品</mark>" in page and f"/gs/results/{pub.pk}/" in page
    assert "共 1 条" in page
    assert "共 0 条" in client.get("/gs/results/", {"q": "烟花"}).content.decode()
    assert "共 1 条" in client.get("/gs/results/", {"q": "过", "entity": cw["smj"].pk}).content.decode()
    assert "共 0 条" in client.get("/gs/results/", {"q": "食品", "entity": cw["df"].pk}).content.decode()
    assert "共 0 条" in client.get("/gs/results/", {"min_amount": "6000"}).content.decode()
    assert "共 1 条" in client.get("/gs/results/", {"max_amount": "5000", "from": "2026-04-01"}).content.decode()
    assert "共 0 条" in client.get("/gs/results/", {"to": "2026-03-01"}).content.decode()
    # the search never matches hidden text
    assert "共 0 条" in client.get("/gs/results/", {"q": "张建国"}).content.decode()


def test_public_api(cw, client):
    pub = published(cw)
    data = client.get("/api/v1/public/decisions", {"q": "食品"}).json()
    assert data["count"] == 1 and data["results"][0]["target"] == "张某"
    assert client.get(f"/api/v1/public/decisions/{pub.pk}").json()["ledger_seq"] == pub.ledger_seq
    held = decided_case(cw, penalty={"penalty_kinds": ["warning"], "fine_amount": None}).publication
    assert client.get(f"/api/v1/public/decisions/{held.pk}").status_code == 404
    assert client.post("/api/v1/public/decisions", {}).status_code in (404, 405)


def test_withdrawn_decision_leaves_every_public_page(cw, client):
    pub = published(cw)
    publication_actions.do_withdraw(pub, acting_user=cw["head"], ground="revoked", public_reason="原处罚决定已被撤销")
    assert client.get(f"/gs/results/{pub.pk}/").status_code == 404
    assert client.get(f"/gs/results/{pub.pk}/proof.json").status_code == 404
    assert client.get(f"/api/v1/public/decisions/{pub.pk}").status_code == 404
    assert client.get("/api/v1/public/decisions").json()["count"] == 0
    assert f"/gs/results/{pub.pk}/" not in client.get("/gs/results/").content.decode()
    assert "原处罚决定已被撤销" in client.get("/gs/").content.decode()


def test_proof_verifies_offline_and_detects_tampering(cw, client, tmp_path):
    pub = published(cw)
    published(cw)  # the log grows after this entry
    resp = client.get(f"/gs/results/{pub.pk}/proof.json")
    assert resp["Content-Disposition"].startswith("attachment")
    doc = json.loads(resp.content)
    assert all(ok for ok, _ in verify_proof.check(doc)), verify_proof.check(doc)
    f = tmp_path / "proof.json"
    f.write_text(resp.content.decode(), encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "import sys; from zhifa.cli import main; main()", "verify-proof",
                          str(f), "--key", doc["tree_head"]["public_key"]], capture_output=True, text=True)
    assert run.returncode == 0 and "核验通过" in run.stdout, run.stdout + run.stderr
    bad = {**doc, "decision": {**doc["decision"], "body": doc["decision"]["body"].replace("5000", "500")}}
    assert not all(ok for ok, _ in verify_proof.check(bad))
    bad = {**doc, "proof": list(reversed(doc["proof"]))} if len(doc["proof"]) > 1 else {**doc, "seq": doc["seq"] + 1}
    assert not all(ok for ok, _ in verify_proof.check(bad))
    assert not all(ok for ok, _ in verify_proof.check(doc, "00" * 32))


def test_certificate_check_and_qr(cw, client):
    cert = cw["h1"].certificates.first()
    page = client.get(f"/gs/cert/{cert.number}/").content.decode()
    assert 'data-testid="cert-status">有效<' in page and cw["h1"].name in page and cw["h1"].id_number not in page
    assert client.get("/api/v1/public/certificates/" + cert.number).json()["valid_today"] is True
    expired = factories.certified_officer(cw["smj"], None, "过期员", expires_on=dt.date(2021, 1, 1)).certificates.first()
    assert public.certificate_check(expired.number)["valid_today"] is False
    page = client.get("/gs/cert/", {"number": expired.number}).content.decode()
    assert 'data-testid="cert-status">已过期<' in page and ">有效<" not in page
    assert "未查到" in client.get("/gs/cert/", {"number": "NOPE"}).content.decode()
    client.force_login(cw["head"])
    svg = client.get(f"/disclosure/certificates/{cert.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert f"/gs/cert/{cert.number}/" in client.get(f"/disclosure/certificates/{cert.pk}/").content.decode()


def test_progress_shows_stage_only_and_party_view_needs_the_code(cw, client):
    case = decided_case(cw)
    page = client.get("/gs/progress/").content.decode()
    assert case.number in page and "张建国" not in page and case.title not in page
    assert "案件编号或查询码不正确" in client.get("/gs/progress/", {"number": case.number, "code": "WRONG"}).content.decode()
    mine = client.get("/gs/progress/", {"number": case.number, "code": access_code(case)}).content.decode()
    assert 'data-testid="party-view"' in mine and case.title in mine
    api = client.get("/api/v1/public/progress/mine", {"number": case.number, "code": access_code(case)})
    assert api.status_code == 200 and api.json()["stage"]
    assert client.get("/api/v1/public/progress/mine", {"number": case.number, "code": "x"}).status_code == 404


def test_staff_api(cw, client):
    pub = decided_case(cw).publication
    client.force_login(cw["head"])
    rows = client.get("/api/v1/disclosure/publications").json()
    assert [r["id"] for r in rows] == [pub.pk]
    no_id = [s for s in pub.spans if s["kind"] != "id_number"]
    assert client.put(f"/api/v1/disclosure/publications/{pub.pk}/spans", {"spans": no_id},
                      content_type="application/json").status_code == 200
    r = client.post(f"/api/v1/disclosure/publications/{pub.pk}/approve")
    assert r.status_code == 409 and r.json()["rule"] == "publication.no_identifiers"
    client.put(f"/api/v1/disclosure/publications/{pub.pk}/spans", {"spans": pub.spans}, content_type="application/json")
    assert client.post(f"/api/v1/disclosure/publications/{pub.pk}/approve").json()["state"] == "published"
    r = client.post(f"/api/v1/disclosure/publications/{pub.pk}/withdraw", {"public_reason": "决定已撤销"},
                    content_type="application/json")
    assert r.json()["rule"] == "withdrawal.statutory_ground"
    r = client.post(f"/api/v1/disclosure/publications/{pub.pk}/withdraw", {"public_reason": "", "ground": "revoked"},
                    content_type="application/json")
    assert r.json()["rule"] == "withdrawal.reason"
    assert client.get("/api/v1/disclosure/timeliness").json()[0]["entity"] == cw["smj"].name
    client.logout()
    assert client.get("/api/v1/disclosure/publications").status_code == 401


def test_proof_carries_the_cosigned_head_and_verify_proof_checks_a_witness_key(cw, client, tmp_path):
    from tests.factories import system_admin
    from zhifa.ledger import log
    from zhifa.witness import actions
    from zhifa.witness import client as witness

    pub = published(cw)
    d = tmp_path / "bureau"
    witness.init(d, None, lambda _line: None)
    key = json.loads((d / "state.json").read_text())["public_key"]
    doc = json.loads(client.get(f"/gs/results/{pub.pk}/proof.json").content)
    assert doc["cosignatures"] == []
    results = verify_proof.check(doc, witness_keys=[key])
    assert not results[-1][0] and "没有指定见证方的有效联署" in results[-1][1]
    wk = actions.do_register_witness_key("毕节市司法局", key, acting_user=system_admin())
    head = log.sign_tree_head().as_dict()
    actions.do_accept_cosignature(tree_size=head["tree_size"], root_hash=head["root_hash"],
                                  timestamp=head["timestamp"], public_key=key,
                                  signature=witness.cosign(witness._private_key(d), head))
    published(cw)
    log.sign_tree_head()  # newer, not co-signed: the proof keeps to the co-signed head
    doc = json.loads(client.get(f"/gs/results/{pub.pk}/proof.json").content)
    assert doc["tree_head"]["root_hash"] == head["root_hash"] and doc["cosignatures"][0]["witness"] == wk.name
    assert all(ok for ok, _ in verify_proof.check(doc, witness_keys=[key]))
    assert not all(ok for ok, _ in verify_proof.check(doc, witness_keys=["11" * 32]))
    forged = {**doc, "cosignatures": [{**doc["cosignatures"][0], "signature": "00" * 64}]}
    assert not all(ok for ok, _ in verify_proof.check(forged, witness_keys=[key]))

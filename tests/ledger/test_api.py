"""/api/v1/ledger: tree heads, the public key, entries (scoped by case), proofs."""
import json

import pytest

from tests.api.conftest import ApiClient
from zhifa.ledger import log, merkle
from zhifa.ledger.models import LedgerEntry, TreeHead
from zhifa.ledger.pure import verify_tree_head

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(world):
    return ApiClient(world["head"])


def test_tree_head_is_signed_fresh_when_the_log_grew(client, settings):
    settings.ZHIFA_TREE_HEAD_MIN_SECONDS = 0  # the interval is tested in tests/records/test_api.py
    r = client.get("/ledger/tree-head")
    assert r.status_code == 200, r.content
    head = r.json()
    assert head["tree_size"] == log.size() and head["root_hash"] == log.root().hex()
    assert verify_tree_head(head, head["public_key"]) and head["log"] == "zhifa"
    assert client.get("/ledger/tree-head").json() == head  # nothing new: the same head
    log.append_many([("test", {})])
    again = client.get("/ledger/tree-head").json()
    assert again["tree_size"] == head["tree_size"] + 1 and TreeHead.objects.count() == 2


def test_public_key(client):
    key = client.get("/ledger/public-key").json()
    head = client.get("/ledger/tree-head").json()
    assert key["public_key"] == head["public_key"] and key["key_id"] == head["key_id"]
    assert key["algorithm"] == "Ed25519" and key["trusted"][0]["public_key"] == key["public_key"]


def test_entries_are_scoped_by_case(world):
    from tests import factories

    w = factories.case_world(world)
    case = factories.case(w)
    mine = log.append_many([("test", {"case": case})])[0]
    other = log.append_many([("test", {"case": case.pk + 10_000})])[0]  # a case nobody can see
    free = log.append_many([("test", {"data": {"x": 1}})])[0]
    head = ApiClient(world["head"])
    r = head.get(f"/ledger/entries/{mine.seq}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["body"]["case"] == case.pk and body["canonical"] == mine.body
    assert bytes.fromhex(body["leaf_hash"]) == merkle.leaf_hash(body["canonical"].encode())
    assert head.get(f"/ledger/entries/{other.seq}").status_code == 404
    assert head.get(f"/ledger/entries/{free.seq}").status_code == 404  # ledger.unscoped_entries
    outsider = ApiClient(factories.user("officer", world["zy"]))
    assert outsider.get(f"/ledger/entries/{mine.seq}").status_code == 404
    assert head.get("/ledger/entries/999999").status_code == 404
    assert ApiClient().get(f"/ledger/entries/{free.seq}").status_code == 401


@pytest.mark.parametrize("role, status", [("officer", 404), ("unit_head", 404), ("head", 404), ("reviewer", 404),
                                          ("sup_county", 200), ("sup_city", 200), ("admin", 200)])
def test_entries_tied_to_no_case_only_for_supervisors_and_administrators(world, role, status):
    """Rule ledger.unscoped_entries: 11 089 such entries (actors' names, object ids) were readable by
    any login. Case-tied entries stay with whoever sees the case (test above)."""
    free = log.append_many([("test", {"subject": world["o1"], "actor": world["admin"]})])[0]
    assert ApiClient(world[role]).get(f"/ledger/entries/{free.seq}").status_code == status


def test_inclusion_proof_verifies(client):
    log.append_many([("test", {"data": {"i": i}}) for i in range(50)])
    n = log.size()
    r = client.get("/ledger/proof/inclusion", {"seq": 17, "tree_size": n - 5})
    assert r.status_code == 200, r.content
    p = r.json()
    leaf = bytes(LedgerEntry.objects.get(seq=17).leaf_hash)
    assert p["leaf_hash"] == leaf.hex() and p["tree_size"] == n - 5
    assert merkle.verify_inclusion(17, n - 5, leaf, [bytes.fromhex(x) for x in p["proof"]], bytes.fromhex(p["root_hash"]))
    assert client.get("/ledger/proof/inclusion", {"seq": 3}).json()["tree_size"] == n


def test_consistency_proof_verifies_against_signed_heads(client):
    old = client.get("/ledger/tree-head").json()
    log.append_many([("test", {"data": {"i": i}}) for i in range(30)])
    new = client.get("/ledger/tree-head").json()
    r = client.get("/ledger/proof/consistency", {"first": old["tree_size"], "second": new["tree_size"]})
    assert r.status_code == 200, r.content
    p = r.json()
    assert p["first_root"] == old["root_hash"] and p["second_root"] == new["root_hash"]
    assert merkle.verify_consistency(old["tree_size"], new["tree_size"], bytes.fromhex(old["root_hash"]), bytes.fromhex(new["root_hash"]),
                                     [bytes.fromhex(x) for x in p["proof"]])


@pytest.mark.parametrize("path,params,field", [
    ("/ledger/proof/inclusion", {"seq": 10**6}, "seq"),
    ("/ledger/proof/inclusion", {"seq": 0, "tree_size": 10**6}, "tree_size"),
    ("/ledger/proof/inclusion", {"seq": "abc"}, "seq"),
    ("/ledger/proof/inclusion", {"seq": -1}, "seq"),
    ("/ledger/proof/inclusion", {}, "seq"),
    ("/ledger/proof/consistency", {"first": 0}, "first"),
    ("/ledger/proof/consistency", {"first": 5, "second": 3}, "first"),
    ("/ledger/proof/consistency", {"first": 1, "second": 10**6}, "second"),
])
def test_bad_parameters_are_422_naming_the_field(client, path, params, field):
    r = client.get(path, params)
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["field"] == field and body["rule"] == "validation"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]
    assert json.dumps(body, ensure_ascii=False)

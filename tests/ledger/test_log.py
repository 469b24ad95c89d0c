"""log.py: appending (in the caller's transaction), the stored tree against the pure one, proofs
from the database, signed tree heads and the signing key."""
import json
import os
import random

import pytest
from django.db import transaction

from zhifa.ledger import log, merkle, signing
from zhifa.ledger.models import LedgerEntry, LedgerHead, LedgerNode, TreeHead
from zhifa.ledger.pure import tree_head_message, verify_tree_head

pytestmark = pytest.mark.django_db


def leaves():
    return [bytes(h) for h in LedgerEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]


def test_append_outside_a_transaction_is_refused():
    from django.db import connection

    # The test's own transaction is an atomic block; leave it for a moment to see the refusal.
    atomic = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError):
            log.append("test")
    finally:
        connection.in_atomic_block = atomic


def test_entry_body_and_columns(world):
    from zhifa.common.models import ChangeLog

    subject = ChangeLog.objects.order_by("id").first()
    head = world["head"]
    e = log.append("review.opinion", subject=subject, actor=head, case=41, data={"opinion": "同意", "n": 1})
    body = json.loads(e.body)
    assert e.body == json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "同意" in e.body  # UTF-8, not \u escapes
    assert set(body) == {"seq", "type", "time", "actor", "subject", "fingerprint", "case", "data"}
    assert body["seq"] == e.seq and body["type"] == "review.opinion" and body["case"] == 41
    assert body["actor"] == {"id": head.pk, "name": head.display_name}
    assert body["subject"] == f"common.changelog:{subject.pk}" and body["fingerprint"] == log.fingerprint(subject)
    assert body["time"].endswith("Z") and body["data"] == {"n": 1, "opinion": "同意"}
    assert bytes(e.leaf_hash) == merkle.leaf_hash(e.body.encode())
    stored = LedgerEntry.objects.get(seq=e.seq)
    assert (stored.case_id, stored.subject_id, stored.event_type, stored.actor_id) == (41, str(subject.pk),
                                                                                       "review.opinion", head.pk)


def test_changelog_rows_get_change_entries(world):
    from zhifa.common.models import ChangeLog

    rows = ChangeLog.objects.count()
    assert rows and LedgerEntry.objects.filter(event_type="change").count() == rows
    e = LedgerEntry.objects.filter(event_type="change").order_by("-seq").first()
    row = ChangeLog.objects.get(pk=e.subject_id)
    assert json.loads(e.body)["data"]["object"].endswith(f":{row.object_id}")


def test_stored_tree_matches_the_pure_tree_and_proofs_verify():
    with transaction.atomic():
        for i in range(37):
            log.append("test", data={"i": i})
    log.append_many([("bulk", {"data": {"i": i}}) for i in range(100)])
    hashes = leaves()
    n = len(hashes)
    assert n == 137 == log.size() == LedgerHead.objects.get().size
    assert LedgerNode.objects.count() == merkle.node_count(n)
    assert log.root() == merkle.mth(hashes) and log.root(0) == merkle.EMPTY_ROOT
    rng = random.Random(5)
    for size in [1, 2, 3, 64, 65, 100, n] + [rng.randrange(1, n + 1) for _ in range(20)]:
        assert log.root(size) == merkle.mth(hashes[:size])
        i = rng.randrange(size)
        proof = log.inclusion_proof(i, size)
        assert proof == merkle.inclusion_proof(i, hashes[:size])
        assert merkle.verify_inclusion(i, size, hashes[i], proof, log.root(size))
        m = rng.randrange(1, size + 1)
        cproof = log.consistency_proof(m, size)
        assert cproof == merkle.consistency_proof(m, hashes[:size])
        assert merkle.verify_consistency(m, size, log.root(m), log.root(size), cproof)


def test_proof_fetch_is_one_query(django_assert_num_queries):
    log.append_many([("bulk", {}) for _ in range(1000)])
    with django_assert_num_queries(2):  # the head's size, then every node the proof needs
        assert len(log.inclusion_proof(555)) == 10
    with django_assert_num_queries(2):
        log.consistency_proof(333, 1000)


def test_out_of_range_arguments_name_the_field():
    log.append_many([("bulk", {}) for _ in range(5)])
    for call, field in [(lambda: log.inclusion_proof(5, 5), "seq"), (lambda: log.inclusion_proof(0, 6), "tree_size"),
                        (lambda: log.consistency_proof(0, 5), "first"), (lambda: log.consistency_proof(3, 9), "second"),
                        (lambda: log.consistency_proof(4, 3), "first"), (lambda: log.root(6), "tree_size")]:
        with pytest.raises(log.LedgerRangeError) as e:
            call()
        assert e.value.field == field and "应为" in e.value.message


def test_rollback_takes_the_entry_with_it():
    log.append("kept")
    try:
        with transaction.atomic():
            log.append("lost")
            raise ValueError
    except ValueError:
        pass
    e = log.append("next")
    assert e.seq == 1 and log.size() == 2 and LedgerNode.objects.count() == merkle.node_count(2)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        log.append("")
    with pytest.raises(ValueError):
        log.append("x", data=["not", "a", "dict"])
    with pytest.raises(ValueError):
        log.append("x", data={"big": "x" * 70000})
    with pytest.raises(TypeError):
        log.append("x", data={"f": object()})
    assert log.size() == 0


def test_signed_tree_head_verifies_offline():
    log.append_many([("bulk", {"data": {"i": i}}) for i in range(10)])
    th = log.sign_tree_head()
    assert (th.tree_size, th.root_hash) == (10, log.root().hex())
    assert th.key_id == signing.key_id() and len(th.public_key) == 64 and len(th.signature) == 128
    assert verify_tree_head(th.as_dict(), th.public_key)
    assert not verify_tree_head({**th.as_dict(), "tree_size": 9}, th.public_key)
    assert not verify_tree_head({**th.as_dict(), "root_hash": "00" * 32}, th.public_key)
    assert json.loads(tree_head_message(10, th.root_hash, th.timestamp)) == {
        "log": "zhifa", "root_hash": th.root_hash, "timestamp": th.timestamp, "tree_size": 10}
    assert log.latest_tree_head() == th and TreeHead.objects.count() == 1


def test_key_is_generated_once_with_mode_0600(settings, tmp_path):
    settings.ZHIFA_LEDGER_KEY_FILE = ""
    settings.DATA_DIR = tmp_path
    first = signing.public_key_hex()
    path = tmp_path / "keys" / "ledger-ed25519.pem"
    assert path.exists() and oct(os.stat(path).st_mode & 0o777) == "0o600"
    signing.clear_cache()
    assert signing.public_key_hex() == first  # reused, not regenerated
    settings.ZHIFA_LEDGER_TRUSTED_KEYS = ["ab" * 32, "not-hex"]
    assert set(signing.trusted_keys().values()) == {first, "ab" * 32}


def test_missing_configured_key_file_is_an_error(settings, tmp_path):
    settings.ZHIFA_LEDGER_KEY_FILE = str(tmp_path / "nope.pem")
    with pytest.raises(RuntimeError):
        signing.public_key_hex()


def test_batched_appends_are_one_append_in_order():
    """ledger.batched (issue 23): the entries of one action are written together, in their order,
    with the same bodies as one by one; the returned entries are filled in at the end."""
    with transaction.atomic():
        log.append("bench.first", data={"i": 0})
    size = log.size()
    with transaction.atomic(), log.batched():
        a = log.append("bench.batched", data={"i": 1})
        with log.batched():  # nested: joins the outer block
            b = log.append("bench.batched", data={"i": 2})
        assert a.seq is None and log.size() == size  # nothing written yet
    assert (a.seq, b.seq) == (size, size + 1)
    assert [json.loads(e.body)["data"]["i"] for e in LedgerEntry.objects.filter(seq__gte=size).order_by("seq")] == [1, 2]
    from zhifa.ledger import verify

    assert not list(verify.check_log())  # bodies, leaf hashes, Merkle nodes and head all agree
    with pytest.raises(ValueError), transaction.atomic(), log.batched():
        log.append("bench.batched", data={"i": 3})
        raise ValueError("refused")
    assert log.size() == size + 2  # the refused action's entry is gone with it

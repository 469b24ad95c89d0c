"""merkle.py against the Certificate Transparency reference vectors (RFC 6962 test data, as
published in transparency-dev/merkle proof/verify_test.go), the reference code's corrupted-proof
probes, and property tests over random sizes."""
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.ledger import merkle

LEAVES = [bytes.fromhex(x) for x in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                         "606162636465666768696a6b6c6d6e6f"]]
HASHES = [merkle.leaf_hash(x) for x in LEAVES]
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, proof); the reference lists leaves 1-based.
INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (0, 1, []),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]
SOME = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def root(n):
    return bytes.fromhex(ROOTS[n - 1])


def test_reference_roots():
    assert merkle.mth([]).hex() == EMPTY == merkle.EMPTY_ROOT.hex()
    for n in range(1, 9):
        assert merkle.mth(HASHES[:n]).hex() == ROOTS[n - 1]
    assert merkle.node_hash(HASHES[0], HASHES[1]).hex() == ROOTS[1]


def test_split_point_is_the_rfcs_not_the_midpoint():
    assert [merkle.split_point(n) for n in (2, 3, 4, 5, 8, 9, 1000)] == [1, 2, 2, 4, 4, 8, 512]


@pytest.mark.parametrize("index,size,proof", INCLUSION)
def test_reference_inclusion_proofs(index, size, proof):
    assert [p.hex() for p in merkle.inclusion_proof(index, HASHES[:size])] == proof
    assert merkle.verify_inclusion(index, size, HASHES[index], [bytes.fromhex(p) for p in proof], root(size))


@pytest.mark.parametrize("first,second,proof", CONSISTENCY)
def test_reference_consistency_proofs(first, second, proof):
    assert [p.hex() for p in merkle.consistency_proof(first, HASHES[:second])] == proof
    assert merkle.verify_consistency(first, second, root(first), root(second), [bytes.fromhex(p) for p in proof])


def _inclusion_probes(i, n, proof, rt, leaf):
    probes = [(i - 1, n, rt, leaf, proof), (i + 1, n, rt, leaf, proof), (i ^ 2, n, rt, leaf, proof),
              (i, n * 2, rt, leaf, proof), (i, n // 2, rt, leaf, proof), (i, n, rt, b"WrongLeaf", proof),
              (i, n, bytes.fromhex(EMPTY), leaf, proof), (i, n, SOME, leaf, proof), (i, n, rt, leaf, proof + [b""]),
              (i, n, rt, leaf, proof + [rt]), (i, n, rt, leaf, [b""] + proof), (i, n, rt, leaf, [rt] + proof)]
    for k in range(len(proof)):
        bad = list(proof)
        bad[k] = bytes([bad[k][0] ^ 8]) + bad[k][1:]
        probes.append((i, n, rt, leaf, bad))
    if proof:
        probes.append((i, n, rt, leaf, proof[:-1]))
    if len(proof) > 1:
        probes.append((i, n, rt, leaf, [proof[0], SOME] + proof[1:]))
    return probes


@pytest.mark.parametrize("index,size,proof", INCLUSION[:4])
def test_corrupted_inclusion_proofs_fail(index, size, proof):
    proof = [bytes.fromhex(p) for p in proof]
    for i, n, rt, leaf, p in _inclusion_probes(index, size, proof, root(size), HASHES[index]):
        assert not merkle.verify_inclusion(i, n, leaf, p, rt), (i, n, len(p))


@pytest.mark.parametrize("first,second,proof", CONSISTENCY[1:])
def test_corrupted_consistency_proofs_fail(first, second, proof):
    proof, r1, r2 = [bytes.fromhex(p) for p in proof], root(first), root(second)
    probes = [(first - 1, second, r1, r2, proof), (first + 1, second, r1, r2, proof),
              (first ^ 2, second, r1, r2, proof), (first, second * 2, r1, r2, proof),
              (first, second // 2, r1, r2, proof), (first, second, b"WrongRoot", r2, proof),
              (first, second, r1, b"WrongRoot", proof), (first, second, r2, r1, proof),
              (first, second, r1, r2, []), (first, second, r1, r2, proof + [b""]),
              (first, second, r1, r2, proof + [r1]), (first, second, r1, r2, proof + [r2]),
              (first, second, r1, r2, [b""] + proof), (first, second, r1, r2, [r1] + proof),
              (first, second, r1, r2, [r2] + proof), (first, second, r1, r2, [proof[0]] + proof),
              (first, second, r1, r2, proof[:-1])]
    for k in range(len(proof)):
        bad = list(proof)
        bad[k] = bytes([bad[k][0] ^ 16]) + bad[k][1:]
        probes.append((first, second, r1, r2, bad))
    for m, n, a, b, p in probes:
        assert not merkle.verify_consistency(m, n, a, b, p), (m, n, len(p))


def test_trivial_consistency_cases():
    e = bytes.fromhex(EMPTY)
    assert merkle.verify_consistency(0, 0, e, e, [])
    assert merkle.verify_consistency(0, 5, e, root(5), [])
    assert merkle.verify_consistency(3, 3, root(3), root(3), [])
    assert not merkle.verify_consistency(3, 3, root(3), root(4), [])
    assert not merkle.verify_consistency(3, 3, root(3), root(3), [e])
    assert not merkle.verify_consistency(0, 1, e, root(1), [e])
    assert not merkle.verify_consistency(2, 1, root(2), root(1), [])
    assert not merkle.verify_consistency(1, 2, root(1), root(2), [])
    assert not merkle.verify_inclusion(0, 0, SOME, [], e)
    assert not merkle.verify_inclusion(2, 1, SOME, [], e)


def test_node_keys_are_post_order_and_dense():
    order, stack = [], []
    for _ in range(200):
        merkle.push_leaf(stack, bytes(32), lambda level, _h: order.append(level))
    keys, count = [], 0
    levels = iter(order)
    for leaf in range(200):  # replay: each leaf completes levels 0..trailing zeros of leaf+1
        for level in range(((leaf + 1) & -(leaf + 1)).bit_length()):
            assert next(levels) == level
            keys.append(merkle.node_key(level, (leaf + 1 >> level) - 1))
            count += 1
    assert keys == list(range(merkle.node_count(200))) and count == len(order)
    assert all(merkle.key_to_node(merkle.node_key(lv, i)) == (lv, i) for lv in range(6) for i in range(40))


def test_subtree_nodes_fold_to_the_range_hash():
    hashes = [merkle.leaf_hash(bytes([i])) for i in range(37)]
    get = merkle.list_getter(hashes)
    for a, b in [(0, 37), (32, 37), (16, 21), (36, 37), (0, 1)]:
        assert merkle.range_hash(a, b, get) == merkle.mth(hashes[a:b])
    with pytest.raises(ValueError):
        merkle.subtree_nodes(3, 7)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 300), data=st.data())
def test_every_generated_proof_verifies_and_a_flipped_byte_fails(n, data):
    hashes = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]
    rt = merkle.mth(hashes)
    i = data.draw(st.integers(0, n - 1))
    proof = merkle.inclusion_proof(i, hashes)
    assert merkle.verify_inclusion(i, n, hashes[i], proof, rt)
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        byte = data.draw(st.integers(0, 31))
        bad = list(proof)
        bad[k] = bad[k][:byte] + bytes([bad[k][byte] ^ 1]) + bad[k][byte + 1:]
        assert not merkle.verify_inclusion(i, n, hashes[i], bad, rt)
    m = data.draw(st.integers(1, n))
    cproof = merkle.consistency_proof(m, hashes)
    old = merkle.mth(hashes[:m])
    assert merkle.verify_consistency(m, n, old, rt, cproof)
    if cproof:
        k = data.draw(st.integers(0, len(cproof) - 1))
        bad = list(cproof)
        bad[k] = bytes([bad[k][0] ^ 0x80]) + bad[k][1:]
        assert not merkle.verify_consistency(m, n, old, rt, bad)
        assert not merkle.verify_consistency(m, n, old, merkle.leaf_hash(b"x"), cproof)


def test_pure_modules_import_without_django():
    code = ("import sys; from zhifa.ledger import merkle, pure; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
            "[m for m in sys.modules if m.startswith('django')][:3]; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "ok", out.stderr

"""RFC 9162 §2.1 Merkle tree hashing, proofs and their verification. Pure Python, no Django:
the offline archive verifier imports this module on a machine without the application.

Hashes are 32-byte `bytes`. D[a:b] is the list of leaves a..b-1.

Storage helpers: the log stores the hash of every *complete, aligned* subtree — level l, index i
covers leaves [i·2^l, (i+1)·2^l) — under one integer key, its post-order position
(`node_key`). Post-order is the order in which appends complete subtrees, so keys are dense
(0, 1, 2, …, with no gaps) and grow with the log: appends only ever write the next keys, and a
verifier can recompute the nodes in the same order it streams them back.

Every range the RFC recursion asks MTH of, D[a:b], starts at a multiple of a power of two at
least b-a, so it is a right fold of the complete subtrees of b-a's binary digits
(`subtree_nodes`): O(log n) stored nodes per range.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


# ---- tree hash over an in-memory list of leaf hashes -------------------------------------------

def mth(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) from the leaf hashes (iteratively: a stack of complete subtrees, folded right)."""
    stack: list[tuple[int, bytes]] = []
    for h in leaf_hashes:
        push_leaf(stack, h)
    return fold(stack)


def push_leaf(stack: list[tuple[int, bytes]], h: bytes, emit: Callable[[int, bytes], None] | None = None) -> None:
    """Append one leaf hash to a stack of (level, hash) complete subtrees, merging equal levels.
    `emit(level, hash)` is called for every completed subtree, leaf first, in post-order."""
    level = 0
    if emit:
        emit(0, h)
    while stack and stack[-1][0] == level:
        _, left = stack.pop()
        h = node_hash(left, h)
        level += 1
        if emit:
            emit(level, h)
    stack.append((level, h))


def fold(stack: Sequence[tuple[int, bytes]]) -> bytes:
    """Root of the tree whose complete subtrees (largest first) are `stack`: a right fold."""
    if not stack:
        return EMPTY_ROOT
    h = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        h = node_hash(left, h)
    return h


# ---- which ranges a proof consists of (RFC 9162 §2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF) ---------

def inclusion_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """PATH(m, D[n]) as the ranges (a, b) whose MTH(D[a:b]) form the proof, in proof order."""
    if not 0 <= m < n:
        raise ValueError(f"leaf index {m} outside tree of size {n}")
    out: list[tuple[int, int]] = []
    lo, hi = 0, n
    while hi - lo > 1:
        k = split_point(hi - lo)
        if m - lo < k:  # PATH(m, D[0:k]) : MTH(D[k:n])
            out.append((lo + k, hi))
            hi = lo + k
        else:  # PATH(m - k, D[k:n]) : MTH(D[0:k])
            out.append((lo, lo + k))
            lo += k
    out.reverse()  # the recursion appends on the way back up: deepest sibling first
    return out


def consistency_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as ranges, in proof order (0 < m <= n)."""
    if not 0 < m <= n:
        raise ValueError(f"consistency between sizes {m} and {n}")
    out: list[tuple[int, int]] = []
    lo, hi, b = 0, n, True
    while True:
        size, mm = hi - lo, m - lo
        if mm == size:  # SUBPROOF(m, D[m], b): {} if b else {MTH(D[m])}
            if not b:
                out.append((lo, hi))
            break
        k = split_point(size)
        if mm <= k:  # SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            out.append((lo + k, hi))
            hi = lo + k
        else:  # SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            out.append((lo, lo + k))
            lo, b = lo + k, False
    out.reverse()  # collected outermost first; the recursion emits the innermost first
    return out


def subtree_nodes(a: int, b: int) -> list[tuple[int, int]]:
    """The complete aligned subtrees (level, index), left to right, whose right fold is MTH(D[a:b])."""
    if not 0 <= a < b:
        raise ValueError(f"empty or negative range [{a}, {b})")
    out = []
    pos = a
    for level in range((b - a).bit_length() - 1, -1, -1):
        if (b - a) >> level & 1:
            if pos % (1 << level):
                raise ValueError(f"range [{a}, {b}) is not aligned")
            out.append((level, pos >> level))
            pos += 1 << level
    return out


def frontier(n: int) -> list[tuple[int, int]]:
    """The complete subtrees covering D[0:n] (the stack after n appends), largest first."""
    return subtree_nodes(0, n) if n else []


def node_key(level: int, index: int) -> int:
    """Post-order position of the subtree. Appending leaf L-1 completes the subtrees of levels
    0..t (t = trailing zeros of L) in that order, after the node_count(L-1) earlier ones; this one
    is completed by leaf L-1 = (index+1)·2^level - 1 at its level."""
    return node_count(((index + 1) << level) - 1) + level


def node_count(n: int) -> int:
    """How many complete subtrees (stored nodes) a log of n leaves has."""
    return 2 * n - n.bit_count()


def key_to_node(key: int) -> tuple[int, int]:
    """Inverse of node_key (for messages): the smallest L with node_count(L) > key."""
    lo, hi = 1, key + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if node_count(mid) > key:
            hi = mid
        else:
            lo = mid + 1
    level = key - node_count(lo - 1)
    return level, (lo >> level) - 1


def range_hash(a: int, b: int, get: Callable[[int, int], bytes]) -> bytes:
    """MTH(D[a:b]) from the stored subtree hashes `get(level, index)`."""
    return fold([(lv, get(lv, i)) for lv, i in subtree_nodes(a, b)])


# ---- proofs over an in-memory list (tests, offline tools) ---------------------------------------

def list_getter(leaf_hashes: Sequence[bytes]) -> Callable[[int, int], bytes]:
    def get(level: int, index: int) -> bytes:
        return mth(leaf_hashes[index << level:(index + 1) << level])
    return get


def inclusion_proof(m: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    get = list_getter(leaf_hashes)
    return [range_hash(a, b, get) for a, b in inclusion_ranges(m, len(leaf_hashes))]


def consistency_proof(m: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    get = list_getter(leaf_hashes)
    return [range_hash(a, b, get) for a, b in consistency_ranges(m, len(leaf_hashes))]


# ---- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ---------------------------------------------

def _hashes_ok(*items: Iterable[bytes] | bytes) -> bool:
    for item in items:
        for h in ([item] if isinstance(item, (bytes, bytearray)) else item):
            if not isinstance(h, (bytes, bytearray)) or len(h) != HASH_SIZE:
                return False
    return True


def verify_inclusion(leaf_index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    if not _hashes_ok(leaf, root, proof) or not 0 <= leaf_index < tree_size:  # step 1
        return False
    fn, sn, r = leaf_index, tree_size - 1, bytes(leaf)  # steps 2, 3
    for p in proof:  # step 4
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root  # step 5


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2 for 0 < first < second. The edge cases the RFC leaves to the caller are
    decided as Certificate Transparency's reference code does: equal sizes need an empty proof
    and equal roots; first == 0 is consistent with anything, with an empty proof."""
    if not _hashes_ok(proof) or not 0 <= first <= second:
        return False
    if first == second:
        return not proof and _hashes_ok(first_root, second_root) and first_root == second_root
    if first == 0:
        return not proof
    if not _hashes_ok(first_root, second_root) or not proof:  # step 1
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # step 2: first is a power of two
        path.insert(0, bytes(first_root))
    fn, sn = first - 1, second - 1  # step 3
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0  # step 7

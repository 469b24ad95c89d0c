"""What an insider holding the database and the log's signing key does to rewrite history without
`zhifa verify` noticing: alter an entry, rebuild every leaf and node hash, reset the head, and
re-sign every tree head (same sizes and times, new roots) with the real key."""
import json

from zhifa.ledger import merkle, signing
from zhifa.ledger.appendonly import ledger_unlocked
from zhifa.ledger.models import LedgerEntry, LedgerHead, LedgerNode, TreeHead
from zhifa.ledger.pure import canonical_json, tree_head_message
from zhifa.witness.models import Cosignature


def rewrite_log(seq: int, change=None) -> None:
    change = change or (lambda doc: doc["data"].update(altered=True))
    with ledger_unlocked():
        heads = list(TreeHead.objects.order_by("id").values_list("tree_size", "timestamp"))
        Cosignature.objects.all().delete()  # the witnesses' evidence on the platform goes too
        TreeHead.objects.all().delete()
        LedgerNode.objects.all().delete()
        sizes = {size for size, _ in heads}
        roots = {0: merkle.EMPTY_ROOT}
        stack: list = []
        nodes: list[bytes] = []
        for e in LedgerEntry.objects.order_by("seq").iterator():
            leaf = bytes(e.leaf_hash)
            if e.seq == seq:
                doc = json.loads(e.body)
                change(doc)
                body = canonical_json(doc)
                leaf = merkle.leaf_hash(body)
                LedgerEntry.objects.filter(seq=seq).update(body=body.decode("utf-8"), leaf_hash=leaf)
            merkle.push_leaf(stack, leaf, lambda _level, h: nodes.append(h))
            if e.seq + 1 in sizes:
                roots[e.seq + 1] = merkle.fold(stack)
        LedgerNode.objects.bulk_create([LedgerNode(key=k, hash=h) for k, h in enumerate(nodes)])
        LedgerHead.objects.filter(pk=1).update(root=merkle.fold(stack).hex())
        for size, ts in heads:
            root = roots[size].hex()
            TreeHead.objects.create(tree_size=size, root_hash=root, timestamp=ts, key_id=signing.key_id(),
                                    public_key=signing.public_key_hex(),
                                    signature=signing.sign(tree_head_message(size, root, ts)))

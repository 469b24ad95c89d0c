"""Demo step: a witness (the county justice bureau's, in the demo) co-signs the log, so the public
heads page shows a co-signature on a fresh demo. Its directory is DATA_DIR/demo-witness: the same
`zhifa witness check --url http://127.0.0.1:8000 --dir <DATA_DIR>/demo-witness --submit` a real
witness runs works against the demo server."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.common.registry import demo_steps
from zhifa.ledger import log as ledger
from zhifa.witness import actions, client
from zhifa.witness.models import WitnessKey

NAME = "七星关区司法局（演示见证方）"


@demo_steps.register("witness", order=1000)  # type: ignore[untyped-decorator]  # last: co-signs what the others wrote
def witness_step(demo: Any) -> None:
    d = Path(settings.DATA_DIR) / "demo-witness"
    if not (d / client.STATE_FILE).exists():
        client.init(d, None, lambda _line: None)
    state = client.load_state(d)
    with transaction.atomic():
        wk = WitnessKey.objects.filter(public_key=state["public_key"]).first()
        if wk is None:
            wk = actions.do_register_witness_key(NAME, state["public_key"], acting_user=demo.admin,
                                                 note="演示数据：见证方目录在数据目录 demo-witness/")
        head = ledger.sign_tree_head().as_dict()
    signature = client.cosign(client._private_key(d), head)
    actions.do_accept_cosignature(tree_size=head["tree_size"], root_hash=head["root_hash"],
                                  timestamp=head["timestamp"], public_key=wk.public_key, signature=signature)
    demo.log(f"  witness: {wk.name} 已联署树头（{head['tree_size']} 条），见 /gs/ledger/heads/")

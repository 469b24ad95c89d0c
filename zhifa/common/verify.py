"""Personal data at rest in `zhifa verify` (issue 16 item 5): the data keys load, every encrypted
column holds ciphertext (no plaintext row left behind by a migration, a raw import or an edit behind
the application), every ciphertext names a key of the ring and decrypts with it; rows still under an
older key are a note (run `zhifa rotate-data-key`)."""
from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from zhifa.common import datakeys
from zhifa.common.dataencrypt import _raw, _stale, models_with_personal_data
from zhifa.common.fields import encrypted_fields
from zhifa.ledger.verify import CHUNK, Discrepancy, check

SHOWN = 5


@check
def personal_data_encrypted() -> Iterator[Discrepancy]:
    try:
        ring = datakeys.ring()
    except datakeys.DataKeyError as e:
        yield Discrepancy("common.data_key", "ZHIFA_DATA_KEY_FILE", str(e))
        return
    current = ring[0].kid
    known = [k.kid for k in ring]
    for model in models_with_personal_data():
        fields = encrypted_fields(model)
        table = model._meta.db_table
        base = _raw(model._base_manager.all(), fields)
        plain = base.filter(_stale(model, fields, None))
        n = plain.count()
        if n:
            pks = list(plain.order_by("pk").values_list("pk", flat=True)[:5])
            yield Discrepancy("common.personal_data_plaintext", table,
                              f"{n} 行个人信息未加密（如 pk={', '.join(map(str, pks))}）：请运行 zhifa rotate-data-key")
        unknown = Q()
        for kid in known:
            unknown &= _stale(model, fields, kid)
        foreign = base.filter(unknown).exclude(pk__in=plain.values("pk"))
        n = foreign.count()
        if n:
            yield Discrepancy("common.data_key_unknown", table,
                              f"{n} 行个人信息的密文所用密钥不在当前密钥中（ZHIFA_DATA_KEY_FILE）")
        old = base.filter(_stale(model, fields, current)).count()
        if old:
            yield Discrepancy("common.data_key_old", table, f"{old} 行仍以旧密钥加密：请运行 zhifa rotate-data-key",
                              failure=False)
        # Every value decrypts with its key (a changed byte or a wrong key fails the SM4-GCM tag).
        names = [f.name for f in fields]
        bad = 0
        for row in base.order_by("pk").values_list("pk", *[f"_raw_{n}" for n in names]).iterator(chunk_size=CHUNK):
            for f, raw in zip(fields, row[1:]):
                if raw and datakeys.is_ciphertext(raw) and datakeys.key_id_of(raw) in known:
                    try:
                        datakeys.decrypt(raw, f.aad)
                    except datakeys.DataKeyError as e:
                        bad += 1
                        if bad <= SHOWN:
                            yield Discrepancy("common.personal_data_undecryptable", f"{table} pk={row[0]}",
                                              f"字段 {f.name}：{e}")
        if bad > SHOWN:  # a wrong key fails every row: the first few and the count
            yield Discrepancy("common.personal_data_undecryptable", table, f"另有 {bad - SHOWN} 个值无法解密")

"""Encrypting existing rows (the data migrations) and re-encrypting them under a new key (rotation).

Both work in batches of primary keys, each batch its own transaction, so a long run holds no lock
for long and a run cut short is resumed by running it again: rotation picks the rows whose
ciphertext still names another key, the migration the rows whose columns are not yet ciphertext.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps as global_apps
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from zhifa.common import datakeys
from zhifa.common.fields import blind_index_fields, encrypted_fields

BATCH = 500


def models_with_personal_data() -> list[type[models.Model]]:
    return [m for m in global_apps.get_models() if encrypted_fields(m) and not m._meta.proxy]


def _stale(model: type[models.Model], fields: list[Any], kid: str | None) -> Q:
    """Rows with a non-empty column not (yet) ciphertext under `kid` (any key when kid is None)."""
    q = Q()
    prefix = f"{datakeys.PREFIX}:{kid}:" if kid else f"{datakeys.PREFIX}:"
    for f in fields:
        c = f"_raw_{f.name}"
        q |= (Q(**{f"{c}__isnull": False}) & ~Q(**{f"{c}__in": ["", "[]", "{}"]})
              & ~Q(**{f"{c}__startswith": prefix}))
    return q


def _raw(qs: models.QuerySet[Any], fields: list[Any]) -> models.QuerySet[Any]:
    return qs.annotate(**{f"_raw_{f.name}": Cast(f.name, TextField()) for f in fields})


def pending(model: type[models.Model], kid: str | None) -> models.QuerySet[Any]:
    fields = encrypted_fields(model)
    return _raw(model._base_manager.all(), fields).filter(_stale(model, fields, kid)).order_by("pk")


def reencrypt(model: type[models.Model], kid: str | None, *, batch: int = BATCH,
              after_batch: Callable[[list[models.Model]], None] | None = None) -> Iterator[int]:
    """Re-write every row of `model` not under `kid` (None: every row not yet encrypted) with the
    current key and recompute its blind indexes; yields the number of rows of each batch."""
    names = [f.name for f in encrypted_fields(model)] + [f.name for f in blind_index_fields(model)]
    last = None
    while True:
        with transaction.atomic():
            qs = pending(model, kid)
            if last is not None:
                qs = qs.filter(pk__gt=last)
            pks = list(qs.values_list("pk", flat=True)[:batch])
            if not pks:
                return
            objs = list(model._base_manager.select_for_update().filter(pk__in=pks).order_by("pk"))
            model._base_manager.bulk_update(objs, names)
            if after_batch is not None:
                after_batch(objs)
        last = pks[-1]
        yield len(objs)


def encrypt_existing(app_label: str, model_name: str) -> Callable[[Any, Any], None]:
    """RunPython forward: encrypt the plaintext rows of a model whose fields just became encrypted."""
    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for _ in reencrypt(model, None):
            pass
    return forward


def decrypt_existing(app_label: str, model_name: str) -> Callable[[Any, Any], None]:
    """RunPython backward: write the plaintext back (before the fields turn back into plain ones)."""
    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        fields = encrypted_fields(model)
        table, conn = model._meta.db_table, schema_editor.connection
        qn = conn.ops.quote_name
        with conn.cursor() as cursor:
            for obj in model._base_manager.order_by("pk").iterator(chunk_size=BATCH):
                for f in fields:
                    value = getattr(obj, f.attname)
                    if value in (None, ""):
                        continue
                    text = f.to_text(value)
                    cursor.execute(f"UPDATE {qn(table)} SET {qn(f.column)} = %s WHERE {qn(model._meta.pk.column)} = %s",
                                   [text, obj.pk])
    return backward

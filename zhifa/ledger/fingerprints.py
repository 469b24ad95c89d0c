"""fingerprint(obj): SHA-256 of the canonical JSON of a row's ledger fields.

The same row must give the same fingerprint whether it is the object just saved (values as the
caller assigned them: a Decimal given as "100", a naive datetime, a tuple in a JSON field) or the
row read back from SQLite or PostgreSQL. So every value goes through the field's own to_python
and then to one text form per type:

  foreign key      the raw id (the target's key, normalised the same way)
  Decimal          fixed decimal places of the field ("100.00")
  datetime         UTC, ISO 8601 with microseconds, "+00:00"
  date / time      ISO 8601 (time with microseconds)
  duration         whole microseconds (int)
  JSON             a JSON round trip (tuples become lists, keys strings), sorted by canonical_json
  binary           hex;  UUID, IP address, file: text;  bool, int, float, str, None: as they are
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhifa.ledger.pure import canonical_json


def ledger_field_objects(model: type[models.Model]) -> list[Any]:
    names = getattr(model, "ledger_fields", None)
    if names is None:
        return list(model._meta.concrete_fields)
    return [model._meta.get_field(n) for n in names]


def fingerprint_data(obj: models.Model) -> dict[str, Any]:
    return {f.name: normalise(f, getattr(obj, f.attname)) for f in ledger_field_objects(type(obj))}


def fingerprint(obj: models.Model) -> str:
    return hashlib.sha256(canonical_json(fingerprint_data(obj))).hexdigest()


def normalise(field: Any, value: Any) -> Any:
    if value is None:
        return None
    if field.is_relation:
        return normalise(field.target_field, value)
    if isinstance(field, models.JSONField):
        return json.loads(json.dumps(value, cls=field.encoder))
    if isinstance(field, models.FileField):
        return getattr(value, "name", None) or (str(value) if value else "")
    if isinstance(field, models.BinaryField):
        return bytes(value).hex()
    value = _array(field, value)
    if isinstance(value, list):
        return value
    value = field.to_python(value)
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        places = decimal.Decimal(1).scaleb(-field.decimal_places) if field.decimal_places is not None else None
        d = decimal.Decimal(value)
        return format(d.quantize(places) if places is not None else d.normalize(), "f")
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value) and settings.USE_TZ:
            # What Django does on save: naive means the default time zone.
            value = timezone.make_aware(value, timezone.get_default_timezone())
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    return value


def _array(field: Any, value: Any) -> Any:
    """PostgreSQL ArrayField: each element normalised by the base field."""
    base = getattr(field, "base_field", None)
    if base is not None and isinstance(value, (list, tuple)):
        return [normalise(base, v) for v in value]
    return value

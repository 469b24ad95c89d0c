"""Encrypted model fields for personal data (SM4-GCM) and their keyed SM3 blind indexes.

    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, validators=[…])
    id_number_bidx = BlindIndexField(source="id_number", kind="id_number")

The attribute holds the plaintext; the column holds `sm4g1:<key id>:…` (zhifa/common/datakeys.py).
An empty value stays empty (so is None). max_length still limits the plaintext (the column is text).
The only look-ups on the encrypted column are `isnull` and `exact ""`; an exact look-up of a value
goes through the blind index: `Party.objects.filter(match(Party, "id_number", value))`.

The change log keeps a keyed digest of the value, never the plaintext (`change_log_value`), and the
blind index is not logged at all (derived); `zhifa verify`'s row drift compares the digest.
"""
from __future__ import annotations

import contextlib
import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact, IsNull

from zhifa.common import datakeys


class EncryptedMixin:
    """Shared by the encrypted fields: the column's associated data, encryption, the log digest."""

    encrypted = True
    name: str
    model: type[models.Model]

    @property
    def aad(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def encrypt_value(self, value: Any, key: datakeys.DataKey | None = None) -> Any:
        if value is None or value == "":
            return value
        return datakeys.encrypt(self.to_text(value), self.aad, key)

    def decrypt_value(self, value: Any) -> Any:
        if value is None or value == "" or not isinstance(value, str):
            return value
        if datakeys.is_ciphertext(value):
            return self.from_text(datakeys.decrypt(value, self.aad))
        return self.from_text(value)  # a row not yet encrypted (before its migration): `zhifa verify` reports it

    def from_db_value(self, value, expression, connection):
        return self.decrypt_value(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)  # type: ignore[misc]
        return self.encrypt_value(value)

    def change_log_value(self, value: Any) -> Any:
        if value is None or value == "" or value == [] or value == {}:
            return value
        return datakeys.digest(self.aad, self.to_text(value))

    def same_as_logged(self, logged: Any, value: Any) -> bool:
        if logged in (None, "", [], {}) or value in (None, "", [], {}):
            return logged == value or (not logged and not value)
        if isinstance(logged, str) and logged.startswith(datakeys.DIGEST_PREFIX + ":"):
            same = datakeys.same_digest(self.aad, logged, self.to_text(value))
            return True if same is None else same  # a retired key: the rotation's own log row is newer
        return logged == value or str(logged) == self.to_text(value)  # logged before encryption

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None  # "Unsupported lookup": search through the blind index (match())


class EmptyOnlyExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"加密字段 {self.lhs.target.name} 不能按明文查询：请用盲索引（zhifa.common.fields.match）")
        return super().get_prep_lookup()


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField whose column holds its SM4-GCM ciphertext (a text column: ciphertext is longer)."""

    def get_internal_type(self):
        return "TextField"


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """JSON (dict/list) kept encrypted in a text column; not queryable inside."""

    def to_text(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          cls=_encoder())

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def decrypt_value(self, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return value  # a PostgreSQL jsonb column read before its migration
        return super().decrypt_value(value)

    def encrypt_value(self, value: Any, key: datakeys.DataKey | None = None) -> Any:
        if value is None:
            return None
        if value == [] or value == {}:
            return self.to_text(value)  # "[]", "{}": emptiness is no personal data (and bulk COPY defaults)
        return datakeys.encrypt(self.to_text(value), self.aad, key)

    def get_prep_value(self, value):
        return value

    def to_python(self, value):
        if isinstance(value, str) and value[:1] in "[{":
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj):
        return self.to_text(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return None


def _encoder():
    from django.core.serializers.json import DjangoJSONEncoder

    return DjangoJSONEncoder


class _BlindIndexAttribute:
    """Reads the index computed from the source field's current value (never a stale one)."""

    def __init__(self, field: BlindIndexField) -> None:
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, self.field.source)
        return datakeys.blind_index(self.field.kind, value or "") or None

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value  # loaded/deferred bookkeeping only


class BlindIndexField(models.CharField):
    """HMAC-SM3 of the normalised value of `source` (datakeys.blind_index): exact look-ups, uniqueness."""

    descriptor_class = _BlindIndexAttribute  # type: ignore[assignment]

    def __init__(self, *args, source: str = "", kind: str = "text", **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs["null"], kwargs["blank"], kwargs["editable"] = True, True, False
        kwargs.setdefault("db_index", not kwargs.get("unique"))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        for k in ("null", "blank", "editable"):
            kwargs.pop(k, None)
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        if self.verbose_name is None or self.verbose_name == name.replace("_", " "):
            # A uniqueness error names the source ("身份证号"), not the index (declared after its source).
            with contextlib.suppress(FieldDoesNotExist):
                self.verbose_name = cls._meta.get_field(self.source).verbose_name

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        model_instance.__dict__[self.attname] = value
        return value


def bidx_field(model: type[models.Model], source: str) -> BlindIndexField:
    for f in model._meta.concrete_fields:
        if isinstance(f, BlindIndexField) and f.source == source:
            return f
    raise FieldError(f"{model._meta.label}.{source} 没有盲索引")


def match(model: type[models.Model], source: str, value: str, path: str = "") -> Q:
    """Q for rows of `model` (reached through `path`, e.g. "parties__") whose `source` equals `value`
    once normalised: its blind index under every key of the ring (look-ups work mid-rotation)."""
    f = bidx_field(model, source)
    found = datakeys.blind_indexes(f.kind, value)
    if not found:
        return Q(pk__in=[])
    return Q(**{f"{path}{f.name}__in": found})


def match_any(model: type[models.Model], source: str, values: list[str], path: str = "") -> Q:
    """Q for rows whose `source` equals one of `values` (blind indexes under every key of the ring)."""
    f = bidx_field(model, source)
    found = [b for v in values for b in datakeys.blind_indexes(f.kind, v)]
    return Q(**{f"{path}{f.name}__in": found}) if found else Q(pk__in=[])


def encrypted_search(model: type[models.Model], name: str, q: str) -> Q:
    """A list page's search on an encrypted field: only the whole value, through its blind index."""
    try:
        return match(model, name, q)
    except FieldError:
        return Q(pk__in=[])  # encrypted without an index (an address): not searchable


def encrypted_fields(model: type[models.Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]

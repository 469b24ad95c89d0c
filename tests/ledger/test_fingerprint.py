"""fingerprint(obj): the object just saved and the row read back give the same fingerprint, for
every field type, on whichever database runs the tests."""
import datetime as dt
import decimal
import uuid
import zoneinfo

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from zhifa.ledger.fingerprints import fingerprint, fingerprint_data

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def probe_models(transactional_db):
    """Throw-away tables (schema editor needs to be outside a transaction on SQLite)."""
    with isolate_apps("zhifa.ledger"):
        class Target(models.Model):
            class Meta:
                app_label = "ledger"
                db_table = "ledger_test_target"

        class CodeTarget(models.Model):
            code = models.CharField(max_length=10, primary_key=True)

            class Meta:
                app_label = "ledger"
                db_table = "ledger_test_codetarget"

        class Probe(models.Model):
            char = models.CharField(max_length=50)
            text = models.TextField()
            small = models.SmallIntegerField()
            integer = models.IntegerField()
            big = models.BigIntegerField()
            positive = models.PositiveIntegerField()
            real = models.FloatField()
            money = models.DecimalField(max_digits=12, decimal_places=2)
            coord = models.DecimalField(max_digits=9, decimal_places=6, null=True)
            flag = models.BooleanField()
            maybe = models.BooleanField(null=True)
            day = models.DateField()
            moment = models.DateTimeField()
            naive_moment = models.DateTimeField()
            clock = models.TimeField()
            span = models.DurationField()
            uid = models.UUIDField()
            doc = models.JSONField()
            raw = models.BinaryField()
            ip = models.GenericIPAddressField()
            email = models.EmailField()
            slug = models.SlugField()
            url = models.URLField()
            attachment = models.FileField(upload_to="x/")
            target = models.ForeignKey(Target, on_delete=models.CASCADE)
            code_target = models.ForeignKey(CodeTarget, on_delete=models.CASCADE)
            nothing = models.ForeignKey(Target, on_delete=models.CASCADE, null=True, related_name="+")
            empty = models.CharField(max_length=5, null=True)

            class Meta:
                app_label = "ledger"
                db_table = "ledger_test_probe"

        class Chosen(models.Model):
            a = models.CharField(max_length=5)
            b = models.CharField(max_length=5)
            ledger_fields = ("a",)

            class Meta:
                app_label = "ledger"
                db_table = "ledger_test_chosen"

        all_models = (Target, CodeTarget, Probe, Chosen)
        with connection.schema_editor() as editor:
            for m in all_models:
                editor.create_model(m)
        try:
            yield {m.__name__: m for m in all_models}
        finally:
            with connection.schema_editor() as editor:
                for m in reversed(all_models):
                    editor.delete_model(m)


def test_round_trip_for_every_field_type(probe_models, settings):
    Target, CodeTarget, Probe = probe_models["Target"], probe_models["CodeTarget"], probe_models["Probe"]
    t = Target.objects.create()
    c = CodeTarget.objects.create(code="A-1")
    obj = Probe(
        char="执法", text="多行\n文本", small=-3, integer=2**31 - 1, big=2**62, positive=7, real=0.1,
        money="100", coord=decimal.Decimal("26.5"), flag=True, maybe=None, day="2026-03-02",
        moment=dt.datetime(2026, 3, 2, 9, 30, 1, 123456, tzinfo=SHANGHAI),
        naive_moment=dt.datetime(2026, 3, 2, 9, 30), clock=dt.time(8, 5, 3, 7),
        span=dt.timedelta(days=2, seconds=5, microseconds=9), uid=uuid.UUID(int=12345),
        doc={"b": [1, 2.5, ("t", "u")], "a": {"中": None, "z": True}, 3: "int key"},
        raw=b"\x00\xff", ip="192.168.0.1", email="a@b.cn", slug="s-1", url="https://example.cn/a",
        attachment="x/a.pdf", target=t, code_target=c, nothing=None, empty=None,
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the naive datetime, on purpose
        obj.save()
    saved = fingerprint(obj)
    back = Probe.objects.get(pk=obj.pk)
    assert fingerprint_data(back) == fingerprint_data(obj)
    assert fingerprint(back) == saved
    data = fingerprint_data(back)
    assert data["money"] == "100.00" and data["coord"] == "26.500000"
    assert data["moment"] == "2026-03-02T01:30:01.123456+00:00"
    assert data["naive_moment"] == "2026-03-02T01:30:00.000000+00:00"  # naive = Asia/Shanghai, as Django saves it
    assert data["day"] == "2026-03-02" and data["clock"] == "08:05:03.000007"
    assert data["span"] == (2 * 86400 + 5) * 1_000_000 + 9
    assert data["doc"] == {"3": "int key", "a": {"z": True, "中": None}, "b": [1, 2.5, ["t", "u"]]}
    assert data["raw"] == "00ff" and data["uid"] == str(uuid.UUID(int=12345))
    assert data["target"] == t.pk and data["code_target"] == "A-1" and data["nothing"] is None
    assert data["attachment"] == "x/a.pdf" and data["flag"] is True and data["maybe"] is None
    assert data["id"] == obj.pk
    back.money = decimal.Decimal("100.01")
    assert fingerprint(back) != saved


def test_ledger_fields_choose_what_is_fingerprinted(probe_models):
    Chosen = probe_models["Chosen"]
    one = Chosen.objects.create(a="x", b="1")
    two = Chosen.objects.create(a="x", b="2")
    assert fingerprint_data(one) == {"a": "x"} and fingerprint(one) == fingerprint(two)

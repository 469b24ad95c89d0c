"""Personal data at rest (issue 16 item 5): SM4-GCM columns, SM3 blind indexes, key rotation.

The demo is seeded once for the module (about 2 s, as tests/orgs/test_seed.py); a raw dump of every
table (SELECT * through the database cursor, on SQLite and on PostgreSQL alike) must then hold none of
the parties', officers' or complainants' ID numbers and phone numbers, while the application still
finds a party by its ID number, also after `zhifa rotate-data-key`. The raw SQLite *file* of a seeded
demo is grepped by the slow test at the end.
"""
from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from zhifa.cases.models import Party
from zhifa.common import datakeys
from zhifa.common.dataencrypt import models_with_personal_data
from zhifa.common.fields import match
from zhifa.common.models import ChangeLog
from zhifa.common.verify import personal_data_encrypted
from zhifa.disclosure.models import Complaint
from zhifa.ledger.drift import check_row_drift
from zhifa.orgs.models import Officer, User
from zhifa.site.demo import seed

pytestmark = pytest.mark.django_db
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST):
        with transaction.atomic():
            seed("county")
            yield
            transaction.set_rollback(True)


@pytest.fixture
def keyfile(settings, tmp_path):
    """Point ZHIFA_DATA_KEY_FILE at a file of the test's making; the demo key is restored after."""
    def write(*lines: str) -> Path:
        path = tmp_path / "data.keys"
        path.write_text("\n".join(lines) + "\n")
        settings.ZHIFA_DATA_KEY_FILE = str(path)
        datakeys.clear_cache()
        return path
    yield write
    datakeys.clear_cache()


def demo_key_line() -> str:
    k = datakeys._load()[0]
    return f"{k[0]} {k[1].hex()}"


def secrets_of_demo() -> set[str]:
    found: set[str] = set()
    for model, names in ((Party, ("id_number", "phone")), (Officer, ("id_number", "phone")),
                         (Complaint, ("contact",))):
        for row in model.objects.values_list(*names):
            found.update(v for v in row if v and len(v) >= 7)
    return found


def raw_dump() -> str:
    """Every value of every table, as the database returns it without the ORM."""
    out = []
    with connection.cursor() as c:
        for table in connection.introspection.table_names():
            c.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in c.fetchall():
                for v in row:
                    if isinstance(v, (bytes, memoryview)):
                        v = bytes(v).decode("latin-1")
                    out.append(str(v))
    return "\n".join(out)


def person(seeded_only=True) -> Party:
    return Party.objects.filter(kind="person").exclude(id_number="").order_by("pk").first()


# ---- the construction --------------------------------------------------------------------------------

def test_sm4_gcm_round_trip_is_bound_to_its_column_and_detects_tampering():
    ct = datakeys.encrypt("520502198001010011", "cases.party.id_number")
    assert ct.startswith(f"sm4g1:{datakeys.current().kid}:") and "520502198001010011" not in ct
    assert datakeys.encrypt("520502198001010011", "cases.party.id_number") != ct  # random nonce
    assert datakeys.decrypt(ct, "cases.party.id_number") == "520502198001010011"
    with pytest.raises(datakeys.DataKeyError, match="解密失败"):
        datakeys.decrypt(ct, "orgs.officer.id_number")  # moved to another column
    tampered = ct[:-3] + ("A" if ct[-3] != "A" else "B") + ct[-2:]
    with pytest.raises(datakeys.DataKeyError, match="密文被改动"):
        datakeys.decrypt(tampered, "cases.party.id_number")


def test_blind_index_normalises_and_is_keyed():
    assert datakeys.blind_index("id_number", " 52050219800101001x ") == datakeys.blind_index("id_number", "52050219800101001X")
    assert datakeys.blind_index("phone", "0857-8221234") == datakeys.blind_index("phone", "0857 822 1234")
    other = datakeys.DataKey.derive("other", bytes(32))
    assert datakeys.blind_index("phone", "13800001111", other) != datakeys.blind_index("phone", "13800001111")
    assert datakeys.blind_index("phone", "") == ""


def test_key_file_errors_are_clear(keyfile, tmp_path, settings):
    for text, message in (("k1 zz", "不是十六进制"), ("k1 00", "过短"), ("", "没有密钥"), ("a b c", "格式应为")):
        keyfile(text)
        with pytest.raises(datakeys.DataKeyError, match=message):
            datakeys.ring()
    settings.ZHIFA_DATA_KEY_FILE = str(tmp_path / "missing.keys")
    datakeys.clear_cache()
    with pytest.raises(datakeys.DataKeyError, match="数据密钥文件不存在.*ZHIFA_DATA_KEY_FILE"):
        datakeys.ring()


def test_kms_hook(settings):
    settings.ZHIFA_DATA_KEY_PROVIDER = "tests.common.test_personal_data.fake_kms"
    datakeys.clear_cache()
    try:
        assert datakeys.current().kid == "kms1"
    finally:
        datakeys.clear_cache()


def fake_kms():
    return [("kms1", bytes(range(32)))]


# ---- the demo's data ------------------------------------------------------------------------------------

def test_raw_dump_holds_no_id_or_phone_number(seeded):
    secrets = secrets_of_demo()
    assert len(secrets) > 250  # 140 officers' ID numbers and phones, the parties', the complainants'
    dump = raw_dump()
    assert [s for s in secrets if s in dump] == []
    assert "sm4g1:" in dump
    # The change log keeps keyed digests of them, not the values.
    o = Officer.objects.order_by("pk").first()
    log = ChangeLog.objects.filter(content_type__model="officer", object_id=str(o.pk)).latest("id")
    assert log.after["id_number"].startswith("hmac-sm3:") and o.id_number not in str(log.after)
    assert "id_number_bidx" not in log.after


def test_look_ups_by_id_number_still_find(seeded, client):
    p = person()
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    r = client.get(reverse("records-target") + f"?key={p.id_number.lower()}")
    assert r.status_code == 200 and p.case.number in r.content.decode()
    assert list(Party.objects.filter(match(Party, "id_number", p.id_number))) == [p]
    o = Officer.objects.order_by("pk").first()
    r = client.get("/api/v1/officers", {"q": o.id_number}, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and [x["id"] for x in r.json()["items"]] == [o.pk]
    c = Complaint.objects.exclude(contact="").order_by("pk").first()
    phone = "".join(ch for ch in c.contact if ch.isdigit())
    r = client.get("/api/v1/complaints", {"q": phone}, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and c.pk in [x["id"] for x in r.json()["items"]], r.json()
    with pytest.raises(FieldError, match="盲索引"):
        list(Party.objects.filter(id_number=p.id_number))


def test_rotation_then_look_up_and_verify(seeded, keyfile):
    old = demo_key_line()
    new = datakeys.new_key_line("k2026")
    keyfile(new, old)
    out = io.StringIO()
    call_command("rotate-data-key", "--batch", "50", stdout=out)
    assert "已以密钥 k2026 重新加密" in out.getvalue()
    dump = raw_dump()
    assert "sm4g1:k2026:" in dump and f"sm4g1:{old.split()[0]}:" not in dump
    keyfile(new)  # the old key removed from the file
    p = person()
    assert list(Party.objects.filter(match(Party, "id_number", p.id_number))) == [p]
    assert list(personal_data_encrypted()) == []
    tables = {m._meta.db_table for m in models_with_personal_data()}
    assert [d for d in check_row_drift() if d.where.split()[0] in tables] == []  # logged digests, new key
    out = io.StringIO()
    call_command("rotate-data-key", stdout=out)  # nothing left: resumes with nothing to do
    assert "完成：0 行" in out.getvalue()


def test_a_wrong_key_is_a_clear_error(seeded, keyfile):
    keyfile(datakeys.new_key_line(datakeys.current().kid))  # same id, other key material
    with pytest.raises(datakeys.DataKeyError, match="解密失败.*ZHIFA_DATA_KEY_FILE"):
        list(Party.objects.exclude(id_number=""))
    kinds = {d.kind for d in personal_data_encrypted()}
    assert kinds == {"common.personal_data_undecryptable"}
    keyfile(datakeys.new_key_line("elsewhere"))  # a ring without the key the rows name
    with pytest.raises(datakeys.DataKeyError, match="不在当前密钥中"):
        list(Officer.objects.all()[:1])


def test_plaintext_behind_the_application_is_found(seeded):
    p = person()
    with connection.cursor() as c:
        c.execute("UPDATE cases_party SET phone = %s WHERE id = %s", ["13800001111", p.pk])
    found = [d for d in personal_data_encrypted() if d.kind == "common.personal_data_plaintext"]
    assert found and f"pk={p.pk}" in found[0].detail


# ---- the real file -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_seeded_sqlite_file_holds_no_id_number(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                                                            "PYTEST_XDIST_WORKER")}
    env.update(ZHIFA_DEMO="1", ZHIFA_DATA_DIR=str(tmp_path))
    zhifa = str(ROOT / ".venv" / "bin" / "zhifa")
    for cmd in (["migrate", "-v0"], ["seed", "--scale", "county"]):
        subprocess.run([zhifa, *cmd], env=env, check=True, capture_output=True, timeout=600)
    code = ("from zhifa.cases.models import Party; from zhifa.orgs.models import Officer;"
            "print('\\n'.join('V:' + v for m in (Party, Officer) for row in m.objects.values_list('id_number', 'phone')"
            " for v in row if v))")
    out = subprocess.run([zhifa, "shell", "-c", code], env=env, check=True, capture_output=True, text=True,
                         timeout=300).stdout.split()
    out = [v[2:] for v in out if v.startswith("V:")]
    assert len(out) > 250
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("zhifa.sqlite3*"))
    assert [v for v in out if v.encode() in raw] == []

"""The records pages: panel, upload by form, the item page as a logged access, content tokens,
the case's access log, the one-household view, the A/V list and the archive download."""
import io
import zipfile

import pytest
from django.urls import reverse

from tests import factories
from tests.records.conftest import add, jpeg
from zhifa.records.models import AccessLog, RecordItem


@pytest.fixture
def cw(shared_cw):
    """The case world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_cw


def login(client, user):
    client.force_login(user)
    return client


def test_panel_lists_and_adds_by_form(client, cw):
    case = factories.case(cw)
    c = login(client, cw["u1"])
    url = reverse("records-case", args=[case.pk])
    assert "登记记录" in c.get(url).content.decode()
    f = jpeg()
    f.name = "现场.jpg"
    resp = c.post(url, {"title": "现场照片", "proves": "过期食品在售", "collectors": [cw["h1"].pk, cw["h2"].pk],
                        "captured_at": "2026-03-02T10:00", "file": f})
    assert resp.status_code == 302
    item = RecordItem.objects.get(case=case)
    assert item.kind == "photo" and item.current.filename == "现场.jpg"
    page = c.get(url).content.decode()
    assert "现场照片" in page and "过期食品在售" in page


def test_form_errors_name_the_field(client, cw):
    case = factories.case(cw)
    c = login(client, cw["u1"])
    resp = c.post(reverse("records-case", args=[case.pk]), {"title": "照片", "collectors": [cw["h1"].pk],
                                                            "latitude": "91", "longitude": "100", "text": "记录"})
    body = resp.content.decode()
    assert resp.status_code == 200 and "纬度应在-90到90之间" in body and 'data-field="latitude"' in body
    assert not RecordItem.objects.exists()


def test_item_page_is_a_logged_access_and_content_needs_its_token(client, cw):
    case = factories.case(cw)
    item = add(cw, case)
    c = login(client, cw["head"])
    page = c.get(reverse("records-item", args=[item.pk])).content.decode()
    assert AccessLog.objects.filter(item=item, action="view", user=cw["head"]).count() == 1
    assert item.current.blob.sha256 in page and item.current.blob.sm3 in page
    assert "防篡改日志第" in page
    content_url = reverse("records-content", args=[item.pk, 1])
    assert c.get(content_url).status_code == 403  # no token: open it from the record page
    token = page.split(content_url + "?t=")[1].split('"')[0]
    resp = c.get(content_url + "?t=" + token)
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    assert b"".join(resp.streaming_content)[:3] == b"\xff\xd8\xff"
    other = login(client.__class__(), cw["u2"])
    assert other.get(content_url + "?t=" + token).status_code == 403  # tokens are personal
    dl = c.get(content_url + "?download=1")
    assert dl.status_code == 200 and "attachment" in dl["Content-Disposition"]
    assert AccessLog.objects.filter(item=item, action="download").count() == 1


def test_sensitive_item_asks_for_a_reason(client, cw):
    case = factories.case(cw)
    item = add(cw, case, sensitive=True)
    c = login(client, cw["head"])
    url = reverse("records-item", args=[item.pk])
    assert "调阅理由" in c.get(url).content.decode()
    assert not AccessLog.objects.exists()
    assert c.post(url, {"reason": ""}).status_code == 422
    assert c.post(url, {"reason": "复核证据"}).status_code == 200
    assert AccessLog.objects.get().reason == "复核证据"


def test_supervisor_sees_who_accessed_officer_does_not(client, cw):
    case = factories.case(cw)
    item = add(cw, case)
    login(client, cw["head"]).get(reverse("records-item", args=[item.pk]))
    url = reverse("records-case-access", args=[case.pk])
    sup = login(client.__class__(), cw["sup_county"])
    body = sup.get(url).content.decode()
    assert "查看" in body and cw["head"].username in body or cw["head"].get_full_name() in body
    assert login(client.__class__(), cw["u1"]).get(url).status_code == 403


def test_out_of_scope_is_404(client, cw):
    case = factories.case(cw)
    item = add(cw, case)
    other = factories.user("officer", cw["df"])
    c = login(client, other)
    assert c.get(reverse("records-item", args=[item.pk])).status_code == 404
    assert c.get(reverse("records-case", args=[case.pk])).status_code == 404


def test_one_household_view(client, cw):
    party = factories.org_party("七星关区某超市有限公司")
    c1 = factories.case(cw, party=party)
    c2 = factories.case(cw, party=dict(party))
    add(cw, c1, title="第一案照片")
    add(cw, c2, text="第二案笔录", title="第二案笔录")
    c = login(client, cw["sup_county"])
    body = c.get(reverse("records-target-key", args=[party["credit_code"]])).content.decode()
    assert "第一案照片" in body and "第二案笔录" in body
    assert c.get(reverse("records-target") + "?key=123").status_code == 422
    far = login(client.__class__(), factories.user("officer", cw["df"]))
    assert "第一案照片" not in far.get(reverse("records-target-key", args=[party["credit_code"]])).content.decode()


def test_av_list_page(client, cw):
    c = login(client, cw["head"])
    url = reverse("records-av", args=[cw["smj"].pk])
    assert c.post(url, {"steps": ["seize", "hold_hearing"]}).status_code == 302
    assert "checked" in c.get(url).content.decode()
    refused = login(client.__class__(), cw["u1"]).post(url, {"steps": ["seize"]})
    assert "本机关负责人" in refused.content.decode()


def test_archive_download_of_a_closed_case(client, cw):
    from tests.records.test_actions import archived_inspection

    insp, item = archived_inspection(cw)
    c = login(client, cw["head"])
    resp = c.get(reverse("records-case-archive", args=[insp.pk]))
    assert resp.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(b"".join(resp.streaming_content)))
    assert "manifest.json" in zf.namelist() and any(n.startswith("records/") for n in zf.namelist())
    assert AccessLog.objects.filter(case=insp, action="export").exists()
    open_case = factories.case(cw)
    assert c.get(reverse("records-case-archive", args=[open_case.pk])).status_code == 302

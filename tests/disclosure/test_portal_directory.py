"""The portal's 权责清单 and 执法部门 at 毕节 scale (issue 18): search, filters, server-side paging
with the total shown (no silent 300 cap), the region → entity picker instead of one dropdown of
every entity, the government footer from settings, the yuan money format, one certificate status."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings

from tests import factories
from tests.worlds import built_once
from zhifa.common.templatetags.money import format_yuan
from zhifa.disclosure import public
from zhifa.powers import actions as power_actions
from zhifa.powers.models import PowerItem

N_SMJ, N_HBJ = 320, 15


@pytest.fixture(scope="module")
def big(world_once, django_db_blocker):
    """The world plus 335 published power items and 40 more entities in the county."""
    with built_once(django_db_blocker):
        w = dict(world_once)
        admin = factories.system_admin()
        items = [PowerItem(entity=w["smj"], code=f"SJ-{i:04d}", category=PowerItem.Category.PENALTY if i % 2 else
                           PowerItem.Category.LICENSING, name=f"市场监管事项{i:04d}",
                           law="中华人民共和国食品安全法" if i % 10 else "中华人民共和国广告法", article="第一条",
                           effective_from=dt.date(2026, 1, 1)) for i in range(N_SMJ)]
        items += [PowerItem(entity=w["hbj"], code=f"HB-{i:04d}", category=PowerItem.Category.INSPECTION,
                            name=f"环境检查事项{i:04d}", law="中华人民共和国环境保护法", effective_from=dt.date(2026, 1, 1))
                  for i in range(N_HBJ)]
        power_actions.do_bulk_create_versioned(PowerItem, items, acting_user=admin, publish_by=w["sup_county"])
        w["many"] = [factories.entity(w["regions"]["county"], f"七星关区第{i:02d}乡镇人民政府") for i in range(40)]
        yield w


@pytest.fixture
def w(big, db):
    return big


def count(page: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}">共 (\d+)', page).group(1))


@pytest.mark.django_db
def test_power_list_pages_past_300_and_shows_the_total(w, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = client.get("/gs/powers/").content.decode()
    assert count(page, "power-count") == N_SMJ + N_HBJ
    assert page.count('data-testid="power-row"') == 30
    last = client.get("/gs/powers/", {"page": 12}).content.decode()      # 335 / 30 → 12 pages
    assert "第 12/12 页" in last and last.count('data-testid="power-row"') == N_SMJ + N_HBJ - 11 * 30
    # the item the old page never showed (past the first 300) is reachable
    assert "HB-0014" in last or "SJ-0319" in last


@pytest.mark.django_db
def test_power_search_by_name_code_and_basis_with_filters(w, client):
    get = lambda **p: client.get("/gs/powers/", p).content.decode()  # noqa: E731
    assert count(get(q="事项0007"), "power-count") == 2                   # 市场监管事项0007, 环境检查事项0007
    assert count(get(q="SJ-01"), "power-count") == 100
    assert count(get(q="广告法"), "power-count") == N_SMJ // 10
    assert count(get(entity=w["hbj"].pk), "power-count") == N_HBJ
    assert count(get(kind="licensing"), "power-count") == N_SMJ // 2
    assert count(get(kind="licensing", q="广告法"), "power-count") == N_SMJ // 10
    assert count(get(region=w["regions"]["county2"].code), "power-count") == 0
    assert count(get(region=w["regions"]["county"].code), "power-count") == N_SMJ + N_HBJ + 1 - 1
    # paging keeps the filters
    page = get(q="SJ-0", kind="penalty")
    assert "第 1/6 页" in page and 'href="?q=SJ-0&amp;kind=penalty&page=2"' in page
    assert count(get(kind="nonsense"), "power-count") == N_SMJ + N_HBJ       # an unknown kind is ignored


@pytest.mark.django_db
def test_other_power_lists_and_open_data_stay(w, client):
    for key in ("inspections", "guides", "flowcharts"):
        assert client.get("/gs/powers/", {"list": key}).status_code == 200
    assert client.get("/gs/data/").status_code == 200


@pytest.mark.django_db
def test_entity_list_paginated_with_search_and_region(w, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page = client.get("/gs/entities/").content.decode()
    total = count(page, "entity-count")
    assert total >= 46 and page.count('data-testid="entity-row"') == 30 and 'data-testid="pager"' in page
    assert count(client.get("/gs/entities/", {"q": "第0"}).content.decode(), "entity-count") == 10
    assert count(client.get("/gs/entities/", {"region": w["regions"]["county2"].code}).content.decode(),
                 "entity-count") == 1
    city = client.get("/gs/entities/", {"region": w["regions"]["city"].code}).content.decode()
    assert count(city, "entity-count") == 1 and "毕节市司法局" in city        # 本级 only, not the counties


@pytest.mark.django_db
def test_complaint_form_picks_the_entity_by_region(w, client):
    page = client.get("/gs/contact/").content.decode()
    select = re.search(r'<select name="entity".*?</select>', page, re.S).group(0)
    assert select.count("<option") == 1 and "请先选择区划" in select      # not one option per entity
    assert 'hx-get="/gs/entities/options/"' in page
    opts = client.get("/gs/entities/options/", {"region": w["regions"]["county"].code}).content.decode()
    assert w["smj"].name in opts and w["df"].name not in opts and opts.count("<option") == 1 + 43
    # submitting with the chosen entity still works
    resp = client.post("/gs/contact/", {"region": w["regions"]["county2"].code, "entity": w["df"].pk, "kind": "consult",
                                        "content": "请问食品经营许可证如何办理延续？"})
    assert 'data-testid="tracking-code"' in resp.content.decode()


def test_yuan_filter():
    assert format_yuan(Decimal("12345")) == "¥12,345.00"
    assert format_yuan("1234567.891") == "¥1,234,567.89"
    assert format_yuan(0) == "¥0.00"
    assert format_yuan(Decimal("-50.5")) == "-¥50.50"
    assert format_yuan(None) == "—" and format_yuan("") == "—"
    assert format_yuan("abc") == "abc"
    for lib in ("money", "zhifa_tags"):
        out = Template("{% load " + lib + " %}{{ a|yuan }}|{{ b|yuan:'未处罚' }}").render(Context({"a": 5000, "b": None}))
        assert out == "¥5,000.00|未处罚"


@pytest.mark.django_db
def test_footer_from_settings_without_merkle_root(w, client):
    with override_settings(ZHIFA_SITE_SPONSOR="毕节市司法局", ZHIFA_SITE_ORGANIZER="毕节市大数据中心",
                           ZHIFA_SITE_ID="5205000001", ZHIFA_SITE_ICP="黔ICP备12345678号",
                           ZHIFA_SITE_PSB="黔公网安备52050202000123号", ZHIFA_SUPERVISION_PHONE="0857-8226123"):
        page = client.get("/gs/").content.decode()
        footer = page[page.index('data-testid="site-footer"'):]
        for label, value in (("主办单位", "毕节市司法局"), ("承办单位", "毕节市大数据中心"), ("网站标识码", "5205000001"),
                             ("ICP备案号", "黔ICP备12345678号"), ("公安备案号", "黔公网安备52050202000123号"),
                             ("监督投诉电话", "0857-8226123")):
            assert label in footer and value in footer
        assert "根哈希" not in footer and "树头" not in footer and "/gs/ledger/heads/" in footer
        assert "0857-8226123" in client.get("/gs/contact/").content.decode()
    with override_settings(ZHIFA_SITE_ICP="", ZHIFA_SITE_PSB=""):
        footer = client.get("/gs/").content.decode().split('data-testid="site-footer"')[1]
        assert "ICP备案号" not in footer and "公安备案号" not in footer


def test_demo_mode_has_footer_values():
    from django.conf import settings

    assert settings.ZHIFA_SITE_SPONSOR and settings.ZHIFA_SUPERVISION_PHONE and any(
        c.isdigit() for c in settings.ZHIFA_SUPERVISION_PHONE)


@pytest.mark.django_db
@pytest.mark.parametrize("state, expires, label", [
    ("valid", dt.date(2027, 1, 1), "有效"), ("valid", dt.date(2026, 1, 1), "已过期"),
    ("revoked", dt.date(2027, 1, 1), "已注销"), ("suspended", dt.date(2027, 1, 1), "暂扣")])
def test_certificate_has_one_status(w, client, time_machine, state, expires, label):
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, 0), tick=False)
    officer = factories.certified_officer(w["smj"], None, "证件员", expires_on=expires)
    cert = officer.certificates.first()
    cert.status = state
    cert.save(update_fields=["status"])
    assert public.certificate_check(cert.number)["status"] == label
    page = client.get(f"/gs/cert/{cert.number}/").content.decode()
    assert f'data-testid="cert-status">{label}<' in page
    others = {"有效", "已过期", "已注销", "暂扣"} - {label}
    assert not any(f">{o}<" in page for o in others) and "今日无效" not in page

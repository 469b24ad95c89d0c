"""行政处罚裁量基准: validation of the levels, the penalty checker, pages, API and demo data."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.api.conftest import ApiClient, ids
from zhifa.common.actions import ActionRefused
from zhifa.powers import actions
from zhifa.powers.discretion import (
    TEMPLATES,
    Deviation,
    benchmark_for,
    check_penalty,
    clean_levels,
    parse_lines,
    requires_written_reason,
    seed_benchmarks,
    to_lines,
)
from zhifa.powers.models import DiscretionBenchmark, PowerItem, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


CODE = "QX-CF-124"
LEVELS = [
    {"level": "不予处罚", "circumstances": "初次违法且危害后果轻微并及时改正", "sanctions": []},
    {"level": "从轻", "circumstances": "主动消除危害后果", "sanctions": ["警告", "罚款"], "fine_min": 0, "fine_max": 5000},
    {"level": "一般", "circumstances": "无从轻从重情节", "sanctions": ["fine", "confiscate_gains"],
     "fine_min": "5000", "fine_max": "10000"},
    {"level": "从重", "circumstances": "拒不改正", "sanctions": ["fine", "confiscate_gains", "revoke_licence"],
     "fine_min": 10000, "fine_max": 20000, "other": "情节严重的吊销许可证"},
]
GAINS_LEVELS = [
    {"level": "一般", "circumstances": "一般情节", "sanctions": ["confiscate_gains", "fine"],
     "fine_basis": "multiple_of_illegal_gains", "multiple_min": 1, "multiple_max": 3},
    {"level": "从重", "circumstances": "严重情节", "sanctions": ["confiscate_gains", "fine"],
     "fine_basis": "multiple_of_illegal_gains", "multiple_min": 3, "multiple_max": 5},
]


def make_item(world, code=CODE, category=PowerItem.Category.PENALTY, **extra):
    data = {"entity": world["smj"], "unit": world["smj_unit"], "code": code,
            "name": "对生产经营不符合食品安全标准的食品的行政处罚", "category": category,
            "law": "中华人民共和国食品安全法", "article": "第一百二十四条", **extra}
    return actions.do_create_versioned(PowerItem, data, acting_user=world["head"])


def bm_data(world, **extra):
    return {"entity": world["smj"], "power_item_code": CODE, "violation": "生产经营不符合食品安全标准的食品",
            "basis": "《中华人民共和国食品安全法》第一百二十四条", "levels": LEVELS, **extra}


def make_bm(world, **extra):
    return actions.do_create_versioned(DiscretionBenchmark, bm_data(world, **extra), acting_user=world["head"])


def publish(world, obj):
    actions.do_submit_versioned(obj, acting_user=world["head"])
    return actions.do_confirm_versioned(obj, acting_user=world["sup_county"], note="同意")


@pytest.fixture
def item(world):
    return make_item(world)


@pytest.fixture
def published(world, item):
    return publish(world, make_bm(world, effective_from=dt.date(2024, 1, 1)))


# ---- validation ----------------------------------------------------------------------------------
def lv(level, lo=None, hi=None, sanctions=("fine",), **extra):
    return {"level": level, "circumstances": "情形", "sanctions": list(sanctions), "fine_min": lo, "fine_max": hi,
            **extra}


@pytest.mark.parametrize("levels,message", [
    ([], "裁量档位：至少设定一个档位"),
    ([lv("特别从重", 1, 2)], "裁量档位：第1档的档位名称“特别从重”无效，应为不予处罚、减轻、从轻、一般、从重之一"),
    ([lv("一般", 8000, 5000)], "裁量档位：“一般”档位的罚款下限8000元高于罚款上限5000元"),
    ([lv("从重", -1, 5000)], "裁量档位：“从重”档位的罚款下限不能为负数"),
    ([lv("一般", 1000, None)], "裁量档位：“一般”档位须填写罚款上限"),
    ([lv("一般", 0, 100), lv("一般", 100, 200)], "裁量档位：“一般”档位重复"),
    ([lv("一般", 5000, 10000), lv("从轻", 3000, 7000)],
     "裁量档位：“从轻”档位罚款上限7000元高于“一般”档位罚款下限5000元，各档位幅度不能交叉（应从轻低于一般）"),
    ([lv("从轻", 0, 5000), lv("从重", 4000, 9000)],
     "裁量档位：“从轻”档位罚款上限5000元高于“从重”档位罚款下限4000元，各档位幅度不能交叉（应从轻低于从重）"),
    ([lv("不予处罚", sanctions=["warning"])], "裁量档位：“不予处罚”档位不能设定处罚种类"),
    ([lv("从轻", sanctions=[])], "裁量档位：“从轻”档位须至少设定一种处罚种类"),
    ([lv("一般", 0, 100, sanctions=["fine", "罚金"])], "裁量档位：“一般”档位的处罚种类“罚金”无效"),
    ([lv("从轻", 0, 100, sanctions=["warning"])], "裁量档位：“从轻”档位未包含罚款，不能填写罚款幅度"),
    ([lv("一般", "abc", 100)], "裁量档位：“一般”档位的罚款下限“abc”不是有效的数字"),
    ([{**lv("一般", 0, 100), "circumstances": " "}], "裁量档位：“一般”档位须填写适用情形"),
    ([lv("一般", fine_basis="multiple_of_illegal_gains", multiple_min=3, multiple_max=1)],
     "裁量档位：“一般”档位的倍数下限3倍高于倍数上限1倍"),
    ([lv("一般", 100, 200, fine_basis="multiple_of_illegal_gains", multiple_max=2)],
     "裁量档位：“一般”档位按违法所得的倍数计算罚款，不能填写罚款下限、罚款上限"),
])
def test_validation_messages_name_field_and_level(world, item, levels, message):
    with pytest.raises(ActionRefused) as e:
        make_bm(world, levels=levels)
    assert e.value.message == message and e.value.field == "levels" and e.value.rule == "validation"
    assert not DiscretionBenchmark.objects.exists()


def test_power_item_must_be_a_penalty_item_of_the_entity(world, item):
    with pytest.raises(ActionRefused) as e:
        make_bm(world, power_item_code="NOPE")
    assert e.value.message == "权责事项编码：本主体权责清单中没有编码为“NOPE”的事项"
    make_item(world, code="XK-1", category=PowerItem.Category.LICENSING)
    with pytest.raises(ActionRefused) as e:
        make_bm(world, power_item_code="XK-1")
    assert e.value.field == "power_item_code" and "不是行政处罚事项" in e.value.message
    with pytest.raises(ActionRefused) as e:  # the item belongs to another entity
        actions.do_create_versioned(DiscretionBenchmark, bm_data(world, entity=world["hbj"]),
                                    acting_user=world["admin"])
    assert e.value.field == "power_item_code"


def test_levels_are_normalised_and_one_head_per_item(world, item):
    bm = make_bm(world, levels=list(reversed(LEVELS)))
    bm.refresh_from_db()
    assert [x["level"] for x in bm.levels] == ["不予处罚", "从轻", "一般", "从重"]
    light = bm.level("从轻")
    assert light["sanctions"] == ["warning", "fine"] and (light["fine_min"], light["fine_max"]) == ("0", "5000")
    assert bm.level("从重")["other"] == "情节严重的吊销许可证" and bm.level("减轻") is None
    with pytest.raises(ActionRefused) as e:
        make_bm(world)
    assert e.value.message == "权责事项编码：该事项已有裁量基准"


def test_text_form_round_trip():
    text = ("从轻|主动消除危害后果|警告，罚款||5千\n")
    with pytest.raises(ValueError) as e:
        parse_lines(text)
    assert str(e.value) == "第1行的罚款上限“5千”不是有效的金额或倍数"
    levels = parse_lines("从轻|主动消除危害后果|警告，罚款||5000\n\n一般|一般情节|罚款、没收违法所得|5000|1万\n"
                         "从重|严重|罚款|1倍|3倍|并处没收\n减轻|x|罚款|货值0.5倍|货值1倍")
    assert levels[1]["fine_max"] == Decimal("10000") and levels[2]["fine_basis"] == "multiple_of_illegal_gains"
    assert levels[3]["fine_basis"] == "multiple_of_goods_value" and levels[3]["multiple_min"] == Decimal("0.5")
    clean, problems = clean_levels(levels[:2])
    assert problems == []
    assert clean_levels(parse_lines(to_lines(clean)))[0] == clean
    assert to_lines(clean).splitlines()[1] == "一般|一般情节|罚款、没收违法所得|5000|10000"


# ---- check_penalty -------------------------------------------------------------------------------
def test_in_range_fits(world, published, item):
    assert check_penalty(CODE, world["smj"], "一般", ["fine", "confiscate_gains"], 8000) == []
    assert check_penalty(item, None, "一般", ["罚款"], Decimal("10000")) == []  # PowerItem, label, bound inclusive
    assert check_penalty(CODE, world["smj"].pk, "从轻", ["warning"], None) == []
    assert check_penalty(CODE, world["smj"], "不予处罚", [], None) == []


def test_above_and_below_the_level(world, published):
    [dev] = check_penalty(CODE, world["smj"], "一般", ["fine"], 20000)
    assert dev.kind == "fine_above_max" and dev.message == "罚款20000元超出“一般”档位上限10000元"
    assert (dev.limit, dev.value, dev.level) == (Decimal("10000"), Decimal("20000"), "一般")
    assert dev.benchmark_id == published.pk
    [dev] = check_penalty(CODE, world["smj"], "一般", ["fine"], "3000.50")
    assert dev.kind == "fine_below_min" and dev.message == "罚款3000.5元低于“一般”档位下限5000元"
    assert requires_written_reason([dev])
    [dev] = check_penalty(CODE, world["smj"], "一般", ["confiscate_gains"], None)
    assert dev.kind == "fine_missing" and "应处罚款（5000元至10000元）" in dev.message


def test_wrong_sanction_kind(world, published):
    devs = check_penalty(CODE, world["smj"], "一般", ["fine", "revoke_licence"], 8000)
    assert [d.kind for d in devs] == ["sanction_not_allowed"]
    assert devs[0].message == "处罚种类“吊销许可证件”不在“一般”档位规定的处罚种类（罚款、没收违法所得）之内"
    [dev] = check_penalty(CODE, world["smj"], "不予处罚", ["warning"], None)
    assert dev.message == "“不予处罚”档位不给予行政处罚，拟处“警告”超出裁量基准"
    [dev] = check_penalty(CODE, world["smj"], "减轻", ["warning"], None)
    assert dev.kind == "level_missing" and "未设定“减轻”档位" in dev.message
    # a fine amount implies the sanction "fine"
    [dev] = check_penalty(CODE, world["smj"], "从轻", [], 6000)
    assert dev.kind == "fine_above_max"


def test_bad_input_is_refused(world, published):
    for args, field in [(("特别", ["fine"], 1), "level"), (("一般", ["罚金"], 1), "sanctions"),
                        (("一般", ["fine"], -5), "fine_amount"), (("一般", ["fine"], None), "fine_amount"),
                        (("一般", ["fine"], "abc"), "fine_amount")]:
        with pytest.raises(ActionRefused) as e:
            check_penalty(CODE, world["smj"], *args)
        assert e.value.field == field and e.value.rule == "validation"


def test_multiples_of_illegal_gains(world, item):
    publish(world, make_bm(world, levels=GAINS_LEVELS))
    assert check_penalty(CODE, world["smj"], "一般", ["fine", "confiscate_gains"], 5000, illegal_gains=2000) == []
    [dev] = check_penalty(CODE, world["smj"], "一般", ["fine"], 7000, illegal_gains=2000)
    assert dev.kind == "fine_above_max"
    assert dev.message == "罚款7000元超出“一般”档位上限6000元（违法所得2000元的3倍）"
    [dev] = check_penalty(CODE, world["smj"], "从重", ["fine"], 5000, illegal_gains=2000)
    assert dev.message == "罚款5000元低于“从重”档位下限6000元（违法所得2000元的3倍）"
    [dev] = check_penalty(CODE, world["smj"], "一般", ["fine"], 5000)
    assert dev.kind == "base_missing" and "须提供违法所得金额" in dev.message


def test_unpublished_benchmark_is_ignored(world, item):
    bm = make_bm(world)
    [dev] = check_penalty(CODE, world["smj"], "一般", ["fine"], 99999)
    assert dev.kind == "no_benchmark" and "没有已发布生效的裁量基准" in dev.message
    assert not requires_written_reason([dev]), "no benchmark: the caller decides"
    actions.do_submit_versioned(bm, acting_user=world["head"])
    assert check_penalty(CODE, world["smj"], "一般", ["fine"], 99999)[0].kind == "no_benchmark"
    actions.do_confirm_versioned(bm, acting_user=world["sup_county"])
    assert check_penalty(CODE, world["smj"], "一般", ["fine"], 99999)[0].kind == "fine_above_max"
    # another entity's benchmark does not apply
    assert check_penalty(CODE, world["hbj"], "一般", ["fine"], 8000)[0].kind == "no_benchmark"


def test_version_in_force_on_the_date_is_used(world, published):
    raised = [dict(x) for x in published.levels]
    raised[2] = {**raised[2], "fine_min": "10000", "fine_max": "20000"}
    raised[3] = {**raised[3], "fine_min": "20000", "fine_max": "30000"}
    v2 = actions.do_update_versioned(published, {"levels": raised, "effective_from": dt.date(2025, 1, 1)},
                                     acting_user=world["head"])
    assert v2.version == 2
    # v2 is a draft: v1 still applies everywhere
    assert check_penalty(CODE, world["smj"], "一般", ["fine"], 15000, on=dt.date(2025, 6, 1))[0].kind == "fine_above_max"
    publish(world, v2)
    published.refresh_from_db()
    assert published.status == VersionStatus.SUPERSEDED and published.effective_to == dt.date(2025, 1, 1)
    assert check_penalty(CODE, world["smj"], "一般", ["fine"], 15000, on=dt.date(2025, 6, 1)) == []
    assert check_penalty(CODE, world["smj"], "一般", ["fine"], 15000) == []
    [dev] = check_penalty(CODE, world["smj"], "一般", ["fine"], 15000, on=dt.date(2024, 6, 1))
    assert dev.benchmark_id == published.pk and dev.benchmark_version == 1
    assert benchmark_for(CODE, world["smj"], dt.date(2024, 12, 31)) == published
    assert benchmark_for(CODE, world["smj"], dt.date(2025, 1, 1)) == v2
    assert check_penalty(CODE, world["smj"], "一般", ["fine"], 8000, on=dt.date(2023, 6, 1))[0].kind == "no_benchmark"


def test_deviation_as_dict_is_json_ready():
    d = Deviation("fine_above_max", "m", level="一般", limit=Decimal("10000.00"), value=Decimal("20000"))
    assert d.as_dict()["limit"] == "10000" and d.as_dict()["value"] == "20000"
    assert requires_written_reason([Deviation("no_benchmark", "x"), d]) and not requires_written_reason([])


# ---- pages ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["head", "sup_county", "officer", "sup_city"])
def test_pages_render(client, world, published, role):
    client.force_login(world[role])
    r = client.get(reverse("discretion-benchmarks-list"))
    assert r.status_code == 200 and CODE in r.content.decode() and "裁量基准" in r.content.decode()
    body = client.get(reverse("discretion-benchmarks-detail", args=[published.pk])).content.decode()
    assert "裁量档位" in body and "5000元至10000元" in body and "罚款、没收违法所得" in body
    assert "<th>裁量档位</th><td>" not in body, "levels are a table, not a raw JSON field"
    edit = client.get(reverse("discretion-benchmarks-edit", args=[published.pk]))
    assert edit.status_code == (200 if role == "head" else 403)


def test_create_edit_and_confirm_through_pages(client, world, item):
    client.force_login(world["head"])
    assert client.get(reverse("discretion-benchmarks-create")).status_code == 200
    data = {"entity": world["smj"].pk, "power_item_code": CODE, "violation": "生产经营不合格食品",
            "basis": "《中华人民共和国食品安全法》第一百二十四条", "effective_from": "2025-01-01",
            "levels_text": "一般|一般情节|罚款|5000|10000\n从轻|轻微|警告,罚款|0|6000"}
    r = client.post(reverse("discretion-benchmarks-create"), data)
    assert r.status_code == 200
    assert "“从轻”档位罚款上限6000元高于“一般”档位罚款下限5000元" in r.content.decode()
    data["levels_text"] = "一般|一般情节|罚款|5000|1万\n从轻|轻微|警告,罚款|0|5000"
    r = client.post(reverse("discretion-benchmarks-create"), data)
    assert r.status_code == 302, r.content.decode()
    bm = DiscretionBenchmark.objects.get()
    assert [x["level"] for x in bm.levels] == ["从轻", "一般"] and bm.level("一般")["fine_max"] == "10000"
    edit_url = reverse("discretion-benchmarks-edit", args=[bm.pk])
    form = client.get(edit_url).context["form"]
    assert form.initial["levels_text"] == "从轻|轻微|警告、罚款|0|5000\n一般|一般情节|罚款|5000|10000"
    r = client.post(edit_url, {**data, "levels_text": form.initial["levels_text"] + "\n从重|严重|罚款|10000|20000"})
    assert r.status_code == 302
    bm.refresh_from_db()
    assert bm.level("从重")["fine_max"] == "20000" and bm.version == 1
    assert client.post(reverse("discretion-benchmarks-submit", args=[bm.pk])).status_code == 302
    client.force_login(world["sup_county"])
    body = client.get(reverse("discretion-benchmarks-detail", args=[bm.pk])).content.decode()
    assert "确认发布" in body
    client.post(reverse("discretion-benchmarks-confirm", args=[bm.pk]), {"note": "同意"})
    bm.refresh_from_db()
    assert bm.status == VersionStatus.PUBLISHED


def test_nav_link(client, world):
    client.force_login(world["officer"])
    body = client.get(reverse("home")).content.decode()
    assert reverse("discretion-benchmarks-list") in body and "裁量基准" in body


# ---- API -----------------------------------------------------------------------------------------
def api_data(world, **extra):
    return {"entity": world["smj"].pk, "power_item_code": CODE, "violation": "生产经营不符合食品安全标准的食品",
            "basis": "《中华人民共和国食品安全法》第一百二十四条",
            "levels": [{"level": "一般", "circumstances": "一般情节", "sanctions": ["fine"], "fine_min": "5000",
                        "fine_max": "10000"},
                       {"level": "从重", "circumstances": "严重", "sanctions": ["fine", "revoke_licence"],
                        "fine_min": 10000, "fine_max": 20000}], **extra}


def test_api_create_submit_confirm_and_check(world, item):
    head, sup_county, sup_city = ApiClient(world["head"]), ApiClient(world["sup_county"]), ApiClient(world["sup_city"])
    bad = api_data(world)
    bad["levels"][0]["fine_max"] = 15000
    r = head.post("/discretion-benchmarks", bad)
    assert r.status_code == 422 and r.json()["message"].startswith("裁量档位：“一般”档位罚款上限15000元高于“从重”档位")
    r = head.post("/discretion-benchmarks", {**api_data(world), "levels": [{"level": "特别", "circumstances": "x"}]})
    assert r.status_code == 422 and "档位" in r.json()["message"]

    r = head.post("/discretion-benchmarks", api_data(world))
    assert r.status_code == 201, r.content.decode()
    bm = r.json()
    assert bm["status"] == "draft" and bm["levels"][0]["range_display"] == "5000元至10000元"
    assert bm["levels"][1]["sanctions_display"] == ["罚款", "吊销许可证件"]
    url = f"/discretion-benchmarks/{bm['id']}"
    assert head.post(f"{url}/submit").json()["status"] == "pending"
    r = sup_city.post(f"{url}/confirm")
    assert r.status_code == 409 and r.json()["rule"] == "powers.same_level_confirmation"
    r = sup_county.post(f"{url}/confirm", {"note": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert ids(ApiClient(world["officer"]).get("/discretion-benchmarks", {"published": 1})) == {bm["id"]}
    assert ids(head.get("/discretion-benchmarks", {"power_item_code": "OTHER"})) == set()

    r = head.patch(url, {"violation": "生产经营不合格食品"})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["levels"] == bm["levels"]

    check = {"entity": world["smj"].pk, "power_item_code": CODE, "level": "一般", "sanctions": ["fine"],
             "fine_amount": "20000"}
    r = head.post("/discretion-benchmarks/check", check)
    assert r.status_code == 200, r.content.decode()
    body = r.json()
    assert body["fits"] is False and body["requires_written_reason"] is True and body["benchmark_id"] == bm["id"]
    assert body["deviations"][0]["message"] == "罚款20000元超出“一般”档位上限10000元"
    body = head.post("/discretion-benchmarks/check", {**check, "fine_amount": 9000}).json()
    assert body["fits"] is True and body["deviations"] == []
    body = head.post("/discretion-benchmarks/check", {**check, "on": "2020-01-01"}).json()
    assert body["requires_written_reason"] is False and body["deviations"][0]["kind"] == "no_benchmark"
    r = head.post("/discretion-benchmarks/check", {**check, "entity": world["zy"].pk})
    assert r.status_code == 422 and r.json()["field"] == "entity"


def test_openapi_lists_benchmark_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for suffix in ("", "/{pk}", "/{pk}/submit", "/{pk}/confirm", "/{pk}/reject", "/check"):
        assert f"/api/v1/discretion-benchmarks{suffix}" in paths


# ---- demo data -----------------------------------------------------------------------------------
def test_seed_benchmarks_publishes_valid_templates(world):
    for (law, art), (_violation, levels) in TEMPLATES.items():
        assert clean_levels(levels)[1] == [], (law, art)
    items = [make_item(world, code="CF-124"),
             make_item(world, code="CF-124-2", name="对生产经营超过保质期的食品的行政处罚（情节严重的）"),
             make_item(world, code="CF-56", law="中华人民共和国消费者权益保护法", article="第五十六条"),
             make_item(world, code="CF-X", law="某条例", article="第一条"),
             make_item(world, code="XK-1", category=PowerItem.Category.LICENSING)]
    for it in items:
        publish(world, it)
    made = seed_benchmarks(world["smj"], items, acting_user=world["admin"], publish_by=world["sup_county"])
    assert sorted(b.power_item_code for b in made) == ["CF-124", "CF-124-2", "CF-56"]
    assert DiscretionBenchmark.objects.published().count() == 3
    assert DiscretionBenchmark.objects.get(power_item_code="CF-124-2").violation.endswith("（情节严重的）")
    assert check_penalty("CF-124", world["smj"], "一般", ["fine", "confiscate_gains"], 70000) == []
    [dev] = check_penalty("CF-124", world["smj"], "一般", ["fine"], 90000)
    assert dev.message == "罚款90000元超出“一般”档位上限85000元"
    assert check_penalty("CF-56", world["smj"], "从重", ["fine"], 20000, illegal_gains=4000) == []

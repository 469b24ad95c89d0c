"""Similar cases (index, ranking, near-duplicates, the amount warning, outliers and their alert), the law
library (load, versions, search, citations in force on the violation date, verify), norms at the point of
use, and the case page's panel and API."""
import datetime as dt
from decimal import Decimal

import pytest

from tests import builders, factories
from zhifa.common.actions import ActionRefused
from zhifa.discretion import library
from zhifa.discretion import similar as sim
from zhifa.discretion.actions import do_add_norm, do_load_law
from zhifa.discretion.actions.laws import load_shipped
from zhifa.discretion.actions.norms import norms_for
from zhifa.discretion.models import DecidedProfile, LawArticle, LawText

pytestmark = pytest.mark.django_db
FACTS = "当事人在其经营的超市内销售超过保质期的牛奶20盒，货值金额300元，违法所得50元。"


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def refused(rule, fn, *args, **kw):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kw)
    assert e.value.rule == rule, e.value
    return e.value


def decided_profile(cw, fine, facts=FACTS, item=None, day=dt.date(2026, 2, 1)):
    """A case with the profile a decision writes (the subscriber's own path is tested below)."""
    case = factories.case(cw, facts=facts)
    return DecidedProfile.objects.create(
        case=case, entity=cw["smj"], province=cw["smj"].region.code[:2], items=item or cw["item"].code,
        articles="食品安全法:124", tokens=" ".join(sim.tokenize(facts)), fine_amount=Decimal(fine),
        outcome=f"罚款{fine}元", decided_on=day)


def test_similar_ranked_near_duplicates_and_amount_warning(cw):
    for fine in ("4000", "5000", "6000"):
        decided_profile(cw, fine)
    other = decided_profile(cw, "900", facts="当事人未按规定明码标价，责令改正后仍未改正。", item="OTHER-1")
    case = builders.case_at(cw, "proposed", facts=FACTS.replace("20盒", "25盒"),
                            penalty={"penalty_kinds": ["fine"], "fine_amount": "20000"})
    rows = sim.similar_cases(case)
    assert [r["same_item"] for r in rows[:3]] == [True, True, True]
    assert rows[0]["near_duplicate"] and rows[0]["text_score"] > 0.5
    assert rows[-1]["case"].pk == other.case_id and not rows[-1]["same_item"]
    warning = sim.amount_warning(case, rows)
    assert "高于3件同一事项类案的罚款幅度" in warning and "4,000.00元至6,000.00元" in warning
    assert sim.amount_warning(case, rows, fine=Decimal("5000")) == ""


def test_other_province_not_similar(cw):
    p = decided_profile(cw, "5000")
    p.province = "11"
    p.save()
    case = builders.case_at(cw, "proposed", facts=FACTS)
    assert sim.similar_cases(case) == []


def test_index_saved_and_loaded(cw, tmp_path):
    decided_profile(cw, "5000")
    idx = sim.SimilarIndex.build()
    idx.save(tmp_path / "idx")
    back = sim.SimilarIndex.load(tmp_path / "idx")
    q = dict(province=int(cw["smj"].region.code[:2]), items=[cw["item"].code], articles=[], tokens=sim.tokenize(FACTS))
    assert [h.case_id for h in back.query(**q)] == [h.case_id for h in idx.query(**q)] != []


def test_large_corpus_only_loads_a_saved_index_and_searches_the_tail(cw, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_DISCRETION_INLINE_BUILD = 0       # "large": never built inside a request
    first = decided_profile(cw, "5000")
    case = builders.case_at(cw, "proposed", facts=FACTS)
    assert sim.current_index() is None
    assert [r["case"].pk for r in sim.similar_cases(case)] == [first.case_id]   # the tail
    from django.core.management import call_command

    call_command("discretion", "reindex")
    second = decided_profile(cw, "6000")
    idx = sim.current_index()
    assert idx is not None and idx.max_id == first.pk
    assert {r["case"].pk for r in sim.similar_cases(case)} == {first.case_id, second.case_id}


def test_decision_writes_profile(cw):
    case = builders.case_at(cw, "decided", facts=FACTS)
    p = DecidedProfile.objects.get(case=case)
    assert p.fine_amount == Decimal("5000") and cw["item"].code in p.items and "保质期" in p.tokens


def test_outliers_report_and_alert(cw, client):
    from zhifa.discretion.alerts import check_outliers

    for fine in ("5000", "5000", "5000", "5000"):
        decided_profile(cw, fine)
    far = decided_profile(cw, "50000")
    proposed = builders.case_at(cw, "proposed", facts=FACTS, penalty={"penalty_kinds": ["fine"], "fine_amount": "20000"})
    groups = sim.outliers()
    assert [r["case_id"] for g in groups for r in g["outliers"]] == [far.case_id]
    assert [r["case_id"] for g in groups for r in g["proposed"]] == [proposed.pk]
    findings = list(check_outliers(dt.date(2026, 5, 1)))
    assert [(f.kind, f.case_id) for f in findings] == [("similar_outlier", far.case_id), ("similar_outlier", proposed.pk)]
    client.force_login(cw["sup_county"])
    page = client.get("/discretion/outliers/")
    assert page.status_code == 200 and "50000.00" in page.content.decode()
    client.force_login(cw["u1"])
    assert client.get("/discretion/outliers/").status_code == 403


@pytest.fixture
def laws(cw):
    return load_shipped(acting_user=cw["admin"])


def test_law_library_load_search_resolve(cw, laws):
    assert len(laws) == 6
    a32 = LawArticle.objects.get(law__name="中华人民共和国行政处罚法", number=32)
    assert "从轻或者减轻行政处罚" in a32.text and a32.chapter.startswith("第四章")
    assert a32 in list(library.search("从轻 减轻 第三十二条"))
    cite = "依据《中华人民共和国行政处罚法》第三十二条第一项、行政强制法第二百条、《中华人民共和国食品安全法》第一百二十四条"
    now = {r.citation.label: r for r in library.resolve_text(cite, dt.date(2026, 3, 1))}
    assert now["第三十二条"].article == a32 and not now["第三十二条"].flagged
    assert now["第二百条"].flag == "article_missing" and now["第二百条"].flagged
    assert now["第一百二十四条"].flag == "not_in_library" and not now["第一百二十四条"].flagged
    before = library.resolve_text(cite, dt.date(2020, 3, 1))[0]
    assert before.flag == "not_in_force" and "不在施行期内" in before.message


def test_law_versions_and_rules(cw, laws):
    refused("laws.admin_only", do_load_law, acting_user=cw["u1"], name="某法", edition="1", effective_from="2026-01-01",
            text="第一条 内容")
    refused("laws.fields", do_load_law, acting_user=cw["admin"], name="某法", edition="1", effective_from="2026-13-01",
            text="第一条 内容")
    refused("laws.fields", do_load_law, acting_user=cw["admin"], name="某法", edition="1", effective_from="2026-01-01",
            text="没有条文")
    refused("laws.edition_unique", do_load_law, acting_user=cw["admin"], name="中华人民共和国行政处罚法",
            edition="重复", effective_from="2021-07-15", text="第一条 内容")
    new = do_load_law(acting_user=cw["admin"], name="中华人民共和国行政处罚法", edition="2030年修订（测试）",
                      effective_from="2030-01-01", text="第一条 新的内容")
    old = LawText.objects.get(name="中华人民共和国行政处罚法", effective_from=dt.date(2021, 7, 15))
    assert old.effective_to == dt.date(2030, 1, 1) and new.effective_to is None
    assert library.resolve(library.citations("行政处罚法第三十二条")[0], dt.date(2031, 1, 1)).flag == "article_missing"


def test_verify_finds_an_edited_article(cw, laws):
    from zhifa.discretion.verify import check_law_texts

    assert list(check_law_texts()) == []
    LawArticle.objects.filter(law__name="中华人民共和国行政处罚法", number=32).update(text="被改过")
    assert [d.kind for d in check_law_texts()] == ["discretion.law_text"]


def test_norms_per_entity_and_region(cw):
    case = builders.case_at(cw, "investigating")
    mine = do_add_norm(acting_user=cw["head"], kind="language", title="表明身份", text="您好，我们是……（出示执法证）",
                       step="investigating", entity=cw["smj"])
    region = do_add_norm(acting_user=cw["sup_county"], kind="procedure", title="调查取证规范", text="两名执法人员",
                         region=cw["smj"].region)
    do_add_norm(acting_user=cw["head"], kind="procedure", title="其他环节", text="……", step="notified", entity=cw["smj"])
    assert [n.pk for n in norms_for(case)] == [region.pk, mine.pk] or {n.pk for n in norms_for(case)} == {mine.pk, region.pk}
    refused("norms.who", do_add_norm, acting_user=cw["u1"], kind="procedure", title="x", text="y", entity=cw["smj"])
    refused("norms.who", do_add_norm, acting_user=cw["head"], kind="procedure", title="x", text="y", entity=cw["df"])
    refused("norms.fields", do_add_norm, acting_user=cw["head"], kind="bad", title="x", text="y", entity=cw["smj"])


def test_case_page_panel_and_api(cw, laws, client):
    from tests.discretion.conftest import publish_benchmark

    publish_benchmark(cw)
    decided_profile(cw, "5000")
    case = builders.case_at(cw, "proposed", facts=FACTS, legal_basis="《中华人民共和国行政处罚法》第三十二条",
                            penalty={"penalty_kinds": ["fine"], "fine_amount": "5000", "discretion_level": "一般"})
    do_add_norm(acting_user=cw["head"], kind="language", title="告知用语", text="依法告知您享有陈述申辩权", step="proposed",
                entity=cw["smj"])
    client.force_login(cw["u1"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'/discretion/case/{case.pk}/' in page
    panel = client.get(f"/discretion/case/{case.pk}/").content.decode()
    assert "告知用语" in panel and "认定裁量情节" in panel and "类案推送" in panel
    assert f'/discretion/laws/{LawText.objects.get(name="中华人民共和国行政处罚法").pk}/#a32' in panel
    r = client.post(f"/discretion/case/{case.pk}/circumstances/", {"factors": ["eliminated_harm"]})
    assert r.status_code == 302
    panel = client.get(f"/discretion/case/{case.pk}/").content.decode()
    assert 'data-level="从轻"' in panel and "须经行政机关负责人集体讨论" in panel
    api = client.get(f"/api/v1/discretion/cases/{case.pk}").json()
    assert api["suggestion"]["level"] == "从轻" and api["needs_discussion"] is True
    bases = client.get(f"/api/v1/discretion/cases/{case.pk}/bases").json()
    assert bases[0]["flag"] == "" and "从轻" in bases[0]["article_text"]
    assert client.get(f"/api/v1/discretion/cases/{case.pk}/similar").json()["cases"][0]["same_item"] is True
    assert client.get("/discretion/laws/?q=从轻").status_code == 200

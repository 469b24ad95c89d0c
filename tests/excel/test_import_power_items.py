"""Power-list import: new items become version-1 drafts, logged, all or nothing."""
import io

import pytest

from tests.excel.util import power_file, power_row, xlsx
from zhifa.common.models import ChangeLog
from zhifa.powers.actions import do_create_versioned, do_submit_versioned
from zhifa.powers.excel import EXAMPLE_CODE, POWER_ITEM_HEADERS, import_power_items, power_item_template
from zhifa.powers.models import PowerItem, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def problems(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_items_import_as_drafts_with_changelog(world):
    head = world["head"]
    rows = [power_row() for _ in range(12)]
    rows[0].update(权力类别="行政许可", 承办机构="", 版本=7, 状态="已发布")  # export-only columns are ignored
    report = import_power_items(power_file(rows), acting_user=head)
    assert report.ok, problems(report)
    assert report.created == 12
    items = PowerItem.objects.filter(code__in=[r["事项编码"] for r in rows])
    assert items.count() == 12
    assert {(i.status, i.version, i.is_head, i.entity_id) for i in items} == {
        (VersionStatus.DRAFT, 1, True, world["smj"].pk)}
    first = items.get(code=rows[0]["事项编码"])
    assert first.category == PowerItem.Category.LICENSING and first.unit is None
    assert items.exclude(pk=first.pk).filter(unit=world["smj_unit"]).count() == 11
    logs = ChangeLog.objects.filter(action=ChangeLog.Action.IMPORT, object_id__in=[str(i.pk) for i in items])
    assert logs.count() == 12 and set(logs.values_list("user_id", flat=True)) == {head.pk}
    # an imported draft goes on to the justice bureau like any other
    do_submit_versioned(first, acting_user=head)
    first.refresh_from_db()
    assert first.status == VersionStatus.PENDING


def test_bad_rows_import_nothing(world):
    head = world["head"]
    do_create_versioned(PowerItem, {"entity": world["smj"], "code": "OLD-1", "name": "已有事项", "category": "penalty",
                                    "law": "某法"}, acting_user=head)
    rows = [power_row() for _ in range(20)]
    rows[1]["权力类别"] = "行政处理"                  # row 3
    rows[4]["事项编码"] = "OLD-1"                     # row 6: exists in the entity
    rows[7]["事项编码"] = rows[6]["事项编码"]          # row 9: duplicate in file
    rows[10]["承办机构"] = "无此科"                    # row 12
    rows[13]["实施主体"] = "大方县市场监督管理局"       # row 15: outside scope
    rows[16]["依据法律法规"] = ""                      # row 18
    rows[17]["事项名称"] = "名" * 301                  # row 19
    before = (PowerItem.objects.count(), ChangeLog.objects.count())
    report = import_power_items(power_file(rows), acting_user=head)
    assert (PowerItem.objects.count(), ChangeLog.objects.count()) == before and report.created == 0
    assert [(r, c) for r, c, _ in problems(report)] == [
        (3, "权力类别"), (6, "事项编码"), (9, "事项编码"), (12, "承办机构"), (15, "实施主体"),
        (18, "依据法律法规"), (19, "事项名称")]
    assert "行政许可" in problems(report)[0][2] and "与第8行" in problems(report)[2][2]


def test_same_code_in_another_entity_is_fine(world):
    admin = world["admin"]
    do_create_versioned(PowerItem, {"entity": world["smj"], "code": "X-1", "name": "甲", "category": "penalty",
                                    "law": "某法"}, acting_user=admin)
    rows = [power_row(实施主体="七星关区生态环境局", 事项编码="X-1", 承办机构=""),
            power_row(实施主体="七星关区市场监督管理局", 事项编码="X-1", 承办机构="")]
    report = import_power_items(power_file(rows), acting_user=admin)
    assert [(e.row, e.column) for e in report.errors] == [(3, "事项编码")]
    report = import_power_items(power_file(rows[:1]), acting_user=admin)
    assert report.ok and PowerItem.objects.filter(code="X-1").count() == 2


def test_unit_head_and_no_rights(world):
    report = import_power_items(power_file([power_row(承办机构="")]), acting_user=world["unit_head"])
    assert report.ok, problems(report)
    report = import_power_items(power_file([power_row(承办机构="法规科")]), acting_user=world["unit_head"])
    assert [(e.row, e.column) for e in report.errors] == [(2, "承办机构")]
    for role in ("officer", "sup_county", "sup_city"):
        report = import_power_items(power_file([power_row()]), acting_user=world[role])
        assert problems(report) == [(0, "", "您没有导入权责清单的权限")]


def test_missing_columns_and_template(world):
    report = import_power_items(xlsx(["事项编码", "事项名称"], [["A", "B"]]), acting_user=world["head"])
    assert {e.column for e in report.errors} == {"权力类别", "依据法律法规", "条款", "责任事项", "追责情形", "承办机构"}
    report = import_power_items(io.BytesIO(power_item_template(world["head"])), acting_user=world["head"])
    assert problems(report) == [(2, "事项编码", "这是模板中的示例行，请删除后再导入")]
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(power_item_template())).worksheets[0]
    assert [c.value for c in ws[1]] == POWER_ITEM_HEADERS and ws["B2"].value == EXAMPLE_CODE

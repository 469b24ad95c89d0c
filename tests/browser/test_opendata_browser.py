"""开放数据 (/gs/data/) in headless Chromium: the page lists every dataset with its fields (the data
dictionary), and the decisions download as CSV and as JSON holds the published decision, redacted."""
import csv
import io
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def published(world):
    from tests.disclosure.conftest import decided_case
    from zhifa.disclosure.actions import publications as publication_actions
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    cw = factories.case_world(world)
    case = decided_case(cw)
    # Published today: a 5000-yuan fine stays public 36 months, so the row is in the data whatever the year.
    publication_actions.do_approve(case.publication, acting_user=cw["head"], on=timezone.localdate())
    case.refresh_from_db()
    yield cw, case
    periods.clear_cache()


def download(page, name, tmp_path):
    with page.expect_download() as dl:
        page.get_by_test_id("dataset-decisions").get_by_role("link", name=name, exact=True).click()
    assert dl.value.suggested_filename == name
    path = tmp_path / name
    dl.value.save_as(path)
    return path.read_bytes().decode("utf-8-sig")


def test_data_page_lists_datasets_and_decisions_download(page, site, published, tmp_path):
    from zhifa.disclosure import opendata

    cw, case = published
    pub = case.publication
    page.goto(f"{site}/gs/data/")
    expect(page.get_by_role("heading", name="开放数据", exact=True)).to_be_visible()
    for slug, ds in opendata.DATASETS.items():
        section = page.get_by_test_id(f"dataset-{slug}")
        expect(section.get_by_role("heading", name=ds.title)).to_be_visible()
        expect(section.get_by_role("link", name=f"{slug}.csv")).to_be_visible()
        expect(section.locator("tbody tr")).to_have_count(len(ds.fields))
    decisions = page.get_by_test_id("dataset-decisions")
    for key, label in (("decision_number", "决定书文号"), ("target", "行政相对人（已脱敏）"), ("ledger_seq", "防篡改日志序号")):
        expect(decisions.locator("tr", has=page.locator("code", has_text=key))).to_contain_text(label)

    text = download(page, "decisions.csv", tmp_path)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and list(rows[0]) == opendata.DATASETS["decisions"].keys
    row = rows[0]
    assert row["id"] == str(pub.pk) and row["url"] == f"{site}/gs/results/{pub.pk}/"
    assert row["entity"] == cw["smj"].name and row["published_on"] == timezone.localdate().isoformat()
    assert row["decision_number"] == case.decision_number != ""
    assert "张某" in row["target"] and "张建国" not in text and "13985712345" not in text
    assert row["fine_amount"].startswith("5000")

    data = json.loads(download(page, "decisions.json", tmp_path))
    assert [d["id"] for d in data] == [pub.pk]
    assert data[0]["decision_number"] == row["decision_number"] and data[0]["body"] == row["body"]
    assert "张建国" not in json.dumps(data, ensure_ascii=False)

    # The machine-readable dictionary behind the link says the same.
    page.goto(f"{site}/gs/data/")
    with page.expect_navigation():
        page.get_by_test_id("dictionary-link").click()
    doc = json.loads(page.locator("body").inner_text())
    names = {d["name"]: d for d in doc["datasets"]}
    assert set(names) == set(opendata.DATASETS)
    assert [f["name"] for f in names["decisions"]["fields"]] == opendata.DATASETS["decisions"].keys
    assert names["decisions"]["download_csv"] == f"{site}/gs/data/decisions.csv"

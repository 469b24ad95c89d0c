"""`zhifa bench inspections` runs (tiny) and reports ratios against its baselines; its kit verifies."""
from zhifa.common.registry import bench_suites


def test_bench_suite_runs_small_and_reports_ratios():
    suite = bench_suites["inspections"]()
    r = suite.run({"sjs_objects": 400, "sjs_inspectors": 12, "sjs_recusals": 5})
    assert r["objects"] == 400 and r["selected"] > 0 and r["recusals"] == 5
    rows = suite.report(r)
    assert all(len(row) == 6 for row in rows) and any(row[4].endswith("×") for row in rows)
    assert suite.details(r)[0].startswith("strata:")

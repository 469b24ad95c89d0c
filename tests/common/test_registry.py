"""The registries apps fill from one module each (zhifa/common/registry.py)."""
import inspect

import pytest
from django.urls import reverse

from zhifa.common.registry import (
    Registry,
    alert_checks,
    bench_suites,
    case_panels,
    demo_steps,
    document_facts,
    portal_pages,
    target_panels,
    target_sections,
)
from zhifa.portal.templatetags.portal import links
from zhifa.supervision.models import Alert


def test_entries_come_in_order_then_key_and_a_module_imported_twice_registers_once():
    reg: Registry[int] = Registry("no_such_module_anywhere", "thing")
    reg.register("b", 2, order=5)
    reg.register("a", 1, order=5)
    reg.register("z", 0, order=1)
    reg.register("a", 1, order=5)  # the same module again: no-op
    assert reg.keys() == ["z", "a", "b"]
    assert reg["a"] == 1 and "b" in reg and reg.get("missing") is None
    with pytest.raises(KeyError):
        reg["missing"]


def test_the_same_key_from_two_modules_is_refused():
    reg: Registry[object] = Registry("no_such_module_anywhere", "thing")

    def one():
        return 1

    def two():
        return 2

    two.__module__ = "elsewhere"
    reg.register("k", one)
    with pytest.raises(ValueError, match="registered twice"):
        reg.register("k", two)


def test_every_app_contributes_its_alert_checks_and_each_kind_is_an_alert_kind():
    modules = {entry.module for entry in alert_checks.entries()}
    assert modules == {"zhifa.cases.alerts", "zhifa.orgs.alerts", "zhifa.review.alerts", "zhifa.disclosure.alerts",
                       "zhifa.supervision.alerts", "zhifa.transfers.alerts", "zhifa.discretion.alerts",
                       "zhifa.inspections.alerts"}
    kinds = set(Alert.Kind.values)
    for entry in alert_checks.entries():
        source = inspect.getsource(entry.value)
        assert {kind for kind in kinds if f'"{kind}"' in source}, entry.key


def test_bench_suites_and_demo_steps_are_found_in_their_apps():
    assert set(bench_suites.keys()) == {"foundation", "cases", "ledger", "ingest", "records", "portal", "supervision",
                                       "discretion", "inspections", "load"}
    for entry in bench_suites.entries():
        assert entry.module.endswith(".bench") or ".bench." in entry.module, entry
    steps = demo_steps.entries()
    assert [entry.key for entry in steps] == ["discretion", "documents", "notify", "publications", "permits", "annual_reports", "transfers", "casefile",
                                              "inspections", "orders", "major_filings", "supervision_powers", "campaign", "coordination", "officers",
                                              "complaints_social", "dispatch", "exchange", "witness"]
    assert {entry.module.split(".")[1] for entry in steps} == {"documents", "disclosure", "supervision", "transfers",
                                                                "inspections", "witness", "notify",
                                                                "discretion", "exchange", "permits", "dispatch"}


def test_every_public_page_is_declared_in_its_apps_urls_public_and_mounted_by_the_portal():
    entries = portal_pages.entries()
    assert {entry.key: entry.module for entry in entries} == {"guidance": "zhifa.guidance.urls_public",
                                                              "disclosure": "zhifa.disclosure.urls_public",
                                                              "supervision": "zhifa.supervision.urls_public",
                                                              "witness": "zhifa.witness.urls_public",
                                                              "inspections": "zhifa.inspections.urls_public",
                                                              "notify": "zhifa.notify.urls_public"}
    assert [entry.key for entry in entries] == ["guidance", "inspections", "disclosure", "supervision", "witness",
                                                "notify"]  # /gs/guidance/ first
    assert reverse("gs-social-feedback", args=["t0ken"]) == "/gs/jiandu/t0ken/"
    nav = [link.label for link in links()]
    assert nav == ["综合信息", "执法部门", "执法人员", "权责清单", "监督清单", "执法结果", "办理动态", "咨询投诉", "亮证查询", "双随机",
                   "指导案例",
                   "统计年报", "开放数据", "防篡改日志"]
    assert reverse("gs-ledger-heads") == "/gs/ledger/heads/"
    assert reverse("gs-guidance") == "/gs/guidance/" and reverse("gs-decision", args=[7]) == "/gs/results/7/"


def test_case_panels_and_document_facts_come_from_the_apps_built_on_cases():
    assert {e.key: e.module for e in case_panels.entries()} == {"discretion": "zhifa.discretion.panels",
                                                              "permits": "zhifa.permits.panels"}
    assert {e.key: e.module for e in target_panels.entries()} == {"permits": "zhifa.permits.panels"}
    for entry in target_panels.entries():
        assert reverse(entry.value.url_name)
    for entry in case_panels.entries():
        assert reverse(entry.value.url_name, args=[1])
    assert {e.key: e.module for e in document_facts.entries()} == {"discretion": "zhifa.discretion.docfacts",
                                                                         "exchange": "zhifa.exchange.docfacts"}
    assert {e.key: e.module for e in target_sections.entries()} == {"inspections": "zhifa.inspections.targets"}

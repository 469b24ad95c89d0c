import pytest
from django.test import Client

from zhifa.api import ROUTERS

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/auth/token", "/api/v1/auth/me", "/api/v1/regions", "/api/v1/regions/{region_id}",
    "/api/v1/entities", "/api/v1/entities/{entity_id}", "/api/v1/units", "/api/v1/units/{unit_id}",
    "/api/v1/officers", "/api/v1/officers/{officer_id}", "/api/v1/certificates", "/api/v1/certificates/{cert_id}",
    "/api/v1/trainings", "/api/v1/advisers", "/api/v1/changelog/{label}/{pk}",
    *[f"/api/v1/{slug}{suffix}" for slug in ("power-items", "inspection-items", "service-guides", "flowcharts")
      for suffix in ("", "/{pk}", "/{pk}/submit", "/{pk}/confirm", "/{pk}/reject")],
]


def test_openapi_schema_builds_with_all_paths():
    r = Client().get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert set(PATHS) <= set(schema["paths"])
    officers = schema["paths"]["/api/v1/officers/{officer_id}"]
    assert set(officers) == {"get", "patch", "delete"}
    assert set(schema["paths"]["/api/v1/power-items/{pk}"]) == {"get", "patch", "delete"}
    op_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(op_ids) == len(set(op_ids))
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    officer_in = schema["components"]["schemas"]["OfficerIn"]["properties"]
    assert officer_in["id_number"]["title"] == "身份证号"
    params = {p["name"]: p for p in schema["paths"]["/api/v1/officers"]["get"]["parameters"]}
    assert {"q", "entity", "status", "cert", "page", "page_size"} <= set(params)
    assert params["cert"]["description"].startswith("valid/1")


def test_docs_page():
    assert Client().get("/api/docs").status_code == 200


def test_operation_ids_do_not_depend_on_module_paths():
    """Without an explicit operation_id, django-ninja derives one from the view's module path, so
    moving a router's module would rename the operation: every route names its id."""
    implicit = sorted(f"{op.view_func.__module__}.{op.view_func.__name__}"
                      for _prefix, router in ROUTERS for view in router.path_operations.values()
                      for op in view.operations if op.operation_id is None)
    assert implicit == []


def _models(annotation, seen):
    """Every pydantic model reachable from an annotation (fields, list[...], Optional[...])."""
    import typing

    import pydantic

    if id(annotation) in seen:
        return
    seen.add(id(annotation))
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
        for f in annotation.model_fields.values():
            yield from _models(f.annotation, seen)
    for arg in typing.get_args(annotation):
        yield from _models(arg, seen)


def test_schema_component_names_are_unique():
    """django-ninja names a component after its class: two classes of one name (records' and the
    powers' VersionOut, records' and the cases' RecordOut) made one operation document the other's
    body, so clients and schemathesis saw answers that broke their documented schema."""
    from collections import defaultdict

    names = defaultdict(set)
    seen: set = set()
    for _prefix, router in ROUTERS:
        for view in router.path_operations.values():
            for op in view.operations:
                for model in (op.response_models or {}).values():
                    for m in _models(model, seen):
                        names[m.__name__].add(f"{m.__module__}.{m.__qualname__}")
                for param_model in op.models:
                    for m in _models(param_model, seen):
                        names[m.__name__].add(f"{m.__module__}.{m.__qualname__}")
    clashes = {n: sorted(s) for n, s in names.items() if len(s) > 1}
    assert clashes == {}

"""The import graph follows the floors of docs/architecture.md: an app imports only apps on its own
floor or below. The named exceptions are listed with their reason; a new upward import fails here."""
import ast
from pathlib import Path

ZHIFA = Path(__file__).resolve().parents[1] / "zhifa"

FLOORS = {
    # ground
    "common": 0, "orgs": 0, "accounts": 0, "powers": 0, "legalcal": 0, "ledger": 0, "blobs": 0, "witness": 0,
    # core: the case engine and the records and documents of a case
    "cases": 1, "documents": 1, "records": 1,
    # built on cases, reacting through the seam
    "review": 2, "disclosure": 2, "supervision": 2, "transfers": 2, "guidance": 2, "notify": 2, "discretion": 2, "inspections": 2, "exchange": 2, "permits": 2, "dispatch": 2,
    # top: assembles the product
    "site": 3, "portal": 3, "ops": 3,
}
TOP_MODULES = {"api", "api_urls", "urls", "health", "cli", "settings", "settings_test", "wsgi", "__main__", "__init__"}

# (importing app, imported app): why the edge is allowed.
EXCEPTIONS = {
    ("common", "ledger"): "common.actions appends every change-log row to the ledger",
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


def upward_imports() -> list[str]:
    offenders = []
    for path in ZHIFA.rglob("*.py"):
        parts = path.relative_to(ZHIFA).parts
        if len(parts) == 1:
            assert path.stem in TOP_MODULES, f"zhifa/{path.name} is on no floor: add it to FLOORS or TOP_MODULES"
            continue
        app = parts[0]
        if app in ("static", "templates"):
            continue
        assert app in FLOORS, f"zhifa/{app}/ is on no floor: place it in FLOORS and in docs/architecture.md"
        for module in imports(path):
            bits = module.split(".")
            if bits[0] != "zhifa" or len(bits) < 2:
                continue
            target = bits[1]
            if target in TOP_MODULES and target not in FLOORS:
                if FLOORS[app] < max(FLOORS.values()):
                        offenders.append(f"{path.relative_to(ZHIFA)} imports the top-level zhifa.{target}")
                continue
            if target not in FLOORS or target == app:
                continue
            if FLOORS[target] > FLOORS[app] and (app, target) not in EXCEPTIONS:
                offenders.append(f"{path.relative_to(ZHIFA)} imports {module}")
    return sorted(offenders)


def test_no_app_imports_an_app_above_its_floor():
    assert upward_imports() == []


def test_the_top_floors_are_imported_by_nothing_below_them():
    for app in ("site", "portal", "ops"):
        assert FLOORS[app] == max(FLOORS.values())

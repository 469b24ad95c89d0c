"""The map layer without external tiles: region outlines (GeoJSON-like geometry) and task markers drawn
as SVG in the platform's own pages, in an equirectangular projection scaled by the cosine of the
middle latitude (good enough at a county's size); and simple demo outlines where the platform has no
surveyed ones."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

WIDTH = 1000.0
PAD = 20.0


def _rings(geometry: dict) -> list[list[list[float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for poly in coords for ring in poly]
    return []


def check_geometry(geometry) -> str:
    """'' when the geometry is a usable Polygon or MultiPolygon, else the problem in Chinese."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "应为 GeoJSON 的 Polygon 或 MultiPolygon"
    rings = _rings(geometry)
    if not rings:
        return "没有坐标"
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return "每个环至少4个点（首尾相同）"
        for pt in ring:
            if not (isinstance(pt, (list, tuple)) and len(pt) >= 2 and all(isinstance(v, (int, float)) for v in pt[:2])):
                return "坐标应为[经度, 纬度]数字对"
            if not (-180 <= pt[0] <= 180 and -90 <= pt[1] <= 90):
                return "坐标超出经纬度范围"
    return ""


@dataclass
class Shape:
    name: str
    d: str
    x: float
    y: float
    code: str = ""

    @property
    def label_y(self) -> float:
        """The name sits above the centre, where the demo's markers often are."""
        return round(self.y - 22, 1)


@dataclass
class Marker:
    x: float
    y: float
    colour: str
    task: object
    label: str = ""


@dataclass
class MapLayer:
    width: float = WIDTH
    height: float = WIDTH * 0.6
    shapes: list[Shape] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    unplaced: list = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def build(outlines: list[tuple[str, str, dict]], points: list[tuple[float, float, str, object, str]],
          unplaced=()) -> MapLayer:
    """outlines: [(name, code, geometry)]; points: [(lon, lat, colour, task, label)]."""
    lons, lats = [], []
    for _n, _c, g in outlines:
        for ring in _rings(g):
            lons += [p[0] for p in ring]
            lats += [p[1] for p in ring]
    for lon, lat, *_ in points:
        lons.append(lon)
        lats.append(lat)
    layer = MapLayer(unplaced=list(unplaced))
    if not lons:
        return layer
    w, e, s, n = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((s + n) / 2))
    span_x, span_y = max((e - w) * k, 1e-4), max(n - s, 1e-4)
    scale = (WIDTH - 2 * PAD) / span_x
    layer.height = round(span_y * scale + 2 * PAD, 1)

    def xy(lon, lat):
        return round(PAD + (lon - w) * k * scale, 1), round(PAD + (n - lat) * scale, 1)

    for name, code, g in outlines:
        parts, cx, cy, count = [], 0.0, 0.0, 0
        for ring in _rings(g):
            pts = [xy(p[0], p[1]) for p in ring]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in pts) + " Z")
            for x, y in pts[:-1]:
                cx, cy, count = cx + x, cy + y, count + 1
        if parts:
            layer.shapes.append(Shape(name, " ".join(parts), round(cx / count, 1), round(cy / count, 1), code))
    for lon, lat, colour, task, label in points:
        x, y = xy(lon, lat)
        layer.markers.append(Marker(x, y, colour, task, label))
    return layer


def demo_outlines(codes: list[str], *, centre=(105.28, 27.30), size=(0.5, 0.36), seed="zhifa-demo"
                  ) -> tuple[dict, list[dict]]:
    """Simple outlines for a parent region and its children (示意边界, not surveyed): the parent's
    rectangle around `centre` divided into a grid of cells whose inner corners are jittered, so the
    children tile the parent without gaps. Returns (parent geometry, [child geometry] in codes' order)."""
    rng = random.Random(seed)
    n = max(len(codes), 1)
    cols = math.ceil(math.sqrt(n * size[0] / size[1]))
    rows = math.ceil(n / cols)
    w0, s0 = centre[0] - size[0] / 2, centre[1] - size[1] / 2
    dx, dy = size[0] / cols, size[1] / rows
    grid = {}
    for i in range(cols + 1):
        for j in range(rows + 1):
            jx = 0 if i in (0, cols) else rng.uniform(-0.25, 0.25) * dx
            jy = 0 if j in (0, rows) else rng.uniform(-0.25, 0.25) * dy
            grid[i, j] = [round(w0 + i * dx + jx, 5), round(s0 + j * dy + jy, 5)]

    def edge(a, b, steps=3):
        """Points from a to b (without b), the middle ones nudged: a less geometric border, shared by
        both neighbours because it depends only on its end points."""
        r = random.Random(f"{seed}:{a}:{b}" if a < b else f"{seed}:{b}:{a}")
        pts = [a]
        for t in range(1, steps):
            f = t / steps
            nx = a[0] + (b[0] - a[0]) * f
            ny = a[1] + (b[1] - a[1]) * f
            wob = r.uniform(-0.08, 0.08)
            pts.append([round(nx + wob * (b[1] - a[1]), 5), round(ny - wob * (b[0] - a[0]), 5)])
        if a > b:  # the same points whichever way the border is walked
            pts = [a] + list(reversed(edge(b, a, steps)[1:]))
        return pts

    def ring(corners):
        out = []
        for a, b in zip(corners, corners[1:] + corners[:1]):
            out += edge(a, b)
        return out + [out[0]]

    children = []
    for idx in range(len(codes)):
        i, j = idx % cols, idx // cols
        children.append({"type": "Polygon", "coordinates": [ring([grid[i, j], grid[i + 1, j],
                                                                  grid[i + 1, j + 1], grid[i, j + 1]])]})
    # The parent: the outer border of the cells in use (the grid's boundary when full).
    outer = ([grid[i, 0] for i in range(cols)] + [grid[cols, j] for j in range(rows)]
             + [grid[i, rows] for i in range(cols, 0, -1)] + [grid[0, j] for j in range(rows, 0, -1)])
    parent = {"type": "Polygon", "coordinates": [ring(outer)]}
    return parent, children


def centroid(geometry: dict) -> tuple[float, float]:
    pts = [p for ring in _rings(geometry)[:1] for p in ring[:-1]]
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)

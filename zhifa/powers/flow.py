"""Flowchart structure check and rendering (an SVG diagram, laid out top-down by depth)."""
from __future__ import annotations

from html import escape

KINDS = {"start", "task", "decision", "end"}


def check_steps(steps) -> str | None:
    if not isinstance(steps, list) or not steps:
        return "流程至少需要一个步骤"
    keys = set()
    for i, s in enumerate(steps, 1):
        if not isinstance(s, dict) or not s.get("key") or not s.get("label"):
            return f"第{i}步缺少编号或名称"
        if s.get("kind", "task") not in KINDS:
            return f"第{i}步类型无效（应为 start/task/decision/end）"
        if s["key"] in keys:
            return f"第{i}步编号“{s['key']}”重复"
        keys.add(s["key"])
    for i, s in enumerate(steps, 1):
        for n in s.get("next", []):
            if n not in keys:
                return f"第{i}步指向不存在的步骤“{n}”"
    return None


def parse_lines(text: str) -> list[dict]:
    """Editor format, one step per line: `key|label|kind|next1,next2` (kind, next optional)."""
    steps = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (4 - len(parts))
        steps.append({"key": parts[0], "label": parts[1], "kind": parts[2] or "task",
                      "next": [n.strip() for n in parts[3].split(",") if n.strip()]})
    return steps


def to_lines(steps) -> str:
    return "\n".join(f"{s['key']}|{s['label']}|{s.get('kind', 'task')}|{','.join(s.get('next', []))}"
                     for s in steps or [])


def render_svg(steps) -> str:
    if check_steps(steps):
        return ""
    by_key = {s["key"]: s for s in steps}
    depth = {steps[0]["key"]: 0}
    queue = [steps[0]["key"]]
    while queue:  # breadth-first depth assignment; unreachable steps go below
        k = queue.pop(0)
        for n in by_key[k].get("next", []):
            if n not in depth:
                depth[n] = depth[k] + 1
                queue.append(n)
    extra = max(depth.values(), default=0) + 1
    for s in steps:
        depth.setdefault(s["key"], extra)
    rows: dict[int, list[str]] = {}
    for s in steps:
        rows.setdefault(depth[s["key"]], []).append(s["key"])
    w, h, gx, gy = 180, 44, 30, 40
    width = max(len(r) for r in rows.values()) * (w + gx) + gx
    pos = {}
    for d, keys in rows.items():
        offset = (width - len(keys) * (w + gx) + gx) / 2
        for i, k in enumerate(keys):
            pos[k] = (offset + i * (w + gx), gy + d * (h + gy))
    height = (max(rows) + 1) * (h + gy) + gy
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height}" '
           f'width="{width:.0f}" height="{height}" '
           f'class="flowchart" role="img"><defs><marker id="arr" markerWidth="8" markerHeight="8" '
           f'refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>']
    for s in steps:
        x, y = pos[s["key"]]
        for n in s.get("next", []):
            nx, ny = pos[n]
            out.append(f'<line x1="{x + w / 2:.0f}" y1="{y + h}" x2="{nx + w / 2:.0f}" y2="{ny}" '
                       f'stroke="#555" marker-end="url(#arr)"/>')
    for s in steps:
        x, y = pos[s["key"]]
        kind = s.get("kind", "task")
        if kind == "decision":
            cx, cy = x + w / 2, y + h / 2
            out.append(f'<polygon points="{cx:.0f},{y} {x + w:.0f},{cy:.0f} {cx:.0f},{y + h} {x:.0f},{cy:.0f}" '
                       f'fill="#fff7e6" stroke="#d48806"/>')
        else:
            rx = 22 if kind in ("start", "end") else 4
            fill = "#e6f4ff" if kind == "task" else "#f6ffed"
            out.append(f'<rect x="{x:.0f}" y="{y}" width="{w}" height="{h}" rx="{rx}" fill="{fill}" stroke="#1677ff"/>')
        out.append(f'<text x="{x + w / 2:.0f}" y="{y + h / 2 + 5:.0f}" text-anchor="middle" '
                   f'font-size="13">{escape(s["label"][:14])}</text>')
    out.append("</svg>")
    return "".join(out)

"""The law library's read side: parse a statute text into articles, find the article a citation
names (“《中华人民共和国食品安全法》第一百二十四条”, “行政处罚法第三十二条第一项”), in force on a date.

    cites = citations(text)                      # [Citation(law, label, number)]
    found = resolve(cite, on=violation_date)     # Resolved(article or None, law, flag)
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

SHIPPED = Path(__file__).parent / "laws"
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """“一百二十四” → 124, “十” → 10, “32” → 32."""
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    total, cur = 0, 0
    for ch in text:
        if ch in DIGITS:
            cur = DIGITS[ch]
        elif ch in UNITS:
            total += (cur or 1) * UNITS[ch]
            cur = 0
        else:
            return None
    total += cur
    return total or None


ARTICLE_START = re.compile(r"^第([零〇一二两三四五六七八九十百千0-9]+)条[\s　]+(.*)$")
CHAPTER = re.compile(r"^#+\s*(第[零〇一二三四五六七八九十百]+章.*)$")


def parse_articles(text: str) -> list[dict]:
    """A statute in the shipped Markdown form (one “第N条 …” per paragraph start) → articles."""
    arts: list[dict] = []
    chapter = ""
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        m = CHAPTER.match(line)
        if m:
            chapter = m.group(1).strip()
            continue
        if line.startswith("#"):
            continue
        m = ARTICLE_START.match(line)
        if m and cn_number(m.group(1)):
            arts.append({"number": cn_number(m.group(1)), "label": f"第{m.group(1)}条", "chapter": chapter,
                         "text": m.group(2).strip()})
        elif arts:
            arts[-1]["text"] += "\n" + line
    seen, out = set(), []
    for a in arts:
        if a["number"] not in seen:
            seen.add(a["number"])
            out.append(a)
    return out


def manifest() -> list[dict]:
    return json.loads((SHIPPED / "manifest.json").read_text("utf-8"))


@dataclass(frozen=True)
class Citation:
    law: str          # as written, without 《》
    label: str        # 第N条
    number: int
    rest: str = ""    # 第一款、第（一）项 …


CITE = re.compile(r"《?([\u4e00-\u9fa5（）()]{2,40}?(?:法|条例|规定|办法|细则|决定))》?\s*"
                  r"第([零〇一二两三四五六七八九十百千0-9]+)条((?:第[零〇一二三四五六七八九十0-9（）()]+[款项])*)")


def citations(text: str) -> list[Citation]:
    out, seen = [], set()
    for m in CITE.finditer(text or ""):
        law = m.group(1).strip("《》 ")
        for lead in ("依据", "根据", "违反了", "违反", "依照", "按照", "和", "及", "、", "以及"):
            if law.startswith(lead) and len(law) > len(lead) + 1:
                law = law[len(lead):]
        n = cn_number(m.group(2))
        if not n:
            continue
        key = (law, n)
        if key in seen:
            continue
        seen.add(key)
        out.append(Citation(law, f"第{m.group(2)}条", n, m.group(3) or ""))
    return out


@dataclass
class Resolved:
    citation: Citation
    article: object | None      # LawArticle in force on the date
    law: object | None          # LawText in force on the date (or the nearest edition)
    flag: str                   # "" | not_in_library | not_in_force | article_missing

    @property
    def message(self) -> str:
        c = self.citation
        if self.flag == "not_in_library":
            return f"法规库未收录《{c.law}》"
        if self.flag == "not_in_force":
            return f"《{c.law}》{c.label}在违法行为发生时不在施行期内"
        if self.flag == "article_missing":
            return f"《{c.law}》施行版本中没有{c.label}"
        return ""

    @property
    def flagged(self) -> bool:
        return self.flag in ("not_in_force", "article_missing")


def _law_q(name: str):
    from django.db.models import Q

    short = name.removeprefix("中华人民共和国")
    return Q(name=name) | Q(name=f"中华人民共和国{short}") | Q(aliases__contains=short)


def resolve(c: Citation, on: dt.date | None) -> Resolved:
    from zhifa.discretion.models import LawArticle, LawText

    editions = list(LawText.objects.filter(_law_q(c.law)).order_by("-effective_from"))
    if not editions:
        return Resolved(c, None, None, "not_in_library")
    when = on or timezone.localdate()
    law = next((e for e in editions if e.in_force(when)), None)
    if law is None:
        return Resolved(c, None, editions[0], "not_in_force")
    art = LawArticle.objects.filter(law=law, number=c.number).first()
    return Resolved(c, art, law, "" if art else "article_missing")


def resolve_text(text: str, on: dt.date | None) -> list[Resolved]:
    return [resolve(c, on) for c in citations(text)]


def search(query: str, limit: int = 50):
    """Articles whose text or law name contains every word of the query (space-separated)."""
    from django.db.models import Q

    from zhifa.discretion.models import LawArticle

    qs = LawArticle.objects.select_related("law")
    query = (query or "").replace("\x00", "")[:100]
    words = [w for w in re.split(r"\s+", query.strip()) if w][:5]
    if not words:
        return qs.none()
    for w in words:
        n = None
        m = re.fullmatch(r"第?([零〇一二三四五六七八九十百千0-9]+)条", w)
        if m:
            n = cn_number(m.group(1))
        q = Q(text__contains=w) | Q(law__name__contains=w) | Q(law__aliases__contains=w)
        if n:
            q |= Q(number=n)
        qs = qs.filter(q)
    return qs.order_by("law__name", "-law__effective_from", "number")[:limit]

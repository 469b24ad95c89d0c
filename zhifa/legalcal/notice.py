"""Parse the State Council's 《国务院办公厅关于YYYY年部分节假日安排的通知》 as pasted by an
administrator into the days it declares off and the weekend days it declares working days.

    notice = parse_notice(text)             # or parse_notice(text, year=2027)
    notice.year, notice.holidays, notice.workdays, notice.title

Every wording used since 2008 is understood: "1月1日至3日放假调休，共3天。", "1月1日放假，与周末连休。",
"2月7日（星期日）、20日（星期六）上班。", "5月1日放假，5月2日（星期一）补休。",
"1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。", the 2008 notice's
"其中，…公休日调至…" explanations, a later "…假期调整为：…" (2019) and "延长…假期至…" (2020).

Anything doubtful is refused (a NoticeError, an ActionRefused with field="text") with a Chinese
message quoting the sentence: a date that does not exist or whose stated weekday is wrong, "共N天"
not matching the range, a weekday declared a working day, a day declared twice or both off and
working, a notice for another year than stated, and any sentence that speaks of 放假/上班/补休/调休
with a date the parser could not account for. Nothing is saved here.

Dates in the neighbouring year are kept (the 2019 notice starts on 2018-12-30): a bare December
date in an item that also speaks of January belongs to the previous year. `Notice.in_year()`
gives the days inside the notice's year, which is what the calendar can store.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from zhifa.common.actions import ActionRefused
from zhifa.legalcal.periods import DayList

ONE_DAY = dt.timedelta(days=1)
KEYWORDS = ("放假", "上班", "补休", "调休")
WEEKDAYS = "一二三四五六日"
CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十")}

# ---- refusals ---------------------------------------------------------------------------------


class NoticeError(ActionRefused):
    rule = "calendar.notice_unparsed"

    def __init__(self, message: str, sentence: str = ""):
        super().__init__(self.rule, message, field="text")
        self.sentence = sentence


class NoticeUnparsed(NoticeError):
    rule = "calendar.notice_unparsed"


class NoticeYearError(NoticeError):
    rule = "calendar.notice_year"


class NoticeCountError(NoticeError):
    rule = "calendar.notice_count"


class NoticeOverlap(NoticeError):
    rule = "calendar.notice_overlap"


class NoticeWorkdayWeekday(NoticeError):
    rule = "calendar.notice_workday_weekday"


class NoticeBadDate(NoticeError):
    rule = "calendar.notice_bad_date"


# ---- result -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    year: int
    holidays: list[tuple[dt.date, str]]
    workdays: list[tuple[dt.date, str]]
    title: str = ""

    def in_year(self) -> tuple[DayList, DayList]:
        """(holidays, workdays) inside the notice's year: what `do_enter_calendar_year` accepts."""
        return ([x for x in self.holidays if x[0].year == self.year],
                [x for x in self.workdays if x[0].year == self.year])

    @property
    def outside_year(self) -> list[tuple[dt.date, str, str]]:
        """[(date, name, 'holiday'|'workday')] falling in a neighbouring year."""
        return sorted([(d, n, "holiday") for d, n in self.holidays if d.year != self.year]
                      + [(d, n, "workday") for d, n in self.workdays if d.year != self.year])


# ---- text normalisation -----------------------------------------------------------------------
_WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       "(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "[": "〔", "]": "〕",
                       "［": "〔", "］": "〕", "～": "~", "－": "-", "–": "-", "—": "-", "―": "-"})
_DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:（(?P<note>[^（）]*)）)?")
# "一、元旦：" may follow the title directly once line breaks are gone; "1." only after a full stop
_ITEM = re.compile(r"(?:(?<![期周初〇零一二三四五六七八九十])[一二三四五六七八九十]{1,3}、|(?:(?<=[。：；])|^)\d{1,2}[、.．])"
                   r"(?P<name>[^：。；，、（）\d][^：。；，、（）]{0,39}(?:、[^：。；，、（）]{1,40})*)：")
_AMEND = re.compile(r"(?:(?<=[。：；，])|^)(?:经国务院批准，)?(?:\d{4}年)?(?P<name>[^：。；，\d]{1,40}?)"
                    r"假期调整为：?")
_TITLE = re.compile(r"国务院(?:办公厅)?关于[^。，；：《》]{0,60}?的通知")
_DOCNO = re.compile(r"国(?:办)?发明?电〔\d{4}〕\d+号")


def normalize(text: str) -> str:
    """Full-width digits and half-width punctuation to one form, whitespace removed (a paste may
    break lines anywhere), dashes between dates read as 至."""
    text = (text or "").lstrip("\ufeff").translate(_WIDE)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(日(?:（[^（）]*）)?)(?:-+|~)(?=\d)", r"\1至", text)
    return text


def _sentences(body: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；！？])", body) if s.strip("。；！？")]


# ---- dates ------------------------------------------------------------------------------------
@dataclass
class _Tok:
    date: dt.date
    note: str
    explicit_year: bool


def _weekday_of(note: str) -> int | None:
    m = re.search(r"(?:星期|周)([一二三四五六日天])", note or "")
    if not m:
        return None
    return 6 if m[1] in "日天" else WEEKDAYS.index(m[1])


def _cn_weekday(d: dt.date) -> str:
    return "星期" + WEEKDAYS[d.weekday()]


def _tokens(sentence: str, year: int, item_has_january: bool, ctx: dict[str, int]) -> list[tuple[re.Match[str], _Tok]]:
    """Every date in the sentence with its year resolved. `ctx` carries the last (year, month)
    seen in the item so that "至3日" / "、21日" inherit them."""
    out: list[tuple[re.Match[str], _Tok]] = []
    for m in _DATE.finditer(sentence):
        y = int(m["y"]) if m["y"] else None
        month = int(m["m"]) if m["m"] else None
        if month is None:
            if "month" not in ctx:
                raise NoticeUnparsed(f"无法确定“{sentence}”中“{m[0]}”是哪个月", sentence)
            month = ctx["month"]
            y = y or ctx["year"]
        if y is None:
            y = year - 1 if month == 12 and item_has_january else year
        if abs(y - year) > 1:
            raise NoticeYearError(f"“{sentence}”中的日期{y}年{month}月不属于{year}年的放假安排", sentence)
        try:
            d = dt.date(y, month, int(m["d"]))
        except ValueError:
            raise NoticeBadDate(f"“{sentence}”中的日期“{m[0]}”不存在", sentence) from None
        wd = _weekday_of(m["note"])
        if wd is not None and wd != d.weekday():
            raise NoticeBadDate(f"“{sentence}”中{d:%Y-%m-%d}注明为“{m['note']}”，实际是{_cn_weekday(d)}",
                                sentence)
        ctx["year"], ctx["month"] = d.year, d.month
        out.append((m, _Tok(d, m["note"] or "", bool(m["y"]))))
    return out


def _weekdays_fit(body: str, year: int, title: str) -> None:
    """Refuse a notice whose stated weekdays fit another year rather than the stated one (the
    title changed, the body not): better said as a wrong year than as a dozen wrong weekdays."""
    marks = [(int(m["m"]), int(m["d"]), _weekday_of(m["note"])) for m in _DATE.finditer(body)
             if m["m"] and not m["y"] and _weekday_of(m["note"]) is not None]
    if len(marks) < 3:
        return

    def fits(y: int) -> int:
        return sum(1 for mo, d, wd in marks if _valid(y, mo, d) and dt.date(y, mo, d).weekday() == wd)

    if fits(year) * 2 >= len(marks):
        return
    best = max((y for y in range(year - 3, year + 4) if y != year), key=fits)
    if fits(best) * 5 >= len(marks) * 4:
        raise NoticeYearError(f"“{title or year}”标明{year}年，但通知所注星期与{year}年不符，"
                              f"似为{best}年的安排，请核对", title)


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    out = []
    while a <= b:
        out.append(a)
        a += ONE_DAY
    return out


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in CN_NUM:
        return CN_NUM[text]
    if len(text) == 2 and text[0] == "十":  # 十一
        return 10 + CN_NUM.get(text[1], 0)
    return None


# ---- items ------------------------------------------------------------------------------------
@dataclass
class _Item:
    name: str
    header: str
    replace: bool = False
    holidays: dict[dt.date, str] = field(default_factory=dict)   # date → sentence
    workdays: dict[dt.date, str] = field(default_factory=dict)
    ranges: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)  # multi-day (start, end, sentence)


_GROUP = re.compile(r"\x00(\d+)\x00(?:(?:至|到)\x00(\d+)\x00)?")
_LIST = re.compile(rf"{_GROUP.pattern}(?:[、和及]{_GROUP.pattern})*")
_EXTEND = re.compile(r"延长(?:\d{4}年)?(?P<name>[^，。；\x00]+?)假期至\x00(?P<i>\d+)\x00$")


def _parse_sentence(sentence: str, item: _Item, year: int, has_january: bool, ctx: dict[str, int],
                    extensions: list[tuple[str, dt.date, str]], resumes: list[dt.date]) -> list[dt.date]:
    """Declare the sentence's days on the item; returns every date the sentence mentions."""
    toks = _tokens(sentence, year, has_january, ctx)
    if not toks:
        return []
    marked: list[str] = []
    pos = 0
    for i, (m, _t) in enumerate(toks):
        marked.append(sentence[pos:m.start()])
        marked.append(f"\x00{i}\x00")
        pos = m.end()
    marked.append(sentence[pos:])
    joined = "".join(marked)
    declared_off = 0
    claims: list[int] = []
    for clause in re.split(r"[，。；]", joined):
        if not clause:
            continue
        ext = _EXTEND.search(clause)
        if ext:
            extensions.append((ext["name"], toks[int(ext["i"])][1].date, sentence))
            continue
        for cm in re.finditer(r"(?:共|放假)([\d一二三四五六七八九十]{1,3})天", clause):
            n = _count(cm[1])
            if n is not None:
                claims.append(n)
        for lm in _LIST.finditer(clause):
            tail = clause[lm.end():]
            groups: list[tuple[dt.date, dt.date]] = []
            for g in _GROUP.finditer(lm[0]):
                a = toks[int(g[1])][1].date
                b = toks[int(g[2])][1].date if g[2] else a
                if b < a:
                    raise NoticeBadDate(f"“{sentence}”中的日期范围结束早于开始", sentence)
                groups.append((a, b))
            if re.match(r"(?:调休)?放假|补休|调休(?!上班)|放假调休", tail):
                kind = "holiday"
            elif re.match(r"(?:起)?(?:正常|照常)?上班", tail) and tail.startswith(("起", "正常")):
                resumes.extend(a for a, _b in groups)
                continue
            elif tail.startswith(("上班", "照常上班")):
                kind = "workday"
            else:
                continue  # a mention ("为法定节假日", "公休日调至"): accounted for later
            for a, b in groups:
                _declare(item, kind, a, b, sentence)
                if kind == "holiday":
                    declared_off += (b - a).days + 1
    if claims:
        if not declared_off:
            raise NoticeUnparsed(f"未能从“{sentence}”中识别出放假日期", sentence)
        for n in claims:
            if n != declared_off:
                raise NoticeCountError(f"“{sentence}”写明共{n}天，但所列放假日期共{declared_off}天", sentence)
    return [t.date for _m, t in toks]


def _declare(item: _Item, kind: str, a: dt.date, b: dt.date, sentence: str) -> None:
    days = _days(a, b)
    if kind == "workday":
        for d in days:
            if d.weekday() < 5:
                raise NoticeWorkdayWeekday(
                    f"“{sentence}”将{d:%Y-%m-%d}（{_cn_weekday(d)}）列为上班日，但该日本来就是工作日，"
                    f"调休上班日只能是周六或周日", sentence)
    other = item.workdays if kind == "holiday" else item.holidays
    for d in days:
        if d in other:
            raise NoticeOverlap(f"“{sentence}”中{d:%Y-%m-%d}既列为放假日又列为上班日", sentence)
    if a != b:  # a second range over the same days: the notice contradicts itself
        for s, e, where in item.ranges:
            if a <= e and s <= b:
                raise NoticeOverlap(f"“{sentence}”与“{where}”的放假日期重叠", sentence)
        item.ranges.append((a, b, sentence))
    target = item.holidays if kind == "holiday" else item.workdays
    for d in days:
        target.setdefault(d, sentence)


def _split_items(body: str) -> tuple[str, list[tuple[str, str, bool]]]:
    """(preamble, [(name, text, replace)])."""
    marks = [(m.start(), m.end(), m["name"], False) for m in _ITEM.finditer(body)]
    marks += [(m.start(), m.end(), m["name"], True) for m in _AMEND.finditer(body)]
    marks.sort()
    items = []
    for i, (_start, end, name, replace) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(body)
        items.append((name, body[end:stop], replace))
    return (body[:marks[0][0]] if marks else body), items


def _stated_year(text: str) -> tuple[int | None, str, str]:
    """(year stated in the title or preamble, title, the sentence stating it)."""
    titles = _TITLE.findall(text)
    title = next((t for t in titles if "节假日" in t or "假期" in t), titles[0] if titles else "")
    years = {int(y) for t in titles for y in re.findall(r"(\d{4})年", t)}
    if len(years) > 1:
        raise NoticeYearError(f"通知标题中的年度不一致：{'、'.join(f'“{t}”' for t in titles)}", title)
    if years:
        return years.pop(), title, title
    m = re.search(r"现将(\d{4})年[^。]*?。", text) or re.search(r"(\d{4})年(?:部分节假日|元旦|春节)[^。]*?。", text)
    if m:
        return int(m[1]), "", m[0]
    return None, "", ""


def parse_notice(text: str, year: int | None = None) -> Notice:
    body = normalize(text)
    if not body:
        raise NoticeUnparsed("请粘贴国务院办公厅放假安排通知的原文")
    stated, title, stating = _stated_year(body)
    if year is not None and stated is not None and stated != year:
        raise NoticeYearError(f"“{stating}”是{stated}年的放假安排，不是{year}年的", stating)
    year = year if year is not None else stated
    if year is None:
        raise NoticeYearError("未能从通知中确定年度：请粘贴含标题《国务院办公厅关于某年部分节假日安排的通知》的全文")
    # the 文号 printed under the title (an appended later notice has its own)
    at = body.find(title) + len(title) if title else 0
    docno = _DOCNO.match(body, at) if title else _DOCNO.search(body)
    if title and docno:
        title = f"{title}（{docno[0]}）"
    elif docno:
        title = docno[0]

    _weekdays_fit(body, year, stating)
    preamble, raw_items = _split_items(body)
    items: list[_Item] = []
    extensions: list[tuple[str, dt.date, str]] = []
    resumes: list[dt.date] = []
    mentioned: list[tuple[str, list[dt.date]]] = []
    for s in _sentences(preamble):
        ctx: dict[str, int] = {}
        dates = [t.date for _m, t in _tokens(s, year, False, ctx)] if _DATE.search(s) else []
        mentioned.append((s, dates))
    for name, raw, replace in raw_items:
        item = _Item(name=name, header=name, replace=replace)
        has_january = bool(re.search(r"(?<!\d)1月\d{1,2}日", raw))
        ctx = {}
        for s in _sentences(raw):
            dates = _parse_sentence(s, item, year, has_january, ctx, extensions, resumes)
            mentioned.append((s, dates))
        if not item.holidays and not item.workdays:
            if any(k in raw for k in KEYWORDS):
                raise NoticeUnparsed(f"未能从“{name}：{_first_sentence(raw)}”中识别出放假日期",
                                     f"{name}：{_first_sentence(raw)}")
            continue  # a closing remark that happens to be numbered
        if not item.holidays:
            raise NoticeUnparsed(f"“{name}：{_first_sentence(raw)}”只列了上班日，未能识别出放假日期",
                                 f"{name}：{_first_sentence(raw)}")
        if replace:  # "…假期调整为：…" supersedes the earlier item of that holiday
            items = [it for it in items if it.name != name]
        items.append(item)
    if not items:
        raise NoticeUnparsed("通知中未找到任何放假安排（应有“一、元旦：1月1日放假……”这样的条目）")

    for ext_name, until, sentence in extensions:
        target = next((it for it in items if ext_name in it.name or it.name in ext_name), None)
        if target is None or max(target.holidays) >= until:
            raise NoticeUnparsed(f"无法理解“{sentence}”：未找到可延长的{ext_name}假期", sentence)
        for d in _days(max(target.holidays) + ONE_DAY, until):
            for it in items:
                it.workdays.pop(d, None)  # an extension turns planned working days into rest days
            target.holidays[d] = sentence

    holidays: dict[dt.date, tuple[str, str]] = {}
    workdays: dict[dt.date, tuple[str, str]] = {}
    for it in items:
        for own, kind_name, mine in ((holidays, "放假日", it.holidays), (workdays, "上班日", it.workdays)):
            for d, sentence in mine.items():
                for other, other_name in ((holidays, "放假日"), (workdays, "上班日")):
                    if d in other:
                        prev_item, prev_sentence = other[d]
                        what = ("重复列出" if other is own
                                else f"既列为{other_name}又列为{kind_name}")
                        raise NoticeOverlap(f"{d:%Y-%m-%d}{what}：见“{prev_sentence}”与“{sentence}”",
                                            sentence)
                own[d] = (it.name, sentence)

    known = set(holidays) | set(workdays)
    resumable = {d + ONE_DAY for d in holidays}
    for sentence, dates in mentioned:
        if not dates or not any(k in sentence for k in KEYWORDS):
            continue
        for d in dates:
            if d not in known and not (d in resumable and d in resumes):
                raise NoticeUnparsed(f"无法完整识别“{sentence}”：其中{d:%Y-%m-%d}既不在所列放假日期内，"
                                     f"也不是所列的上班日", sentence)
    if not any(d.year == year for d in holidays):
        raise NoticeYearError(f"通知所列放假日期都不在{year}年内", "")
    return Notice(year=year,
                  holidays=[(d, name) for d, (name, _s) in sorted(holidays.items())],
                  workdays=[(d, f"{name}调休") for d, (name, _s) in sorted(workdays.items())],
                  title=title[:200])


def _first_sentence(raw: str) -> str:
    s = _sentences(raw)
    return s[0] if s else raw


def decode(data: bytes) -> str:
    """A pasted or uploaded notice: UTF-8 (with or without BOM), else GBK/GB18030."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise NoticeUnparsed("文件编码无法识别：请保存为 UTF-8 或 GBK 编码的文本文件")

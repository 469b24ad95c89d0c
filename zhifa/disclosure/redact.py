"""Redaction of decision text for publication (公示脱敏).

`find_spans(text, names=(), keep=())` returns the spans to hide, each a `Span(start, end, kind,
text, replacement)`; `apply(text, spans)` builds the public text. Kinds:

* id_number  18-digit 居民身份证号, accepted only when the check digit is right (identifiers.py);
* phone      mobile (1[3-9]…, with or without separators) and landline (0xx(x)-xxxxxxx, （0xxx）…);
* bank_card  16–19 digits (optionally in groups of four) passing Luhn;
* plate      机动车号牌 incl. new-energy 6-character plates;
* address    a natural person's home address after 住址/现住/家住/户籍地… (and 住所 on a line
             without a credit code, i.e. a natural person's party line);
* name       natural persons' names → surname + 某: the case's known party names, names after
             当事人/姓名/证人 labels, and jieba.posseg `nr` words starting with a common surname;
* health     health data keywords (diseases, diagnoses, disability, pregnancy);
* and the case's own private values passed as `known` (e.g. a home address in the facts).

Organisation names and credit codes stay; `keep` lists strings never hidden (the agency's own
phone and address, officers' names, legal representatives). Runs offline: jieba's dictionary
ships inside the wheel.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from zhifa.common.identifiers import check_credit_code, check_id_number

KINDS = {"id_number": "身份证号", "phone": "电话号码", "bank_card": "银行卡号", "plate": "车牌号",
         "address": "住址", "name": "姓名", "health": "健康信息"}
MASK = {"id_number": "[身份证号已隐去]", "phone": "[电话已隐去]", "bank_card": "[银行卡号已隐去]",
        "plate": "[车牌号已隐去]", "address": "[住址已隐去]", "health": "[健康信息已隐去]"}

COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "令狐")
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成"
    "苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜"
    "冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
HEALTH_TERMS = ("高血压", "糖尿病", "心脏病", "冠心病", "精神分裂症", "精神疾病", "抑郁症", "癫痫", "艾滋病",
                "乙肝", "乙型肝炎", "肺结核", "癌症", "肝癌", "肺癌", "白血病", "尿毒症", "脑梗", "残疾", "怀孕",
                "孕期", "哺乳期", "病历", "诊断证明", "住院治疗", "精神残疾", "肢体残疾", "听力残疾")

_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{4}[ -]){3}\d{4}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])")
_LANDLINE_RE = re.compile(r"(?<![0-9A-Za-z])(?:[（(]0\d{2,3}[）)]\s?|0\d{2,3}[- ])[2-9]\d{6,7}(?:-\d{1,6})?(?![0-9A-Za-z])")
_PLATE_RE = re.compile(rf"[{PLATE_PROVINCES}][A-HJ-NP-Z][·•]?[A-HJ-NP-Z0-9]{{5,6}}(?![A-Za-z0-9])")
_ADDR_LABEL_RE = re.compile(r"(?:家庭住址|现住址|户籍地址|户籍所在地|经常居住地|居住地|住址|家住|现住|住所地|住所)[：:为在于]?\s*")
_ADDR_END = "，,。；;\n（("
# A role word, then the name, then punctuation or what people in a case file do (在场, 签字, 承认 …).
_NAME_LABEL_RE = re.compile(r"(?:当事人|姓名|证人|见证人|在场人|陪同人|被询问人|询问对象|被检查人|知情人|报案人|受害人|"
                            r"被害人|证明人|举报人|投诉人|代理人|委托代理人|法定代理人|监护人|驾驶人|车主|店员|顾客|员工|"
                            r"工作人员|雇员|村民|业主|司机|乘客|消费者)[：:]?\s*"
                            r"([\u4e00-\u9fff]{2,4}?)(?=[，,、。；;（(\s]|称|说|讲|反映|陈述|证实|表示|在场|到场|签字|签名|"
                            r"陪同|见证|作证|指认|确认|承认|否认|提供|拒绝|介绍|当场|等人|在|向|对|和|与|及|$)")
_KEEP_NAME_RE = re.compile(r"(?:法定代表人|负责人|执法人员|承办人|审核人)[：:]?\s*([\u4e00-\u9fff]{2,4}?)(?=[，,、。；;（(\s]|$)")
_PERSON_LINE = re.compile(r"身份|出生|[，,][男女][，,]")
NOT_NAMES = {"安全法", "许可", "陈述", "杜鹃", "金海湖", "百里杜鹃", "乌蒙", "黔西", "毕节", "贵阳", "高血压", "万元",
             "石门", "金沙", "方县", "于是", "高新", "黄金", "白云", "明码", "华南", "文化", "林业", "罗甸"}
# Unlabelled candidates (jieba `nr`) ending like a thing or a place are not people: 冷藏柜, 向阳路, 邓家湾.
_THING_ENDINGS = set("柜库箱锅袋干锁站场品花间边房路街巷道湾坝冲沟村寨镇乡店厂室仓棚架台桶罐瓶盒包袋车机器剂")
_ORG_HINT = re.compile(r"统一社会信用代码|公司|合作社|厂|店|中心|协会|医院|学校|有限|集团|商行|超市|门市|经营部")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    text: str
    replacement: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def luhn_ok(digits: str) -> bool:
    total, alt = 0, False
    for c in reversed(digits):
        d = int(c)
        if alt:
            d = d * 2 - 9 if d > 4 else d * 2
        total, alt = total + d, not alt
    return total % 10 == 0


def surname_of(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def pseudonym(name: str) -> str:
    return surname_of(name) + "某"


def _looks_like_person(word: str) -> bool:
    if not (2 <= len(word) <= 4) or "某" in word or word in NOT_NAMES or _ORG_HINT.search(word):
        return False
    if word in COMPOUND_SURNAMES:
        return False
    return word[:2] in COMPOUND_SURNAMES or (word[0] in SURNAMES and len(word) <= 3)


def _common_word(word: str) -> bool:
    """A dictionary word rather than a name, for candidates no label vouches for: jieba's dictionary tags
    many common nouns `nr` (冷藏柜, 毛巾, 顾客), so frequency and make-up decide. A frequent word
    (≥ 300 in jieba's dictionary), a three-character word whose first two characters are a common
    non-name word (冷藏+柜, 牛肉+干), or one ending like a thing or a place is not a person."""
    import jieba

    if not jieba.dt.initialized:
        jieba.dt.initialize()
    freq = jieba.dt.FREQ
    tags = _jieba().dt.word_tag_tab
    if freq.get(word, 0) >= 300:
        return True
    if word[-1] in _THING_ENDINGS:
        return True
    head = word[:2]
    return len(word) == 3 and freq.get(head, 0) >= 30 and not str(tags.get(head, "nr")).startswith("nr")


def _line_of(text: str, pos: int) -> str:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return text[a: b if b >= 0 else len(text)]


def _pattern_spans(text: str, keep: set[str]) -> list[Span]:
    out: list[Span] = []
    for m in _ID_RE.finditer(text):
        if check_id_number(m.group()) is None:
            out.append(Span(m.start(), m.end(), "id_number", m.group(), MASK["id_number"]))
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if (16 <= len(digits) <= 19 and luhn_ok(digits) and check_id_number(digits) is not None
                and check_credit_code(digits) is not None):
            out.append(Span(m.start(), m.end(), "bank_card", m.group(), MASK["bank_card"]))
    for rx in (_MOBILE_RE, _LANDLINE_RE):
        for m in rx.finditer(text):
            if m.group().strip() not in keep:
                out.append(Span(m.start(), m.end(), "phone", m.group(), MASK["phone"]))
    for m in _PLATE_RE.finditer(text):
        out.append(Span(m.start(), m.end(), "plate", m.group(), MASK["plate"]))
    for m in _ADDR_LABEL_RE.finditer(text):
        label = m.group()
        if label.startswith("住所") and not _PERSON_LINE.search(_line_of(text, m.start())):
            continue
        start = m.end()
        end = start
        while end < len(text) and text[end] not in _ADDR_END:
            end += 1
        value = text[start:end].strip()
        if len(value) >= 4 and value not in keep and "某" not in value[:2]:
            out.append(Span(start, start + len(value), "address", value, MASK["address"]))
    for term in HEALTH_TERMS:
        for m in re.finditer(re.escape(term), text):
            out.append(Span(m.start(), m.end(), "health", term, MASK["health"]))
    return out


_jieba_ready = False


def _jieba() -> Any:
    global _jieba_ready
    # Imported on first use: jieba.posseg loads its tables on import, which only redaction needs.
    import jieba
    import jieba.posseg as pseg

    if not _jieba_ready:
        jieba.setLogLevel(60)
        _jieba_ready = True
    return pseg


def keep_names(text: str, keep: Iterable[str] = ()) -> set[str]:
    return set(keep) | {m.group(1) for m in _KEEP_NAME_RE.finditer(text)}


def person_names(text: str, names: Iterable[str] = (), keep: Iterable[str] = ()) -> set[str]:
    """Natural persons' names in `text`: known names, labelled names and jieba `nr` words."""
    keep = keep_names(text, keep)
    found = {n for n in names if n and len(n) >= 2 and n in text}
    found |= {m.group(1) for m in _NAME_LABEL_RE.finditer(text) if _looks_like_person(m.group(1))}
    for w in _jieba().cut(text):
        if w.flag == "nr" and _looks_like_person(w.word) and not _common_word(w.word):
            found.add(w.word)
    return {n for n in found if n not in keep}


def find_spans(text: str, names: Iterable[str] = (), keep: Iterable[str] = (),
               known: Iterable[tuple[str, str]] = ()) -> list[Span]:
    """`known`: (kind, value) pairs of the case's own private data (a party's home address,
    phone, ID number), hidden wherever they occur even without a label."""
    keep = {k.strip() for k in keep if k and k.strip()}
    spans = _pattern_spans(text, keep)
    for kind, value in known:
        if value and len(value) >= 4:
            for m in re.finditer(re.escape(value), text):
                spans.append(Span(m.start(), m.end(), kind, value, MASK[kind]))
    for name in sorted(person_names(text, names, keep), key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            spans.append(Span(m.start(), m.end(), "name", name, pseudonym(name)))
    kept = [(m.start(), m.end()) for k in keep_names(text, keep) if len(k) >= 2
            for m in re.finditer(re.escape(k), text)]
    return merge(s for s in spans if not any(s.start < b and a < s.end for a, b in kept))


PRIORITY = ["id_number", "bank_card", "phone", "plate", "address", "health", "name"]


def merge(spans: Iterable[Span]) -> list[Span]:
    """Drop spans overlapping an earlier-kept one (longer and higher-priority kinds win)."""
    ordered = sorted(spans, key=lambda s: (PRIORITY.index(s.kind), -(s.end - s.start), s.start))
    kept: list[Span] = []
    for s in ordered:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


def apply(text: str, spans: Iterable[Span]) -> str:
    out: list[str] = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            continue
        out.append(text[pos:s.start])
        out.append(s.replacement)
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def spans_from_dicts(items: Iterable[dict[str, Any]]) -> list[Span]:
    return [Span(int(d["start"]), int(d["end"]), d["kind"], d["text"], d["replacement"]) for d in items]


def redact(text: str, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    return apply(text, find_spans(text, names, keep))


def credit_code_ok(value: str) -> bool:
    return check_credit_code(value) is None

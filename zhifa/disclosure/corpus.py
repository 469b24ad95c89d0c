"""A labelled set of generated decision documents (seeded) for measuring redaction.

`generate(n, seed)` returns `Doc(text, labels, names, keep)`: labels are the (start, end, kind)
spans the generator inserted that must be hidden; `names` are the parties' names (what the case
knows), `keep` the agency's phone/address and officers' names. Organisation names, credit codes,
officers, legal representatives and agency contacts are inserted too but are not labels.
`measure(docs, use_known_names=True)` → {kind: {"tp", "fn", "fp", "recall", "precision"}}.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.disclosure.redact import KINDS, find_spans, luhn_ok

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文斌鹏飞宇浩然子轩欣怡晓燕海波德福春"
COMPOUND = ["欧阳", "诸葛", "上官", "司马"]
REGIONS = [("520502", "贵州省毕节市七星关区"), ("520521", "贵州省毕节市大方县"), ("520522", "贵州省毕节市黔西市"),
           ("520102", "贵州省贵阳市南明区"), ("520103", "贵州省贵阳市云岩区")]
ROADS = ["洪山路", "环西路", "麻园路", "碧阳大道", "招商大道", "松山路", "文化路", "中华南路", "清毕路"]
COMPANY_WORDS = ["鑫源", "恒达", "黔福", "乌蒙", "百里杜鹃", "金海湖", "宏发", "顺通", "锦华", "同心"]
COMPANY_KINDS = ["餐饮有限公司", "商贸有限公司", "建材经营部", "农业专业合作社", "运输有限公司", "药房"]
AGENCIES = [("毕节市七星关区市场监督管理局", "0857-8221234", "毕节市七星关区洪山街道清毕南路16号"),
            ("毕节市交通运输局", "0857-8316502", "毕节市七星关区招商大道88号"),
            ("黔西市综合行政执法局", "0857-4222112", "黔西市水西大道1号")]
VIOLATIONS = [("销售过期食品", "《中华人民共和国食品安全法》第三十四条", "《中华人民共和国食品安全法》第一百二十四条"),
              ("未取得道路运输经营许可擅自从事道路运输经营", "《中华人民共和国道路运输条例》第六十三条",
               "《中华人民共和国道路运输条例》第六十三条"),
              ("占道经营", "《城市市容和环境卫生管理条例》第十四条", "《城市市容和环境卫生管理条例》第三十六条"),
              ("未按规定明码标价", "《中华人民共和国价格法》第十三条", "《中华人民共和国价格法》第四十二条")]
HEALTH = ["高血压", "糖尿病", "抑郁症", "肢体残疾", "怀孕"]
# Common nouns that begin with a surname character (issue 18: 冷藏柜 was proposed as 冷某): they must stay.
SURNAME_NOUNS = ["冷藏柜", "冷冻柜", "冷库", "向阳路", "白云路", "高压锅", "包装袋", "毛巾", "钱箱", "方便面", "田间",
                 "马路边", "石头", "江南市场", "林业站", "黄金饰品", "常温库", "保鲜柜", "邓家湾", "谢家巷", "金银花",
                 "柏油路", "房间", "周转箱", "孙家坝", "牛肉干", "鲁班锁", "左侧货架", "沈家冲", "程序"]
# Role words a name follows in case narratives; the name must be hidden however the sentence goes on.
ROLE_SENTENCES = [("现场检查时证人", "在场，"), ("见证人", "签字确认，"), ("在场人", "对检查过程无异议，"),
                  ("陪同人", "到场，"), ("被询问人", "承认上述事实，"), ("法定代理人", "到场陪同，"),
                  ("监护人", "在场，"), ("被检查人", "拒绝签字，"), ("知情人", "指认了存放地点，"), ("举报人", "提供了照片，")]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class Doc:
    text: str = ""
    labels: list = field(default_factory=list)  # (start, end, kind)
    names: list = field(default_factory=list)
    keep: list = field(default_factory=list)

    def add(self, s: str, kind: str | None = None):
        if kind:
            self.labels.append((len(self.text), len(self.text) + len(s), kind))
        self.text += s
        return self


def _name(r):
    sur = r.choice(COMPOUND) if r.random() < 0.05 else r.choice(SURNAMES)
    return sur + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))


def _mobile(r, sep=False):
    s = r.choice("3456789")
    body = f"1{s}{r.randint(0, 9)}{r.randint(0, 9999):04d}{r.randint(0, 9999):04d}"
    return f"{body[:3]}-{body[3:7]}-{body[7:]}" if sep else body


def _landline(r):
    n = f"{r.choice('2345678')}{r.randint(0, 999999):06d}"
    return r.choice([f"0857-{n}", f"（0851）{n}8"[:-1], f"0851-{n}"])


def _card(r):
    body = "622848" + "".join(str(r.randint(0, 9)) for _ in range(12))
    for c in "0123456789":

        if luhn_ok(body + c):
            body += c
            break
    return " ".join(body[i:i + 4] for i in range(0, len(body), 4)) if r.random() < 0.3 else body


def _plate(r):
    tail = "".join(r.choice("0123456789" + PLATE_LETTERS[:8]) for _ in range(r.choice((5, 5, 6))))
    return "贵" + r.choice("ABCDEFGHJ") + tail


def _address(r, region):
    return (f"{region}{r.choice(ROADS)}{r.randint(1, 300)}号"
            + (f"{r.randint(1, 9)}栋{r.randint(1, 3)}单元{r.randint(1, 30)}0{r.randint(1, 4)}室" if r.random() < 0.6 else ""))


def make_doc(r: random.Random, i: int) -> Doc:
    d = Doc()
    agency, agency_phone, agency_addr = r.choice(AGENCIES)
    officers = [_name(r), _name(r)]
    d.keep += [agency_phone, agency_addr, *officers]
    code, region = r.choice(REGIONS)
    viol, rule, basis = r.choice(VIOLATIONS)
    year = r.choice((2024, 2025))
    d.add(f"{agency}\n行政处罚决定书\n{agency[:2]}市监罚〔{year}〕{i + 1}号\n\n")
    person = r.random() < 0.7
    if person:
        name = _name(r)
        d.names.append(name)
        born = dt.date(r.randint(1960, 2002), r.randint(1, 12), r.randint(1, 28))
        d.add("当事人：").add(name, "name").add(f"，{'男' if r.random() < 0.5 else '女'}，{born.year}年{born.month}月{born.day}日出生，汉族，"
                                              "公民身份号码：").add(make_id_number(code, born, r.randint(1, 400)), "id_number")
        d.add(r.choice(["，住址：", "，现住址：", "，住所："])).add(_address(r, region), "address")
        d.add("，联系电话：").add(_mobile(r, r.random() < 0.2), "phone").add("。\n")
        subject = name
    else:
        company = f"{region[-3:]}{r.choice(COMPANY_WORDS)}{r.choice(COMPANY_KINDS)}"
        rep = _name(r)
        d.keep.append(rep)
        cc = make_credit_code(code, f"{r.randint(0, 99999999):08d}")
        d.add(f"当事人：{company}\n统一社会信用代码：{cc}\n住所：{_address(r, region)}\n法定代表人：{rep}\n")
        if r.random() < 0.5:
            d.add("联系电话：").add(_landline(r), "phone").add("\n")
        subject = "当事人"
    on = dt.date(year, r.randint(1, 12), r.randint(1, 28))
    d.add(f"\n{on.year}年{on.month}月{on.day}日，本机关执法人员{officers[0]}、{officers[1]}在日常检查中发现，")
    d.add(f"{subject}涉嫌{viol}。经查，")
    if person and r.random() < 0.5:
        d.add(f"{subject}驾驶车牌号为").add(_plate(r), "plate").add("的车辆从事经营活动，")
    if r.random() < 0.4:
        w = _name(r)
        d.names.append(w)
        d.add("证人").add(w, "name").add("（联系电话").add(_mobile(r), "phone").add("）证实上述情况，")
    if r.random() < 0.4:  # an unlabelled person in the narrative (only name recognition finds it)
        w = _name(r)
        d.add(r.choice(["经询问，店员", "顾客", "据现场工作人员"])).add(w, "name").add(r.choice(["称", "反映", "陈述"]))
        d.add("上述商品系近期购入，")
    # Drawn from their own generator so the rest of the corpus stays as it was (corpus v2, 2026-12-07).
    extra = random.Random(i * 7919 + 17)
    if extra.random() < 0.6:
        d.add(f"现场检查时发现{extra.choice(SURNAME_NOUNS)}内及{extra.choice(SURNAME_NOUNS)}旁存放涉案物品，")
    if extra.random() < 0.6:
        before, after = extra.choice(ROLE_SENTENCES)
        w = _name(extra)
        d.add(before).add(w, "name").add(after)
    if person and r.random() < 0.3:
        d.add("违法所得通过其本人银行卡（卡号").add(_card(r), "bank_card").add("）收取，")
    d.add(f"违法所得{r.randint(1, 90) * 100}元。\n")
    if person and r.random() < 0.3:
        d.add(f"{subject}在陈述申辩中称其患有").add(r.choice(HEALTH[:4]), "health").add("，请求从轻处罚。")
    d.add(f"\n上述事实有现场检查笔录、询问笔录、照片等证据证实。{subject}的行为违反了{rule}的规定。"
          f"依据{basis}的规定，本机关决定：罚款人民币{r.randint(1, 50) * 1000}元。\n")
    d.add(f"如不服本决定，可在收到本决定书之日起六十日内申请行政复议，或者六个月内依法提起行政诉讼。"
          f"\n联系地址：{agency_addr}，联系电话：{agency_phone}。\n{agency}\n{year}年{on.month}月{min(on.day + 10, 28)}日\n")
    # Names that recur in the text (the subject of a natural person) are labelled every time.
    if person:
        start = 0
        first = d.labels[0]
        while (pos := d.text.find(subject, start)) >= 0:
            if pos != first[0]:
                d.labels.append((pos, pos + len(subject), "name"))
            start = pos + len(subject)
    return d


def generate(n: int = 240, seed: int = 6) -> list[Doc]:
    r = random.Random(seed)
    return [make_doc(r, i) for i in range(n)]


def measure(docs, *, use_known_names: bool = True) -> dict:
    stats = {k: {"tp": 0, "fn": 0, "fp": 0} for k in KINDS}
    misses = []
    for doc in docs:
        spans = find_spans(doc.text, doc.names if use_known_names else (), doc.keep)
        found = {(s.start, s.end, s.kind) for s in spans}
        labels = set(doc.labels)
        for lab in labels:
            if lab in found:
                stats[lab[2]]["tp"] += 1
            else:
                stats[lab[2]]["fn"] += 1
                misses.append((doc.text[lab[0]:lab[1]], lab[2]))
        for s in found - labels:
            stats[s[2]]["fp"] += 1
    for v in stats.values():
        v["recall"] = v["tp"] / (v["tp"] + v["fn"]) if v["tp"] + v["fn"] else 1.0
        v["precision"] = v["tp"] / (v["tp"] + v["fp"]) if v["tp"] + v["fp"] else 1.0
    stats["_misses"] = misses[:50]
    return stats

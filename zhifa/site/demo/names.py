"""Realistic Chinese names, phone numbers and place-name pieces for demo data."""
from __future__ import annotations

import random

# Common surnames, roughly by frequency (the first ones are drawn more often); a few common in 贵州.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "龙安禄聂蒙杨陇"
)
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文荣兵海峰亮成东永江德才"
GIVEN_F = "芳娜敏静丽艳娟霞秀英华慧巧美玲婷雪琳梅红燕萍倩颖洁琴云莉兰凤丹晶蓉莎媛璐婧玉珍蕾薇"
GIVEN_ANY = "小晓春秋文明安兴学正光世永德家嘉子思梦雨佳欣一俊天宏"

MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199"]

TOWN_HEADS = "碧阳洪山德溪麻园柏杨观音鸭池长春撒拉杨家放珠青场水箐何官对坡大银林口生机清水燕子八寨朱昌田坝海子小吉" \
             "层台亮岩龙场普宜千溪阴底野角大河阿市新华顺德红林凤山双山金碧猫场沙厂黄泥羊场果瓦响水六龙雨冲鸡场" \
             "八步牛场熊家安乐化起百兴雨朵猴场以那三塘阳长维新勺窝锅圈张家龙街雪山哈喇妈姑兴发双坪铁厂"
STREETS = ("洪山路", "麻园路", "碧阳大道", "招商大道", "同心路", "威宁路", "百花山大道", "学院路", "清毕路",
           "开行路", "中华南路", "桂花路", "松山路", "杨柳湾路", "翠屏大道", "文化路", "人民路", "建设路")
FIRMS = ("贵州黔西北律师事务所", "贵州乌蒙律师事务所", "贵州毕节同心律师事务所", "贵州金海湖律师事务所",
         "贵州法睿律师事务所", "贵州百灵律师事务所", "贵州天职律师事务所毕节分所", "贵州鸿熙律师事务所")


_SURNAME_WEIGHTS = [1 / (i + 3) ** 1.2 for i in range(len(SURNAMES))]
_SURNAME_CUM = [sum(_SURNAME_WEIGHTS[:i + 1]) for i in range(len(SURNAMES))]


def person_name(rng: random.Random, gender: str) -> str:
    # Zipf-like surname draw so that 王/李/张/刘/陈 dominate, as they do in reality.
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
    pool = GIVEN_M if gender == "M" else GIVEN_F
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    first = rng.choice(GIVEN_ANY) if rng.random() < 0.4 else rng.choice(pool)
    second = rng.choice(pool)
    while second == first:
        second = rng.choice(pool)
    return surname + first + second


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def landline(rng: random.Random, area="0857") -> str:
    return f"{area}-{rng.choice('2345678')}{rng.randrange(10 ** 6):06d}"


def town_names(rng: random.Random, n: int, used: set[str]) -> list[str]:
    """n distinct town names: mostly 镇, some 乡 and 街道 (the first few, as seat districts have)."""
    out = []
    heads = [TOWN_HEADS[i:i + 2] for i in range(0, len(TOWN_HEADS) - 1, 2)]
    while len(out) < n:
        head = rng.choice(heads)
        if rng.random() < 0.25:
            head = head[0] + rng.choice(TOWN_HEADS)
        if head in used:
            continue
        used.add(head)
        i = len(out)
        suffix = "街道" if i < max(1, n // 8) else ("乡" if rng.random() < 0.2 else "镇")
        out.append(head + suffix)
    return out


def address(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(STREETS)}{rng.randint(1, 300)}号"

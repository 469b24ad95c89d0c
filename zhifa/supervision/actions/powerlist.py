"""行政执法协调监督权责清单: the justice bureaus' own supervision powers, duties and bases, per level.

They are 权责清单 items of the bureau (zhifa.powers.models.PowerItem, category 行政执法监督), so they
are versioned, confirmed and published exactly like the enforcement lists (zhifa.powers.actions);
only a justice bureau may hold them (PowerItem.clean). `do_draft_supervision_powers` starts a
bureau's list from the standard items of its level (省/市/县), as drafts its head edits and submits;
`published_by_level` is what the portal's 监督权责清单 page shows (zhifa.supervision.views.powerlist).
"""
from __future__ import annotations

from django.db import transaction

from zhifa.common.actions import ActionRefused
from zhifa.orgs.models import Entity, Region
from zhifa.powers import actions as power_actions
from zhifa.powers.models import PowerItem

SUPERVISION = PowerItem.Category.SUPERVISION
REGS = "行政执法监督条例"  # the province's regulation (e.g. 《贵州省行政执法监督办法》); edited per bureau
LAW_PENALTY = "中华人民共和国行政处罚法"
GUOBAN_118 = "国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见"

# (code suffix, name, law, article, duties, accountability) — the items every level holds …
COMMON = [
    ("01", "行政执法监督检查", REGS, "", "对本级人民政府所属部门和下级人民政府的行政执法活动开展日常监督和专项监督，"
     "发现问题依法督促整改。", "不履行或者不正确履行监督职责，对应当发现的违法执法行为未发现、未督促纠正的，依法追究责任。"),
    ("02", "行政执法案卷评查", REGS, "", "组织行政执法案卷评查，评定等次并通报结果。",
     "评查弄虚作假、徇私舞弊的，依法追究责任。"),
    ("03", "行政执法投诉举报处理", LAW_PENALTY, "第七十五条第二款", "受理公民、法人和其他组织对行政执法的投诉、举报，"
     "依法调查处理并告知结果。", "对投诉举报推诿、拖延或者泄露举报人信息的，依法追究责任。"),
    ("04", "重大行政处罚决定备案审查", REGS, "", "接受重大行政处罚决定备案，逐项审查，发现问题责令纠正。",
     "对报送备案的决定不审查或者审查不严，造成不良后果的，依法追究责任。"),
    ("05", "行政执法证件管理", REGS, "", "审核行政执法人员资格，办理执法证件的申领、年审、暂扣和注销。",
     "违规发放执法证件的，依法追究责任。"),
    ("06", "行政执法争议协调", REGS, "", "协调处理行政执法机关之间的职责争议和跨领域、跨区域执法争议。",
     "对争议久拖不决造成不良后果的，依法追究责任。"),
    ("07", "行政执法“三项制度”落实情况监督", GUOBAN_118, "", "监督行政执法公示、执法全过程记录、重大执法决定法制审核"
     "制度的落实，通报结果。", "监督不力造成不良后果的，依法追究责任。"),
    ("08", "行政执法统计与年度报告监督", REGS, "", "汇总分析行政执法数据，督促各执法部门按时公开年度行政执法统计年报。",
     "统计数据弄虚作假的，依法追究责任。"),
]
# … and those of a level and above (a city supervises the counties, a province the cities).
ABOVE_COUNTY = [
    ("11", "对下级司法行政机关行政执法监督工作的指导和考核", REGS, "", "指导、考核下级司法行政机关的行政执法监督工作。",
     "指导考核不力的，依法追究责任。"),
    ("12", "行政执法监督决定", REGS, "", "对违法或者不当的行政执法行为，作出责令改正、撤销等行政执法监督决定。",
     "应当作出监督决定而不作出的，依法追究责任。"),
]
PROVINCE = [
    ("21", "行政执法监督制度建设", REGS, "", "拟订全省行政执法监督制度和行政执法评议考核办法。",
     "制度建设严重滞后造成不良后果的，依法追究责任。"),
]
LEVEL_CODES = {Region.Level.PROVINCE: "SJ", Region.Level.CITY: "SS", Region.Level.COUNTY: "XJ", Region.Level.TOWN: "XZ"}


def standard_items(level: int) -> list[tuple]:
    items = list(COMMON)
    if level <= Region.Level.CITY:
        items += ABOVE_COUNTY
    if level == Region.Level.PROVINCE:
        items += PROVINCE
    return items


def item_code(bureau: Entity, suffix: str) -> str:
    return f"JD-{LEVEL_CODES.get(bureau.region.level, 'XJ')}-{suffix}"


@transaction.atomic
def do_draft_supervision_powers(bureau: Entity, *, acting_user) -> list[PowerItem]:
    """Drafts of the standard supervision items of the bureau's level that it does not hold yet."""
    if not bureau.is_justice_bureau:
        raise ActionRefused("supervision.powers_bureau", "监督权责清单由司法行政机关（执法监督机构）编制", "entity")
    held = set(PowerItem.objects.filter(entity=bureau, is_head=True).values_list("code", flat=True))
    made = []
    for suffix, name, law, article, duties, accountability in standard_items(bureau.region.level):
        code = item_code(bureau, suffix)
        if code in held:
            continue
        made.append(power_actions.do_create_versioned(PowerItem, {
            "entity": bureau, "code": code, "name": name, "category": SUPERVISION, "law": law,
            "article": article, "duties": duties, "accountability": accountability}, acting_user=acting_user))
    return made


def published_by_level(today=None, region: Region | None = None) -> list[dict]:
    """[{level label, bureaus: [{bureau, items}]}] of the published supervision items, province first."""
    rows = (PowerItem.objects.published(today).filter(category=SUPERVISION)
            .select_related("entity__region").order_by("entity__region__level", "entity__region__code", "code"))
    if region is not None:
        rows = rows.filter(entity__region__path__startswith=region.path)
    levels: dict[int, dict] = {}
    for item in rows:
        r = item.entity.region
        level = levels.setdefault(r.level, {"level": r.level, "label": f"{Region.Level(r.level).label}级", "bureaus": {}})
        level["bureaus"].setdefault(item.entity_id, {"bureau": item.entity, "items": []})["items"].append(item)
    return [{"level": v["level"], "label": v["label"], "bureaus": list(v["bureaus"].values())}
            for _k, v in sorted(levels.items())]

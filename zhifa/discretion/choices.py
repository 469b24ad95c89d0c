"""The discretion app's choices and fixed lists: the effects of a circumstance (情节), the national
default circumstances with their legal basis (行政处罚法 Arts. 30–33 and the usual aggravating ones),
and the kinds of norm shown at the point of use."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Effect(models.TextChoices):
    NO_PENALTY = "no_penalty", _("不予处罚")
    MITIGATE = "mitigate", _("减轻")
    LIGHTER = "lighter", _("从轻")
    HEAVIER = "heavier", _("从重")


# The benchmark level each effect points to (zhifa.powers.discretion.LEVELS).
EFFECT_LEVEL = {Effect.NO_PENALTY: "不予处罚", Effect.MITIGATE: "减轻", Effect.LIGHTER: "从轻",
                Effect.HEAVIER: "从重"}

LAW = "中华人民共和国行政处罚法"

# code → (label, effect, law, article, basis text). Entities add their own per power item
# (zhifa.discretion.models.Factor); these apply to every benchmark.
NATIONAL_FACTORS: dict[str, tuple[str, str, str, str, str]] = {
    "first_minor_corrected": ("初次违法且危害后果轻微并及时改正", Effect.NO_PENALTY, LAW, "第三十三条",
                              "初次违法且危害后果轻微并及时改正的，可以不予行政处罚"),
    "minor_corrected": ("违法行为轻微并及时改正，没有造成危害后果", Effect.NO_PENALTY, LAW, "第三十三条",
                        "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚"),
    "no_fault": ("有证据足以证明没有主观过错", Effect.NO_PENALTY, LAW, "第三十三条",
                 "当事人有证据足以证明没有主观过错的，不予行政处罚"),
    "coerced": ("受他人胁迫或者诱骗实施违法行为", Effect.MITIGATE, LAW, "第三十二条",
                "受他人胁迫或者诱骗实施违法行为的，应当从轻或者减轻行政处罚"),
    "eliminated_harm": ("主动消除或者减轻违法行为危害后果", Effect.LIGHTER, LAW, "第三十二条",
                        "主动消除或者减轻违法行为危害后果的，应当从轻或者减轻行政处罚"),
    "confessed": ("主动供述行政机关尚未掌握的违法行为", Effect.LIGHTER, LAW, "第三十二条",
                  "主动供述行政机关尚未掌握的违法行为的，应当从轻或者减轻行政处罚"),
    "meritorious": ("配合行政机关查处违法行为有立功表现", Effect.MITIGATE, LAW, "第三十二条",
                    "配合行政机关查处违法行为有立功表现的，应当从轻或者减轻行政处罚"),
    "minor_14_18": ("已满十四周岁不满十八周岁的未成年人", Effect.LIGHTER, LAW, "第三十条",
                    "已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚"),
    "first_offence": ("初次违法", Effect.LIGHTER, "", "", "初次违法，裁量基准规定从轻处罚的情形"),
    "prompt_correction": ("及时改正", Effect.LIGHTER, "", "", "责令改正后及时改正"),
    "repeat_offence": ("一年内再次实施同一违法行为", Effect.HEAVIER, "", "", "一年内因同一种违法行为受过行政处罚又实施的"),
    "refused_correction": ("拒不改正", Effect.HEAVIER, "", "", "责令改正后拒不改正"),
    "serious_harm": ("造成严重后果或者恶劣社会影响", Effect.HEAVIER, "", "", "造成严重危害后果或者恶劣社会影响"),
    "obstructed": ("妨碍、阻挠或者抗拒执法检查", Effect.HEAVIER, "", "", "妨碍、阻挠或者抗拒执法人员依法调查处理"),
    "emergency": ("发生突发事件时违反应对措施", Effect.HEAVIER, LAW, "第四十九条",
                  "发生重大传染病疫情等突发事件，为了控制、减轻和消除突发事件引起的社会危害，对违反突发事件应对措施的行为，依法快速、从重处罚"),
}


class NormKind(models.TextChoices):
    PROCEDURE = "procedure", _("办案规范")
    LANGUAGE = "language", _("执法用语")


# The steps a norm may be attached to: the case states of a general-procedure penalty case
# (zhifa.cases.machine.STATES) by name; "" = every step.
STEP_HINT = "案件环节（如 investigating 调查取证、proposed 拟处理意见、notified 已事先告知；留空为全部环节）"

"""Demo cases (演示案件) for the main demo entity, 七星关区市场监督管理局 (`zhifa seed`, county and
city scales): sixteen cases in the states one meets every day — 案源登记, 立案审批中, 调查取证,
已事先告知, 听证, 法制审核中, 已作出决定, 已送达 (a licence revoked after a 听证: the major decision filed
with the justice bureau, the permit it revokes), 执行中, 已结案, 已归档, 不予立案, 移送, a simple-procedure
on-the-spot penalty (备案), an inspection and a seizure — each walked step by step through the
real actions (zhifa.cases.actions), so every case has its genuine timeline, numbers, deadlines,
change log, and every guard of the state machine was satisfied on the way.

Dates count back from today in working days of the legal calendar (`W(k)` = the k-th working day
before today), so the periods the demo shows are really running today: the 陈述申辩 window of the
notified case, the service period of the decided one, the payment period of the one in
execution, the 30-day seizure and the 90-day decision periods. Every action date is on or before
today and in a year whose holiday arrangement is known. If today's year is not known, the anchor
moves back to the last known day (the windows have then lapsed) and a step that cannot be done is
skipped with a warning: the case stays where it got to, and the seed never fails because of it.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from dataclasses import field as _field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhifa.cases import actions as case_actions
from zhifa.cases.models import Case, Source
from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.common.roles import Role
from zhifa.records import demo as demo_records

logger = logging.getLogger(__name__)

REGION = "520502"  # 七星关区: parties' ID numbers and credit codes


class Skip(Exception):
    """A step that cannot be done today (message in Chinese)."""


# ---- parties -------------------------------------------------------------------------------
def person(name, gender, born, seq, address, phone):
    return {"kind": "person", "name": name, "id_number": make_id_number(REGION, born, seq, gender),
            "address": address, "phone": phone}


def org(name, code8, legal_rep, address, phone, *, individual=False):
    """A company (91…) or an individual business (个体工商户, 92…)."""
    return {"kind": "org", "name": name, "legal_representative": legal_rep, "address": address, "phone": phone,
            "credit_code": make_credit_code(REGION, code8, authority="9", kind="2" if individual else "1")}


# ---- the scenarios ---------------------------------------------------------------------------
@dataclass
class Spec:
    title: str
    kind: str                      # general | simple | inspection | coercive
    steps: list                    # [(k, step, kwargs)]: step on W(k); the first creates the case
    party: dict
    item: str = ""                 # 权责清单事项 name (the entity's published item)
    field: str = ""                # 执法领域 (else the entity's first); must be on the certificates
    source: str = Source.INSPECTION
    source_detail: str = ""
    facts: str = ""
    legal_basis: str = ""
    violation_days: int = 12       # calendar days between the violation and its discovery
    penalty: dict = _field(default_factory=dict)
    data: dict = _field(default_factory=dict)   # further creation fields (simple procedure: penalty)
    with_me: bool = True           # the acting officer is a handler (else two colleagues)
    eservice: str = ""             # the party consented to 电子送达 at this e-mail: the 告知书 is served by it


FOOD, MARKET = "食品安全", ""
ZHI = "当事人对违法事实无异议，表示已认识到错误，请求从轻处罚。"

SCENARIOS: list[Spec] = [
    Spec(  # 已归档
        "毕节市七星关区惠万家超市有限公司经营超过保质期的食品案", "general",
        [(118, "register", {}), (118, "file", {}), (117, "approve", {}), (117, "investigate", {}),
         (88, "propose", {}), (87, "notice", {}),
         (85, "statement", {"text": "当事人提交书面陈述：涉案食品系门店盘点疏漏未及时下架，已全部下架销毁并完善临期食品"
                                    "管理制度，请求从轻处罚。"}),
         (80, "decide", {}), (79, "serve", {}), (72, "pay", {"amount": "50000"}),
         (72, "pay", {"amount": "42", "item": "confiscation"}), (70, "close", {}),
         (65, "archive", {})],
        org("毕节市七星关区惠万家超市有限公司", "MA6E4K2R", "罗兴华", "贵州省毕节市七星关区碧阳大道126号",
            "0857-8236615"),
        item="对生产经营超过保质期的食品的行政处罚", field=FOOD,
        source_detail="食品安全日常监督检查发现",
        facts="当事人在其经营场所货架上销售超过保质期的“蒙牛”纯牛奶（250mL/盒）12盒、“好丽友”派（204g/盒）6盒，"
              "货值金额共计386.50元，违法所得42.00元。当事人主动下架、召回涉案食品，如实陈述违法事实，积极配合调查。",
        legal_basis="《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项；"
                    "《中华人民共和国行政处罚法》第三十二条第（一）项",
        penalty={"kinds": ["confiscate_gains", "fine"], "fine": "50000", "confiscation": "42", "level": "从轻",
                 "gains": "42"}),
    Spec(  # 已结案
        "李光荣使用以欺骗消费者为目的的计量器具案", "general",
        [(72, "register", {}), (72, "file", {}), (71, "approve", {}), (71, "investigate", {}),
         (50, "propose", {}), (49, "notice", {}), (49, "statement", {"waived": True}),
         (47, "decide", {}), (47, "serve", {}), (45, "pay", {"amount": "1000"}), (42, "close", {})],
        person("李光荣", "M", dt.date(1976, 3, 14), 87, "贵州省毕节市七星关区麻园街道麻园路58号", "13985710236"),
        item="对使用以欺骗消费者为目的的计量器具的行政处罚", source=Source.COMPLAINT,
        source_detail="12315平台转来消费者投诉：在麻园农贸市场购买猪肉短斤少两",
        facts="当事人在七星关区麻园农贸市场B区27号摊位销售猪肉时，使用加装遥控作弊装置的电子计价秤1台。"
              "经毕节市计量测试所检定，该秤示值误差超出最大允许误差，属于以欺骗消费者为目的的计量器具。",
        legal_basis="《中华人民共和国计量法》第二十七条",
        penalty={"kinds": ["confiscate_property", "fine"], "fine": "1000", "level": "一般"}),
    Spec(  # 已结案：听证、法制审核同意后罚款并吊销许可证件（重大行政处罚，报司法局备案审查；许可证随之吊销）
        "毕节市七星关区聚福楼餐饮有限公司经营腐败变质食品案", "general",
        [(60, "register", {}), (60, "file", {}), (59, "approve", {}), (59, "investigate", {}),
         (40, "propose", {}), (39, "notice", {}), (37, "request_hearing", {}),
         (36, "schedule_hearing", {"hearing_k": 27}),
         (27, "hold_hearing", {"record": "听证会公开举行。调查人员陈述了案件事实、证据和拟吊销许可证的处罚意见；当事人对违法事实"
                                         "无异议，请求不予吊销许可证。主持人归纳争议焦点，双方质证、辩论，当事人作最后陈述。"}),
         (22, "submit_review", {}), (21, "review_pass", {}), (18, "decide", {}), (17, "serve", {}),
         (12, "pay", {"amount": "100000"}), (11, "close", {})],
        org("毕节市七星关区聚福楼餐饮有限公司", "MA6Q8Y2J", "邓光明", "贵州省毕节市七星关区南关桥路58号",
            "0857-8267719"),
        item="对生产经营不符合食品安全标准的食品的行政处罚", field=FOOD,
        source_detail="食品安全专项检查发现",
        facts="当事人在其经营的“聚福楼”餐厅使用腐败变质的猪肉加工菜品并对外销售，货值金额9800元。此前一年内当事人"
              "因同类违法行为已受到两次行政处罚，情节严重。",
        legal_basis="《中华人民共和国食品安全法》第三十四条第（六）项、第一百二十四条第一款第（四）项",
        penalty={"kinds": ["fine", "revoke_licence"], "fine": "100000", "level": "从重",
                 "reasoning": "当事人一年内因同类违法行为受到两次以上行政处罚，依照裁量基准在从重档位处罚，并吊销食品经营许可证。"}),
    Spec(  # 执行中（分期缴纳，缴款期限计时中）
        "毕节市黔城物业管理有限公司特种设备未按规定办理使用登记案", "general",
        [(52, "register", {}), (52, "file", {}), (51, "approve", {}), (51, "investigate", {}),
         (22, "propose", {}), (21, "notice", {}),
         (18, "statement", {"text": "当事人陈述：涉案电梯已于近日向特种设备安全监督管理部门申请使用登记，"
                                    "请求从轻处罚并申请分期缴纳罚款。"}),
         (12, "decide", {}), (8, "serve", {}),
         (4, "pay", {"amount": "10000", "reason": "经本局负责人批准分期缴纳，当事人缴纳第一期罚款"})],
        org("毕节市黔城物业管理有限公司", "MA6DKR3B", "张国平", "贵州省毕节市七星关区招商大道39号",
            "0857-8317720"),
        item="对特种设备使用单位未按规定办理使用登记的行政处罚",
        source_detail="特种设备安全专项检查发现",
        facts="当事人作为七星关区“黔城·锦绣花园”小区3台乘客电梯的使用单位，电梯投入使用后未向特种设备安全监督管理部门"
              "办理使用登记。执法人员于检查当日下达《责令改正通知书》，当事人逾期未改正。",
        legal_basis="《中华人民共和国特种设备安全法》第三十三条、第八十三条第（一）项",
        penalty={"kinds": ["fine"], "fine": "20000", "level": "从轻"}),
    Spec(  # 法制审核中（听证后），待 reviewer 审核
        "毕节市七星关区鸿福源酒店管理有限公司使用未经定期检验的特种设备案", "general",
        [(50, "register", {}), (50, "file", {}), (49, "approve", {}), (49, "investigate", {}),
         (25, "propose", {}), (24, "notice", {}), (22, "request_hearing", {}),
         (21, "schedule_hearing", {"hearing_k": 14}),
         (14, "hold_hearing", {"record": "听证会公开举行。调查人员陈述了案件事实、证据和拟处罚意见；当事人委托代理人对违法事实"
                                         "无异议，但提出涉案锅炉已停用、电梯已报检，请求减轻处罚。主持人归纳了争议焦点，"
                                         "双方进行了质证和辩论，当事人作最后陈述。"}),
         (2, "submit_review", {})],
        org("毕节市七星关区鸿福源酒店管理有限公司", "MA6GL8T2", "周德明", "贵州省毕节市七星关区百花山大道218号",
            "0857-8265508"),
        item="对使用未取得许可生产、未经检验或者检验不合格的特种设备的行政处罚",
        source_detail="特种设备安全监督检查发现",
        facts="当事人使用的1台燃气热水锅炉和2台乘客电梯定期检验有效期届满后，未按安全技术规范的要求向特种设备检验机构"
              "提出定期检验要求，在未经定期检验的情况下继续投入使用。",
        legal_basis="《中华人民共和国特种设备安全法》第四十条第三款、第八十四条第（一）项",
        penalty={"kinds": ["fine"], "fine": "120000", "level": "一般"}),
    Spec(  # 已作出决定（送达期限计时中）
        "毕节市七星关区味之源餐饮管理有限公司未按规定建立并遵守进货查验记录制度案", "general",
        [(46, "register", {}), (46, "file", {}), (45, "approve", {}), (45, "investigate", {}),
         (12, "propose", {}), (11, "notice", {}),
         (9, "statement", {"text": "当事人陈述：已安排专人负责进货查验并补建进货台账，请求减轻处罚。"}),
         (1, "decide", {"reason": "当事人经责令改正后仍未改正，陈述申辩理由不足以减轻处罚，维持拟处理意见。"})],
        org("毕节市七星关区味之源餐饮管理有限公司", "MA6H2K7X", "陈晓东", "贵州省毕节市七星关区同心路77号",
            "0857-8342291"),
        item="对食品生产经营者未按规定建立并遵守进货查验记录制度的行政处罚", field=FOOD,
        source_detail="餐饮服务食品安全复查发现",
        facts="当事人经营的“味之源”中餐厅采购食用植物油、调味品等食品原料，未查验供货者的许可证和产品合格证明文件，"
              "未如实记录食品名称、数量、生产日期、供货者名称等进货查验信息。执法人员前次检查时已责令其改正，"
              "复查时仍未改正。",
        legal_basis="《中华人民共和国食品安全法》第五十三条第一款、第一百二十六条第一款第（三）项",
        penalty={"kinds": ["fine"], "fine": "8000", "level": "一般"}),
    Spec(  # 听证（已通知，听证会尚未举行）
        "杨德才未经登记以市场主体名义从事经营活动案", "general",
        [(40, "register", {}), (40, "file", {}), (39, "approve", {}), (39, "investigate", {}),
         (9, "propose", {}), (8, "notice", {}), (6, "request_hearing", {}),
         (3, "schedule_hearing", {"hearing_after": 8})],
        person("杨德才", "M", dt.date(1982, 7, 9), 153, "贵州省毕节市七星关区德溪街道清毕路112号", "15185736620"),
        item="对未经登记以市场主体名义从事经营活动的行政处罚", source=Source.COMPLAINT,
        source_detail="群众通过12345政务服务便民热线举报",
        facts="当事人未依法办理市场主体登记，以“德才建材经营部”名义在七星关区清毕路租赁门面销售瓷砖、卫浴等建材，"
              "经查实违法所得6800元。执法人员责令其改正后，当事人仍未办理登记继续经营。",
        legal_basis="《市场主体登记管理条例》第三条、第四十三条",
        penalty={"kinds": ["confiscate_gains", "fine"], "fine": "20000", "confiscation": "6800", "level": "一般",
                 "gains": "6800"}),
    Spec(  # 已事先告知（陈述申辩期计时中）
        "七星关区恒昌酒行销售侵犯注册商标专用权的白酒案", "general",
        [(35, "register", {}), (35, "file", {}), (34, "approve", {}), (34, "investigate", {}),
         (3, "propose", {}), (2, "notice", {})],
        org("七星关区恒昌酒行", "MA6FN5W1", "陈昌海", "贵州省毕节市七星关区洪山街道威宁路205号", "13608575512",
            individual=True),
        item="对侵犯注册商标专用权的行政处罚", source=Source.REFERRAL,
        source_detail="商标注册人投诉，经毕节市市场监督管理局交办",
        facts="当事人在其经营场所销售标注“贵州茅台酒”注册商标的53%vol白酒24瓶，经商标注册人鉴定均为侵犯注册商标专用权"
              "的商品，当事人不能证明该商品是自己合法取得并说明提供者，违法经营额36000元。",
        legal_basis="《中华人民共和国商标法》第五十七条第（三）项、第六十条第二款",
        penalty={"kinds": ["confiscate_property", "fine"], "fine": "30000", "level": "从轻"},
        eservice="hengchang@example.cn"),
    Spec(  # 移送公安机关
        "毕节市七星关区益民大药房有限公司销售假药案", "general",
        [(26, "register", {}), (26, "file", {}), (25, "approve", {}), (25, "investigate", {}),
         (10, "transfer", {"transfer_kind": "crime", "transfer_to": "毕节市公安局七星关分局",
                           "reason": "经查，当事人销售假药，涉案药品货值金额共计10.6万元，涉嫌构成《中华人民共和国刑法》"
                                     "第一百四十一条规定的销售假药罪，依据《行政执法机关移送涉嫌犯罪案件的规定》第三条，"
                                     "移送公安机关依法处理。"})],
        org("毕节市七星关区益民大药房有限公司", "MA6J3P9D", "吴海涛", "贵州省毕节市七星关区人民路96号",
            "0857-8223307"),
        item="对生产、销售假药的行政处罚", source=Source.REFERRAL,
        source_detail="省药品监督管理局交办线索",
        facts="当事人销售标示为某制药有限公司生产的“复方甘草片”等4个品种药品，经标示生产企业确认并经毕节市食品药品检验"
              "检测中心检验，均为假药，涉案药品货值金额共计10.6万元。",
        legal_basis="《中华人民共和国药品管理法》第九十八条第二款、第一百一十六条",
        violation_days=20),
    Spec(  # 调查取证
        "毕节市七星关区黔味香食品厂生产不符合食品安全标准的食品案", "general",
        [(16, "register", {}), (16, "file", {}), (15, "approve", {}), (14, "investigate", {})],
        org("毕节市七星关区黔味香食品厂", "MA6K7Q4C", "龙安平", "贵州省毕节市七星关区柏杨林街道松山路31号",
            "0857-8390146"),
        item="对生产经营不符合食品安全标准的食品的行政处罚", field=FOOD,
        source_detail="食品安全监督抽检不合格",
        facts="食品安全监督抽检中，当事人生产的“黔味香”油辣椒（250g/瓶）经检验，苯甲酸及其钠盐（以苯甲酸计）"
              "检出值超过GB 2760—2014规定的最大使用量，检验结论为不合格。",
        legal_basis="《中华人民共和国食品安全法》第三十四条第（四）项、第一百二十四条第一款第（三）项",
        violation_days=40),
    Spec(  # 立案审批中
        "毕节市七星关区康民大药房有限公司未按规定明码标价案", "general",
        [(3, "register", {}), (1, "file", {})],
        org("毕节市七星关区康民大药房有限公司", "MA6L1R8E", "许文华", "贵州省毕节市七星关区学院路15号",
            "0857-8251873"),
        item="对经营者不按规定明码标价的行政处罚", source=Source.COMPLAINT,
        source_detail="12315平台转来消费者投诉",
        facts="消费者投诉当事人结算价格高于货架标示价格。经现场核查，当事人药品货架上23种药品未标示价格，"
              "另有5种药品标价签内容不全。",
        legal_basis="《中华人民共和国价格法》第十三条、第四十二条",
        violation_days=5),
    Spec(  # 不予立案（两名同事承办，非 officer）
        "王秀英无证加工销售自制糕点举报案", "general",
        [(20, "register", {}),
         (17, "not_file", {"reason": "经执法人员现场核查，王秀英在家中制作的糕点仅供家庭自用及亲友间赠送，未发现通过微信群"
                                     "或其他方式对外销售的证据，举报反映的违法事实不能成立，决定不予立案。"})],
        person("王秀英", "F", dt.date(1968, 11, 2), 218, "贵州省毕节市七星关区洪山街道麻园路“金海湾”小区5栋",
               "13765709815"),
        item="对未取得食品生产经营许可从事食品生产经营活动的行政处罚", field=FOOD, source=Source.COMPLAINT,
        source_detail="群众通过12345政务服务便民热线举报",
        facts="举报人反映：七星关区某小区居民王秀英在家中加工自制糕点，并通过微信群对外销售。",
        legal_basis="《中华人民共和国食品安全法》第三十五条第一款、第一百二十二条",
        with_me=False),
    Spec(  # 简易程序：当场处罚并备案
        "七星关区鲜果园水果店未按规定明码标价案", "simple",
        [(5, "spot", {"place": "七星关区威宁路鲜果园水果店门店"}), (4, "record", {})],
        org("七星关区鲜果园水果店", "MA6M4T6F", "罗春梅", "贵州省毕节市七星关区威宁路63号", "18308578216",
            individual=True),
        item="对经营者不按规定明码标价的行政处罚",
        source_detail="价格监督检查发现",
        facts="当事人销售的苹果、香蕉、猕猴桃等9种水果未标示价格，违法事实确凿，当事人当场予以改正。",
        legal_basis="《中华人民共和国价格法》第十三条、第四十二条；《中华人民共和国行政处罚法》第五十一条",
        data={"penalty_kinds": ["fine"], "fine_amount": Decimal("500")}),
    Spec(  # 行政检查：发现问题并登记为处罚案件的案源
        "毕节市七星关区福满园餐饮店食品安全监督检查", "inspection",
        [(6, "plan", {}), (5, "start", {}),
         (5, "result", {"result": "后厨操作间未设置有效的防蝇、防鼠设施；冷藏柜内生熟食品混放；3名从事接触直接入口食品"
                                  "工作的从业人员未能提供有效的健康证明。", "problems_found": True}),
         (4, "open_case", {"title": "毕节市七星关区福满园餐饮店安排未取得健康证明的人员从事接触直接入口食品工作案"})],
        org("毕节市七星关区福满园餐饮店", "MA6N9W3G", "田福贵", "贵州省毕节市七星关区碧阳街道文化路19号",
            "13885714027", individual=True),
        item="对食品生产经营者的监督检查", field=FOOD,
        source_detail="“双随机、一公开”监督检查（本季度餐饮服务单位抽查）"),
    Spec(  # 查封、扣押（30日期限计时中）
        "毕节市七星关区鑫盛冻品经营部涉嫌经营来源不明的冷冻肉品扣押案", "coercive",
        [(9, "seize", {"measure": "seize", "items": [
            {"name": "冷冻猪前蹄", "spec": "10kg/箱", "quantity": "36", "unit": "箱", "note": "无中文标签、无检验检疫证明"},
            {"name": "冷冻鸡爪", "spec": "10kg/箱", "quantity": "52", "unit": "箱", "note": "不能提供来源证明"}],
            "reason": "当事人不能提供涉案冻品的购货凭证、检验检疫证明，有证据证明可能危害人体健康，依法实施扣押。"})],
        org("毕节市七星关区鑫盛冻品经营部", "MA6P2X5H", "黄兴国", "贵州省毕节市七星关区杨柳湾路冷链物流园C区8号",
            "13595742618", individual=True),
        item="查封、扣押不符合食品安全标准的食品", field=FOOD,
        source_detail="冷链食品专项检查发现",
        facts="当事人冷库内存放的冷冻猪前蹄36箱、冷冻鸡爪52箱无中文标签，当事人不能提供购货凭证和检验检疫证明。",
        legal_basis="《中华人民共和国食品安全法》第一百一十条第（四）项；《中华人民共和国行政强制法》第九条、第二十四条"),
]

DEFAULT_REASONS = {
    "file": "经核查，有证据初步证明存在违反市场监督管理法律法规的行为，依法应当给予行政处罚，属于本局管辖，建议立案。",
    "approve": "同意立案。",
    "investigate": "依法开展调查取证。",
    "notice": "直接送达《行政处罚事先告知书》。",
    "request_hearing": "当事人在法定期限内书面提出听证申请。",
    "schedule_hearing": "向当事人送达《听证通知书》。",
    "submit_review": "拟作出的处罚经过听证程序，提交法制审核。",
    "decide": "经审查，违法事实清楚，证据确凿，程序合法，同意作出行政处罚决定。",
    "serve": "直接送达《行政处罚决定书》。",
    "pay": "当事人通过银行缴纳罚款。",
    "close": "行政处罚决定已执行完毕，同意结案。",
    "archive": "案卷整理完毕，移交归档。",
    "record": "当场处罚决定书报所属行政机关备案。",
    "start": "出示执法证件，实施现场检查。",
    "open_case": "检查发现涉嫌违法行为，登记为案源。",
}

STEP_LABELS = {
    "register": "案源登记", "file": "提请立案", "approve": "批准立案", "not_file": "不予立案", "investigate": "开始调查取证",
    "propose": "提出拟处理意见", "notice": "送达行政处罚事先告知书", "statement": "记录陈述申辩",
    "request_hearing": "当事人要求听证", "schedule_hearing": "通知听证", "hold_hearing": "举行听证",
    "submit_review": "提交法制审核", "review_pass": "法制审核同意", "decide": "作出行政处罚决定", "serve": "送达行政处罚决定书", "pay": "登记缴纳罚款",
    "close": "结案", "archive": "归档", "transfer": "移送", "spot": "当场作出行政处罚决定", "record": "报所属行政机关备案",
    "plan": "制定检查计划", "start": "实施检查", "result": "记录检查结果", "open_case": "作为案源登记处罚案件",
    "seize": "实施查封、扣押",
}

# ---- the desk: who acts, on which days -------------------------------------------------------
@dataclass
class Desk:
    entity: object
    me: object                     # the acting officer's Officer
    users: dict                    # officer / unithead / head / reviewer → User
    days: list                     # W(0), W(1), … working days on or before the anchor, newest first
    today: dt.date
    items: dict                    # name → published PowerItem
    warnings: list = _field(default_factory=list)

    def day(self, k: int) -> dt.date:
        if k >= len(self.days):
            raise Skip("所需日期早于已录入法定节假日安排的年份")
        return self.days[k]

    def warn(self, msg: str, log=None):
        self.warnings.append(msg)
        logger.warning(msg)
        if log:
            log(f"  警告：{msg}")


def _working_days(anchor: dt.date, n: int, cal) -> list[dt.date]:
    out, d = [], anchor
    while len(out) < n and d.year in cal.years:
        if cal.is_working(d):
            out.append(d)
        d -= dt.timedelta(days=1)
    return out


def _anchor(today: dt.date, cal) -> tuple[dt.date | None, str]:
    if today.year in cal.years:
        return today, ""
    earlier = [y for y in cal.years if y < today.year]
    if not earlier:
        return None, f"{today.year}年及以前年份的法定节假日安排均未录入，未生成演示案件"
    last = dt.date(max(earlier), 12, 31)
    return last, f"{today.year}年法定节假日安排尚未录入，演示案件以{last:%Y-%m-%d}为基准日生成（其中的期限已届满或无法计算）"


def _certified(desk: Desk, field_: str, start: dt.date):
    """Officers of the entity holding a valid certificate for `field_` over [start, today],
    the way rule officers.two_certified matches them (fields text contains the case's field)."""
    from zhifa.orgs.models import Certificate, Officer

    return (Officer.objects.filter(entity=desk.entity, status=Officer.Status.ACTIVE,
                                   certificates__status=Certificate.Status.VALID,
                                   certificates__issued_on__lte=start, certificates__expires_on__gte=desk.today,
                                   certificates__fields__contains=field_)
            .distinct().order_by("pk"))


def _handlers(desk: Desk, spec: Spec, start: dt.date, turn: int):
    """(field, [(officer, role), …]): the acting officer (lead) and a colleague of the same unit
    where possible; for `with_me=False` two colleagues. Falls back to the entity's first field."""
    default = (desk.entity.field_list or [""])[0]
    for field_ in dict.fromkeys([spec.field or default, default]):
        pool = [o for o in _certified(desk, field_, start) if o.pk != desk.me.pk and not o.is_legal_reviewer]
        pool.sort(key=lambda o: (o.unit_id != desk.me.unit_id, o.pk))
        if spec.with_me:
            me_ok = _certified(desk, field_, start).filter(pk=desk.me.pk).exists()
            if me_ok and pool:
                return field_, [(desk.me, "lead"), (pool[turn % min(len(pool), 4)], "assist")]
        elif len(pool) >= 2:
            a = 1 + turn % (len(pool) - 1)
            return field_, [(pool[a], "lead"), (pool[a - 1], "assist")]
    raise Skip(f"没有两名在{start:%Y-%m-%d}至今持有有效执法证的执法人员")


def _chair(desk: Desk, case):
    """听证主持人: an officer of the legal unit who did not investigate (not the reviewer login)."""
    from zhifa.orgs.models import Officer

    handlers = set(case.officers.values_list("officer_id", flat=True))
    reviewer = getattr(desk.users["reviewer"], "officer", None)
    qs = Officer.objects.filter(entity=desk.entity, status=Officer.Status.ACTIVE).exclude(pk__in=handlers)
    if reviewer is not None:
        qs = qs.exclude(pk=reviewer.pk)
    chair = qs.filter(unit__is_legal_unit=True).order_by("pk").first() or qs.order_by("pk").first()
    if chair is None:
        raise Skip("没有可以主持听证的非本案调查人员")
    return chair


def _propose_kwargs(spec: Spec) -> dict:
    p = spec.penalty
    kw = {"penalty_kinds": p["kinds"], "fine_amount": p.get("fine"), "confiscation_amount": p.get("confiscation"),
          "facts": spec.facts, "legal_basis": spec.legal_basis, "discretion_level": p.get("level", "")}
    if p.get("gains"):
        kw["illegal_gains"] = p["gains"]
    return kw


def _describe_penalty(p: dict) -> str:
    from zhifa.cases.models import PenaltyKind

    parts = []
    for k in p["kinds"]:
        label = str(PenaltyKind(k).label)
        if k == "fine":
            label += f"{p['fine']}元"
        elif k == "confiscate_gains" and p.get("confiscation"):
            label += f"{p['confiscation']}元"
        parts.append(label)
    level = f"（裁量档位：{p['level']}）" if p.get("level") else ""
    return "拟给予" + "、".join(parts) + "的行政处罚" + level + "。"


# ---- running a scenario ---------------------------------------------------------------------
def _run(desk: Desk, spec: Spec, turn: int, log) -> list[Case]:
    """Walk one scenario; a refused step stops it (the case stays where it got to)."""
    start = desk.day(spec.steps[0][0])
    field_, officers = _handlers(desk, spec, start, turn)
    item = desk.items.get(spec.item)
    items = [item] if item is not None else []
    data = {"entity": desk.entity, "unit": desk.me.unit,
            "title": spec.title, "field": field_, "source": spec.source, "source_detail": spec.source_detail,
            "facts": spec.facts, "legal_basis": spec.legal_basis, **spec.data}
    if spec.kind == "general":
        data["violation_on"] = start - dt.timedelta(days=spec.violation_days)
        data["discovered_on"] = start
    if data["unit"] is None:
        data.pop("unit")
    created: list[Case] = []
    case = None
    for k, step, kw in spec.steps:
        kw = dict(kw)
        try:
            on = desk.day(k)
            reason = kw.pop("reason", DEFAULT_REASONS.get(step, ""))
            with transaction.atomic():
                recorder = desk.users["officer"] if spec.with_me else desk.users["unithead"]
                demo_records.before_step(case, step, on, recorder)
                case = _step(desk, spec, case, step, on, reason, kw, data, officers, items, created)
                demo_records.after_step(case, step, on, recorder)
        except Exception as e:  # noqa: BLE001 - any refusal or gap: skip the rest, never fail the seed
            msg = getattr(e, "message", None) or str(e)
            where = f"，停在“{case.state_label}”" if case is not None else "，未生成"
            desk.warn(f"演示案件“{spec.title}”未能办理“{STEP_LABELS.get(step, step)}”（{msg}）{where}", log)
            break
    return created


def _step(desk, spec, case, step, on, reason, kw, data, officers, items, created):
    u = desk.users
    me, unithead, head = u["officer"], u["unithead"], u["head"]
    v = case.version if case is not None else 0
    common = {"expected_version": v, "on": on}
    if step == "register":
        actor = me if spec.with_me else unithead
        case = case_actions.do_register_case(data, acting_user=actor, parties=[spec.party], officers=officers,
                                  power_items=items, on=on, reason=reason or "登记案件线索。")
        created.append(case)
    elif step == "spot":
        case = case_actions.do_on_the_spot_penalty(data, place=kw["place"], party=spec.party, officers=officers,
                                        acting_user=me, on=on, power_items=items, reason=reason)
        created.append(case)
    elif step == "plan":
        case = case_actions.do_plan_inspection(data, acting_user=unithead, parties=[spec.party], officers=officers, on=on,
                                    power_items=items, reason=reason or "按照年度抽查计划安排检查。")
        created.append(case)
    elif step == "seize":
        case = case_actions.do_seize(data, measure=kw["measure"], items=kw["items"], party=spec.party,
                                     officers=officers, acting_user=me, on=on, power_items=items, reason=reason)
        # the head approves in their own queue (行政强制法 Art. 18 (一)), here the same day
        case_actions.do_approve_seizure(case, acting_user=head, expected_version=case.version, on=on)
        created.append(case)
    elif step == "file":
        case_actions.do_file_case(case, acting_user=me, reason=reason, **common)
    elif step == "approve":
        case_actions.do_approve_filing(case, acting_user=unithead, reason=reason, **common)
    elif step == "not_file":
        case_actions.do_not_file(case, acting_user=head, reason=reason, **common)
    elif step == "investigate":
        case_actions.do_start_investigation(case, acting_user=me, reason=reason, **common)
    elif step == "propose":
        case_actions.do_propose(case, acting_user=me, reason=_describe_penalty(spec.penalty), **_propose_kwargs(spec), **common)
    elif step == "notice":
        served = None
        if spec.eservice:  # the party consented to 电子送达: the 告知书 by e-mail, served on its arrival
            from zhifa.notify.demo import serve_notice_electronically

            served = serve_notice_electronically(case, officer=me, on=on, email=spec.eservice,
                                                log=lambda msg: logger.info(msg.strip()))
        if served is None:
            case_actions.do_serve_notice(case, acting_user=me, reason=reason, **common)
        else:
            case = served
    elif step == "statement":
        case_actions.do_record_statement(case, acting_user=me, reason=reason, **kw, **common)
    elif step == "request_hearing":
        case_actions.do_request_hearing(case, acting_user=me, reason=reason, **common)
    elif step == "schedule_hearing":
        if "hearing_k" in kw:
            hearing_on = desk.day(kw["hearing_k"])
        else:
            from zhifa.legalcal import periods

            due = periods.add_working_days(on, kw["hearing_after"])
            if not due.known:
                raise Skip(due.reason)
            hearing_on = due.date
        case_actions.do_schedule_hearing(case, hearing_on=hearing_on, chair=_chair(desk, case), acting_user=me,
                              reason=reason + f"听证定于{hearing_on:%Y年%m月%d日}在本局听证室举行。", **common)
    elif step == "hold_hearing":
        case_actions.do_hold_hearing(case, record=kw["record"], acting_user=me, reason="听证会按期举行。", **common)
    elif step == "submit_review":
        from zhifa.review.actions import do_submit_packet
        from zhifa.review.catalogue import packet_defaults

        # 送审材料 drawn from the case and its records, with the discretion reasoning written out.
        packet = {**packet_defaults(case), "discretion_reasoning": spec.penalty.get(
            "reasoning", "当事人初次违法，如实陈述违法事实，积极配合调查，依照裁量基准在一般档位内处罚。")}
        do_submit_packet(case, reviewer=u["reviewer"], packet=packet, acting_user=me, **common)
    elif step == "review_pass":
        from zhifa.review.actions import do_review
        from zhifa.review.models import CHECKLIST, Packet

        packet = Packet.objects.filter(review__case=case, review__outcome="").order_by("-version").first()
        do_review(case, outcome="agree", packet_version=packet.version if packet else 1,
                  checklist={key: {"status": "ok", "note": ""} for key, _label in CHECKLIST},
                  opinion="经审核，事实清楚，证据确凿，程序合法，适用法律正确，裁量适当，同意拟处理意见。",
                  acting_user=u["reviewer"], **common)
    elif step == "decide":
        case_actions.do_decide(case, acting_user=head, reason=reason, **common)
    elif step == "serve":
        case_actions.do_serve_decision(case, acting_user=me, reason=reason, **common)
    elif step == "pay":
        case_actions.do_record_payment(case, amount=kw["amount"], item=kw.get("item", "fine"), acting_user=me,
                                       reason=reason, **common)
    elif step == "close":
        case_actions.do_close(case, acting_user=unithead, reason=reason, **common)
    elif step == "archive":
        # The case file is complete first (archive.documents_complete): the officer generates the
        # documents its steps require (.docx; PDFs on request), then files it.
        from zhifa.documents.archive import generate_missing

        evidence = "\n".join(f"{n}. {t}" for n, t in enumerate(
            ["现场检查笔录", "询问笔录", "现场照片", "当事人营业执照复印件"], 1))
        generate_missing(case, acting_user=me, extra={"penalty_notice": {"evidence": evidence},
                                                     "penalty_decision": {"evidence": evidence}})
        case_actions.do_archive(case, acting_user=me, reason=reason, **common)
    elif step == "transfer":
        case_actions.do_transfer(case, transfer_kind=kw["transfer_kind"], transfer_to=kw["transfer_to"], acting_user=head,
                      reason=reason, **common)
    elif step == "record":
        case_actions.do_file_simple_record(case, acting_user=me, reason=reason, **common)
    elif step == "start":
        case_actions.do_start_inspection(case, acting_user=me, reason=reason, **common)
    elif step == "result":
        case_actions.do_record_inspection_result(case, result=kw["result"], problems_found=kw["problems_found"],
                                      acting_user=me, reason="现场检查完毕，制作现场检查笔录。", **common)
    elif step == "open_case":
        case_actions.do_open_penalty_case(case, title=kw["title"], acting_user=me, reason=reason, **common)
        new_id = case.events.order_by("-id").values_list("payload", flat=True).first().get("new_case")
        created.append(Case.objects.get(pk=new_id))
    else:  # pragma: no cover - a typo in SCENARIOS
        raise ValueError(step)
    return case


# ---- entry point ----------------------------------------------------------------------------
def _user(entity, role, prefer_unit=None):
    from zhifa.orgs.models import User

    qs = User.objects.filter(entity=entity, role=role, is_active=True).order_by("pk")
    if prefer_unit is not None and qs.filter(unit=prefer_unit).exists():
        qs = qs.filter(unit=prefer_unit)
    return qs.first()


def seed_demo_cases(entity, *, acting_user, unit_head=None, head=None, reviewer=None, today=None,
                    log=None) -> list[Case]:
    """Create the demo cases of `entity`, `acting_user` (an officer login with a certified Officer)
    handling most of them; the entity's unit head, agency head and legal reviewer logins (or the
    given ones) do their parts. Returns the cases created; [] when the entity already has cases
    (run once, like the rest of the seed) or when nothing can be dated in a known year."""
    from zhifa.legalcal import periods
    from zhifa.powers.models import PowerItem, VersionStatus

    started = time.perf_counter()
    log = log or (lambda msg: None)
    if Case.objects.filter(entity=entity).exists():
        log("  cases: 已有案件，未生成演示案件")
        return []
    me = getattr(acting_user, "officer", None)
    users = {"officer": acting_user,
             "unithead": unit_head or _user(entity, Role.UNIT_HEAD, acting_user.unit),
             "head": head or _user(entity, Role.AGENCY_HEAD),
             "reviewer": reviewer or _user(entity, Role.LEGAL_REVIEWER)}
    missing = [k for k, v in users.items() if v is None] + (["officer（执法人员档案）"] if me is None else [])
    if missing:
        msg = f"{entity.name}缺少演示账号（{'、'.join(missing)}），未生成演示案件"
        logger.warning(msg)
        log(f"  警告：{msg}")
        return []
    cal = periods.current()
    anchor, note = _anchor(min(today or timezone.localdate(), timezone.localdate()), cal)
    if note:
        logger.warning(note)
        log(f"  警告：{note}")
    if anchor is None:
        return []
    depth = max(k for s in SCENARIOS for k, _, _ in s.steps) + 1
    items = {}
    for it in PowerItem.objects.filter(entity=entity, status=VersionStatus.PUBLISHED).order_by("code"):
        items.setdefault(it.name, it)
    # Real evidence files, and the entity's A/V-required steps (查封扣押, 听证), as an agency would set them.
    demo_records.configure_entity(entity, acting_user=users["head"])
    # 法制审核目录清单: above these amounts, and for the statutory grounds, review is required.
    from zhifa.review.actions import do_save_catalogue

    do_save_catalogue(entity, {"fine_threshold_citizen": Decimal("50000"), "fine_threshold_org": Decimal("200000"),
                               "note": "演示：依据本局重大执法决定法制审核目录清单"}, acting_user=users["head"])
    desk = Desk(entity=entity, me=me, users=users, days=_working_days(anchor, depth, cal),
                today=timezone.localdate(), items=items)
    created: list[Case] = []
    # Oldest first, so that numbers (立案、决定书、…) follow the dates they were issued on.
    order = sorted(range(len(SCENARIOS)), key=lambda i: -SCENARIOS[i].steps[0][0])
    for turn, i in enumerate(order):
        spec = SCENARIOS[i]
        try:
            created += _run(desk, spec, turn, log)
        except Skip as e:
            desk.warn(f"演示案件“{spec.title}”未生成（{e}）", log)
    # What the daily `zhifa refresh_deadlines` would do today (the seed runs on an empty database,
    # so only these cases are concerned): lapsed party windows are marked as such.
    case_actions.refresh_deadlines(desk.today)
    log(f"  cases: {len(created)} 件，{time.perf_counter() - started:.1f}s")
    return created

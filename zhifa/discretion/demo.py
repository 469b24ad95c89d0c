"""Demo data for discretion (called by the seed after the demo cases): the shipped law texts, norms
for the main entity's steps, an entity circumstance, six earlier decided 商标侵权 cases (历史已决案件, entered after the demo cases and archived,
through the real actions: their profiles feed the similar cases, one fine is an outlier), and the
circumstances ticked on the notified 商标侵权 demo case, whose proposed fine lies above its close
cases' range (the warning) — so the case page shows a suggestion with reasons printed in the 告知书."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from zhifa.common.actions import ActionRefused
from zhifa.common.registry import demo_steps
from zhifa.legalcal.periods import CalendarUnknown

logger = logging.getLogger(__name__)
HISTORY = "历史已决案件（类案演示）"
TRADEMARK = "对侵犯注册商标专用权的行政处罚"
SHOPS = [("七星关区福源烟酒店", "MA6FQ1A2", "8000"), ("七星关区金樽酒行", "MA6FQ2B3", "10000"),
         ("七星关区德胜商行", "MA6FQ3C4", "12000"), ("七星关区百川副食店", "MA6FQ4D5", "15000"),
         ("七星关区鑫源便利店", "MA6FQ5E6", "9000"), ("七星关区顺达超市", "MA6FQ6F7", "3000")]
NORMS = [
    ("investigating", "language", "表明身份", "您好，我们是七星关区市场监督管理局执法人员，这是我们的执法证件（出示执法证）。"
     "现依法对你（单位）进行检查，请予配合。你有陈述和申辩的权利，如认为执法人员与本案有利害关系，可以申请回避。",
     "《中华人民共和国行政处罚法》第四十二条、第五十五条"),
    ("investigating", "procedure", "调查取证", "执法人员不得少于两人；询问或者检查应当制作笔录；"
     "证据可能灭失或者以后难以取得的，经负责人批准可以先行登记保存，并在七日内作出处理决定。",
     "《中华人民共和国行政处罚法》第四十二条、第五十五条、第五十六条"),
    ("proposed", "procedure", "拟处理意见", "认定裁量情节并说明理由；超出裁量基准的须书面说明理由；"
     "拟处罚与建议幅度相差较大的，作出决定前提请负责人集体讨论。", "《中华人民共和国行政处罚法》第三十四条、第五十七条"),
    ("notified", "language", "告知陈述申辩", "根据《中华人民共和国行政处罚法》第四十四条、第四十五条，你（单位）有权进行陈述和申辩，"
     "本机关将充分听取你（单位）的意见，不因你（单位）申辩而给予更重的处罚。", "《中华人民共和国行政处罚法》第四十五条"),
]


def _days(n, cal):
    """The n working days before today (newest first) in years whose holidays are known (the demo
    cases' own window: the demo officers' certificates are valid in it)."""
    d, out = timezone.localdate() - dt.timedelta(days=1), []
    while len(out) < n and d.year >= timezone.localdate().year - 2:
        try:
            if cal.is_working(d):
                out.append(d)
        except CalendarUnknown:
            pass
        d -= dt.timedelta(days=1)
    return out


def step(case, fn, user, on, **kw):
    case.refresh_from_db()
    fn(case, acting_user=user, expected_version=case.version, on=on, **kw)


def _history(entity, item, users, cal, log):
    from zhifa.cases import actions as CA
    from zhifa.common.identifiers import make_credit_code
    from zhifa.orgs.models import Officer

    days = _days(120, cal)
    if len(days) < 120:
        log("  警告：节假日安排未录入，未生成历史已决案件")
        return 0
    me, unithead, head = users["officer"], users["unithead"], users["head"]
    other = Officer.objects.filter(entity=entity, status="active").exclude(pk=me.officer.pk).order_by("pk").first()
    made = 0
    for i, (name, code8, fine) in enumerate(SHOPS):
        k = 116 - i * 2
        party = {"kind": "org", "name": name, "legal_representative": "张某", "address": "贵州省毕节市七星关区",
                 "phone": "0857-8000000", "credit_code": make_credit_code("520502", code8, authority="9", kind="2")}
        facts = (f"当事人在其经营场所销售标注“贵州茅台酒”注册商标的白酒{6 + i * 2}瓶，经商标注册人鉴定均为侵犯注册商标专用权的商品，"
                 f"当事人不能证明该商品是自己合法取得，违法经营额{(6 + i * 2) * 1500}元。")
        try:
            with transaction.atomic():
                case = CA.do_register_case({"entity": entity, "unit": me.unit, "title": f"{name}销售侵犯注册商标专用权的白酒案",
                                            "source": "inspection", "source_detail": HISTORY, "field": "",
                                            "violation_on": days[k] - dt.timedelta(days=10), "discovered_on": days[k],
                                            "facts": facts},
                                           acting_user=me, parties=[party], officers=[(me.officer, "lead"), (other, "assist")],
                                           power_items=[item], on=days[k], reason="登记案件线索。")

                step(case, CA.do_file_case, me, days[k])
                step(case, CA.do_approve_filing, unithead, days[k - 1])
                step(case, CA.do_start_investigation, me, days[k - 1])
                step(case, CA.do_propose, me, days[k - 20], penalty_kinds=["confiscate_property", "fine"], fine_amount=fine,
                     facts=facts, legal_basis="《中华人民共和国商标法》第五十七条第（三）项、第六十条第二款",
                     discretion_level="从轻")
                step(case, CA.do_serve_notice, me, days[k - 21])
                step(case, CA.do_record_statement, me, days[k - 22], waived=True)
                step(case, CA.do_decide, head, days[k - 28])
                # served, paid, closed and filed: history, off everyone's work queue
                step(case, CA.do_serve_decision, me, days[k - 29])
                step(case, CA.do_record_payment, me, days[k - 33], amount=fine)
                step(case, CA.do_close, unithead, days[k - 34], execution_note="罚款已缴清，涉案白酒已没收。")
                # the case file complete first (archive.documents_complete), as the demo cases do
                from zhifa.documents.archive import generate_missing

                evidence = "1. 现场检查笔录\n2. 询问笔录\n3. 商标注册人出具的鉴定意见\n4. 现场照片"
                case.refresh_from_db()
                generate_missing(case, acting_user=me, extra={"penalty_notice": {"evidence": evidence},
                                                             "penalty_decision": {"evidence": evidence}})
                step(case, CA.do_archive, me, days[k - 35])
                made += 1
        except (ActionRefused, CalendarUnknown) as e:
            log(f"  警告：历史已决案件未能生成（{getattr(e, 'message', e)}）")
            break
    return made


def seed_demo_discretion(entity, *, users, admin, cases, log=None):
    from zhifa.cases.models import Case
    from zhifa.discretion.actions import do_add_factor, do_add_norm, do_set_circumstances
    from zhifa.discretion.actions.laws import load_shipped
    from zhifa.legalcal import periods
    from zhifa.powers.models import PowerItem

    log = log or (lambda msg: None)
    laws = load_shipped(acting_user=admin)
    for step, kind, title, text, basis in NORMS:
        do_add_norm(acting_user=users["head"], kind=kind, title=title, text=text, step=step, entity=entity, basis=basis)
    item = PowerItem.objects.filter(entity=entity, name=TRADEMARK, status="published").first()
    if item is not None:
        do_add_factor(entity, acting_user=users["head"], code="festival_sales", label="节假日前集中销售",
                      effect="heavier", power_item_code=item.code, basis="本局裁量基准：节假日前集中销售侵权商品的从重处罚")
    made = _history(entity, item, users, periods.current(), log) if item is not None else 0
    notified = Case.objects.filter(pk__in=[c.pk for c in cases], state="notified").first()
    if notified is not None:
        try:
            do_set_circumstances(notified, acting_user=users["officer"], factors=["confessed", "eliminated_harm"],
                                 note="当事人如实供述进货渠道，主动下架并封存全部涉案白酒。")
        except ActionRefused as e:
            log(f"  警告：演示裁量情节未能认定（{e.message}）")
    log(f"  discretion: 法律法规{len(laws)}部，执法规范{len(NORMS)}条，历史已决案件{made}件")
    return made


@demo_steps.register("discretion", order=3)  # before documents: the 告知书 prints the 裁量说明
def discretion_step(demo) -> None:
    """法规库、执法规范、类案与裁量情节 through their actions."""
    if demo.cases:
        try:
            seed_demo_discretion(demo.main_entity, users=demo.users, admin=demo.admin, cases=demo.cases, log=demo.log)
        except (ActionRefused, CalendarUnknown) as e:  # a demo never stops the seed
            logger.warning("演示裁量辅助数据未完整生成：%s", e)
            demo.log(f"  警告：演示裁量辅助数据未完整生成（{getattr(e, 'message', e)}）")

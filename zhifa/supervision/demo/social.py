"""Demo data for 投诉举报 handling and 社会监督员 (issue 7 items 5 and 10), made through the actions:
complaints in every state (待分派, 已受理 with a handling record and overdue, 管辖异议, 已答复 with
satisfaction) and two social supervisors, one lead turned into a 督办 order and one waiting."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhifa.disclosure.actions import complaints
from zhifa.disclosure.models import Complaint
from zhifa.orgs.models import Entity
from zhifa.supervision.actions import social


@transaction.atomic
def seed_complaints_and_social(*, main, supervisor, head, officer, log=None) -> dict:
    log = log or (lambda msg: None)
    if Complaint.objects.exists() or None in (main, supervisor, head, officer):
        return {}
    today = timezone.localdate()
    ago = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    other = (Entity.objects.filter(region=main.region, is_justice_bureau=False, is_active=True)
             .exclude(pk=main.pk).order_by("name").first()) or main
    out = {}
    # 公示平台咨询: answered, the citizen satisfied
    c = complaints.do_submit_complaint(entity=main, kind="consult", client=None, contact="13908571234", on=ago(12),
                              content="请问在小区门口开办小餐馆需要办理哪些许可？办理时限多长？")
    complaints.do_answer_complaint(c, acting_user=head, on=ago(9),
                          answer="需办理营业执照和食品经营许可证，可在政务服务大厅一窗办理，材料齐全的当场受理，10个工作日内办结。")
    complaints.do_give_feedback(c, satisfaction="satisfied", comment="答复清楚", on=ago(8))
    out["answered"] = c
    # 12345 热线转办, at the justice bureau waiting for assignment
    out["pending"] = complaints.do_register_complaint(
        acting_user=supervisor, kind="complaint", source="12345", source_ref=f"GD{ago(1):%Y%m%d}0031",
        complainant="陈某", contact="13985710001", received_on=ago(1), today=today,
        content="12345热线转办：市民反映某农贸市场多家摊位使用未经检定的电子秤，短斤少两，要求查处。")
    # 12345 转办 assigned to the agency, being handled, past its due date
    c = complaints.do_register_complaint(
        acting_user=supervisor, kind="complaint", source="12345", source_ref=f"GD{ago(30):%Y%m%d}0107",
        complainant="罗某", contact="13985710002", received_on=ago(30), today=today, entity=main,
        content="12345热线转办：反映某超市销售过期酸奶，购买后发现已超过保质期3天，要求处理。")
    complaints.do_add_step(c, acting_user=officer, note="已派员到该超市现场检查，封存同批次酸奶6盒，调取进货台账。", on=ago(26))
    out["overdue"] = c
    # 来信, the agency disputes jurisdiction: back to the supervisor
    c = complaints.do_register_complaint(
        acting_user=head, kind="complaint", source="letter", complainant="杨某", received_on=ago(6), today=today,
        entity=main, content="来信反映某建筑工地夜间施工噪声扰民，持续一个多月，要求依法处理。")
    complaints.do_dispute_jurisdiction(c, acting_user=head, on=ago(4),
                              reason="建筑施工噪声污染由生态环境部门或住建部门管辖，不属本局职责。")
    out["disputed"] = c
    # 来访, first sent to the wrong agency, re-assigned with a reason, answered; the complainant not satisfied
    c = complaints.do_register_complaint(
        acting_user=supervisor, kind="complaint", source="visit", complainant="吴某", contact="13985710003",
        received_on=ago(20), today=today, entity=other,
        content="来访反映市场监管执法人员在检查其门店时未出示执法证件，且未告知检查依据。")
    if other != main:
        complaints.do_assign_complaint(c, acting_user=supervisor, entity=main, on=ago(19),
                              reason="反映的是市场监管执法人员，应由市场监管部门办理。")
    complaints.do_add_step(c, acting_user=officer, note="调取当日执法记录仪视频核查。", on=ago(15))
    complaints.do_answer_complaint(c, acting_user=head, on=ago(10),
                          answer="经调取执法记录仪视频，执法人员出示了证件但未告知检查依据，已对其批评教育。")
    complaints.do_give_feedback(c, satisfaction="dissatisfied", comment="希望公开处理结果", on=ago(9))
    # 社会监督员 and their leads
    lawyer = social.do_appoint_supervisor(acting_user=supervisor, name="何志明", kind="lawyer", workplace="贵州黔西北律师事务所",
                                     contact="13708571111", appointed_on=ago(90),
                                     term_ends_on=ago(90).replace(year=ago(90).year + 3))
    deputy = social.do_appoint_supervisor(acting_user=supervisor, name="吴晓梅", kind="npc", workplace="区人大代表",
                                     contact="13708572222", appointed_on=ago(90), entities=[main],
                                     term_ends_on=ago(90).replace(year=ago(90).year + 3))
    lead = social.do_submit_lead(social.token_for(lawyer), entity=main, on=ago(7), case_ref="农贸市场日常检查",
                            content="近期旁听一起简易程序处罚，执法人员未告知当事人陈述申辩权利，程序存在瑕疵。")
    social.do_convert_lead(lead, acting_user=supervisor, to="order", days=10, on=ago(5),
                      note="社会监督员反映简易程序处罚未告知陈述申辩权利，请自查近三个月简易程序案件并书面答复。")
    social.do_submit_lead(social.token_for(deputy), entity=main, on=ago(2),
                     content="群众反映同一商户一个月内被多个部门重复检查，影响正常经营，建议统筹检查计划。")
    out["supervisors"] = [lawyer, deputy]
    log(f"  complaints/social: {Complaint.objects.count()} 件投诉咨询，2 名社会监督员，2 条线索")
    return out


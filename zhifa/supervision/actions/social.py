"""社会监督员: appointment and end of appointment by the justice bureau's supervisors, the personal
feedback link, and the leads (线索) their feedback becomes.

Why a signed link and not an account: social supervisors are citizens, lawyers, journalists,
deputies — not staff. An account would need a new role in the scope table that every model reads,
and any mistake there would show them internal data. The link `/gs/jiandu/<token>/` only lets its
holder submit feedback and follow their own leads. The token is `<id>.<version>.<HMAC>` keyed by
SECRET_KEY; it stops working when the appointment ends or its term is over, and `do_renew_link`
bumps the version so a lost link is dead at once.

The agency concerned never learns who reported: the alert, order or complaint made from a lead
carries the content only (source 社会监督员), not the name or contact.

Named rules:
  social.appoint_bureau       only a justice bureau's supervisor appoints (for their own bureau)
  social.name                 a name is given
  social.kind                 the kind is one of the listed ones
  social.term                 the term ends after the appointment, within 5 years
  social.scope_in_region      the region and the entities watched lie inside the bureau's region
  social.ended                an ended appointment takes no more actions (end, new link)
  social.end_reason           ending an appointment states why
  lead.token_invalid          the feedback link is not (or no longer) valid
  lead.supervisor_serving     the appointment is current (not ended, within its term)
  lead.content                the feedback is 10–2000 characters
  lead.entity_in_scope        the entity concerned is one the supervisor watches
  lead.rate_limited           at most settings.ZHIFA_SOCIAL_LEAD_RATE leads a day per supervisor
  lead.handled_once           a lead is converted or closed once
  lead.target                 a lead becomes a complaint, an alert, an order, or is closed
  lead.entity_required        turning a lead into a case needs the entity concerned
  lead.close_note             closing a lead without action states why
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.accounts import links
from zhifa.common.actions import ActionRefused, OutOfScope, check_scope, log_change, snapshot
from zhifa.common.roles import Role
from zhifa.common.scope import can_on_entity
from zhifa.disclosure.actions.complaints import do_register_complaint
from zhifa.orgs.models import Entity
from zhifa.supervision.actions.orders import do_issue_order
from zhifa.supervision.models import Alert, SocialSupervisor, SupervisionLead

SALT = "zhifa.social-supervisor"
MAX_TERM_DAYS = 5 * 366
TARGETS = {"complaint": "转投诉办理", "alert": "转预警", "order": "发督办", "close": "办结（不予立案）"}


# ---- the personal link --------------------------------------------------------------------------
def token_for(s: SocialSupervisor) -> str:
    """Signed with the current link key (zhifa.accounts.links), not SECRET_KEY."""
    return f"{s.pk}.{s.token_version}.{links.mac(SALT, f'{s.pk}.{s.token_version}', 24)}"


def supervisor_for_token(token: str) -> SocialSupervisor | None:
    parts = (token or "").split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or len(parts[0]) > 18:
        return None
    s = SocialSupervisor.objects.select_related("bureau__region", "region").filter(pk=int(parts[0])).first()
    if s is None or str(s.token_version) != parts[1] or not links.matches(SALT, f"{s.pk}.{s.token_version}", parts[2], 24):
        return None
    return s


def watched_entities(s: SocialSupervisor):
    """The entities a social supervisor may report on: the listed ones, else all of the region."""
    chosen = s.entities.filter(is_active=True)
    if chosen.exists():
        return chosen
    return Entity.objects.filter(is_active=True, region__path__startswith=s.region.path)


def _today(on):
    return on or timezone.localdate()


# ---- registry -----------------------------------------------------------------------------------
@transaction.atomic
def do_appoint_supervisor(*, acting_user, name: str, kind: str, appointed_on: dt.date, term_ends_on: dt.date,
                          region=None, entities=(), workplace: str = "", contact: str = "") -> SocialSupervisor:
    bureau = acting_user.entity
    if acting_user.role != Role.SUPERVISOR or bureau is None or not bureau.is_justice_bureau:
        raise ActionRefused("social.appoint_bureau", "社会监督员由司法行政机关的执法监督人员聘任", "bureau")
    if not can_on_entity(acting_user, "appoint", SocialSupervisor, bureau):
        raise OutOfScope()
    name = (name or "").strip()
    if not name:
        raise ActionRefused("social.name", "请填写姓名", "name")
    if kind not in SocialSupervisor.Kind.values:
        raise ActionRefused("social.kind", "请选择身份类别", "kind")
    if appointed_on is None or term_ends_on is None or not (
            appointed_on < term_ends_on <= appointed_on + dt.timedelta(days=MAX_TERM_DAYS)):
        raise ActionRefused("social.term", "任期届满日期应晚于聘任日期，任期不超过5年", "term_ends_on")
    region = region or bureau.region
    entities = list(entities or [])
    if not region.path.startswith(bureau.region.path) or any(
            not e.region.path.startswith(region.path) for e in entities):
        raise ActionRefused("social.scope_in_region", "监督区域和重点监督主体应在本机关所辖区域内", "region")
    s = SocialSupervisor.objects.create(bureau=bureau, name=name[:50], kind=kind, workplace=(workplace or "")[:120],
                                        contact=(contact or "").strip()[:100], region=region,
                                        appointed_on=appointed_on, term_ends_on=term_ends_on,
                                        appointed_by=acting_user)
    if entities:
        s.entities.set(entities)
    log_change(s, "create", acting_user=acting_user, after=snapshot(s), reason="聘任社会监督员")
    return s


def _locked_supervisor(s, acting_user) -> SocialSupervisor:
    s = SocialSupervisor.objects.select_for_update().get(pk=s.pk)
    check_scope(acting_user, s, "change")
    if s.state == SocialSupervisor.State.ENDED:
        raise ActionRefused("social.ended", "该社会监督员已解聘", "state")
    return s


@transaction.atomic
def do_end_supervisor(s, *, acting_user, reason: str, on=None) -> SocialSupervisor:
    s = _locked_supervisor(s, acting_user)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ActionRefused("social.end_reason", "请填写解聘原因", "end_reason")
    before = snapshot(s)
    s.state, s.ended_on, s.end_reason = SocialSupervisor.State.ENDED, _today(on), reason[:200]
    s.save()
    log_change(s, "update", acting_user=acting_user, before=before, after=snapshot(s), reason=f"解聘：{reason}")
    return s


@transaction.atomic
def do_renew_link(s, *, acting_user) -> SocialSupervisor:
    """A new personal link; the old one stops working at once."""
    s = _locked_supervisor(s, acting_user)
    before = snapshot(s)
    s.token_version += 1
    s.save(update_fields=["token_version"])
    log_change(s, "update", acting_user=acting_user, before=before, after=snapshot(s), reason="更换反馈链接")
    return s


# ---- leads --------------------------------------------------------------------------------------
def _rate_check(s, on):
    """At most ZHIFA_SOCIAL_LEAD_RATE leads a day per supervisor, counted in the database under a lock
    on the supervisor's row: exact across workers and restarts (a cache counter was neither)."""
    limit = int(getattr(settings, "ZHIFA_SOCIAL_LEAD_RATE", 20))
    SocialSupervisor.objects.select_for_update().filter(pk=s.pk).first()
    if SupervisionLead.objects.filter(supervisor=s, received_on=on).count() >= limit:
        raise ActionRefused("lead.rate_limited", "今日提交次数已达上限，请明天再提交", "content")


def do_submit_lead(token: str, *, content: str, entity=None, case_ref: str = "", on=None) -> SupervisionLead:
    """A social supervisor's feedback through their personal link (no account)."""
    s = supervisor_for_token(token)
    if s is None:
        raise ActionRefused("lead.token_invalid", "反馈链接无效或已更换，请联系聘任机关", "token")
    on = _today(on)
    if not s.is_serving(on):
        raise ActionRefused("lead.supervisor_serving", "您的社会监督员聘任已结束或不在任期内", "token")
    content = (content or "").strip()
    if not 10 <= len(content) <= 2000:
        raise ActionRefused("lead.content", "反映内容应为10至2000字", "content")
    if entity is not None and not watched_entities(s).filter(pk=entity.pk).exists():
        raise ActionRefused("lead.entity_in_scope", "所选执法部门不在您的监督范围内", "entity")
    with transaction.atomic():
        _rate_check(s, on)
        lead = SupervisionLead.objects.create(supervisor=s, bureau=s.bureau, entity=entity, content=content,
                                              case_ref=(case_ref or "").strip()[:100], received_on=on)
        log_change(lead, "create", acting_user=None, after=snapshot(lead), reason="社会监督员反馈")
    return lead


@transaction.atomic
def do_convert_lead(lead, *, acting_user, to: str, entity=None, note: str = "", order_kind: str = "duban",
                    days=10, complaint_kind: str = "complaint", on=None) -> SupervisionLead:
    """Turn a lead into a complaint case, an alert or a 督办 order, or close it with a note."""
    lead = SupervisionLead.objects.select_for_update().get(pk=lead.pk)
    check_scope(acting_user, lead, "change")
    if lead.state != SupervisionLead.State.NEW:
        raise ActionRefused("lead.handled_once", "该线索已处理", "to")
    if to not in TARGETS:
        raise ActionRefused("lead.target", "处理方式应为转投诉办理、转预警、发督办或办结", "to")
    note = (note or "").strip()
    today = _today(on)
    entity = entity or lead.entity
    before = snapshot(lead)
    if to == "close":
        if len(note) < 2:
            raise ActionRefused("lead.close_note", "办结线索请填写处理说明", "note")
        lead.state = SupervisionLead.State.CLOSED
    else:
        if entity is None:
            raise ActionRefused("lead.entity_required", "请选择涉及的执法主体", "entity")
        if not can_on_entity(acting_user, "change", Alert, entity):
            raise ActionRefused("lead.entity_in_scope", "涉及的执法主体不在您的监督区域内", "entity")
        lead.entity = entity
        summary = lead.content if not lead.case_ref else f"{lead.content}（涉及：{lead.case_ref}）"
        if to == "complaint":
            # Name and contact stay with the lead: the agency sees the matter, not who raised it.
            lead.complaint = do_register_complaint(
                acting_user=acting_user, kind=complaint_kind, content=summary[:2000], source="social",
                source_ref=f"线索{lead.pk}", entity=entity, received_on=lead.received_on, note=note, today=today)
            lead.state = SupervisionLead.State.COMPLAINT
        elif to == "alert":
            alert = Alert.objects.create(kind=Alert.Kind.SOCIAL_LEAD, key=f"lead:{lead.pk}", entity=entity,
                                         text=f"社会监督员反映：{summary}"[:300], first_seen=today, last_seen=today,
                                         note=note)
            log_change(alert, "create", acting_user=acting_user, after=snapshot(alert), reason="社会监督员线索转预警")
            lead.alert, lead.state = alert, SupervisionLead.State.ALERT
        else:
            text = note or f"社会监督员反映：{summary}"
            lead.order = do_issue_order(acting_user=acting_user, entity=entity, kind=order_kind, text=text,
                                        days=days, on=today)
            lead.state = SupervisionLead.State.ORDER
    lead.note, lead.handled_by, lead.handled_on = note, acting_user, today
    lead.save()
    log_change(lead, "update", acting_user=acting_user, before=before, after=snapshot(lead), reason=TARGETS[to])
    return lead


def leads_raised_as_alerts():
    return (SupervisionLead.objects.filter(state=SupervisionLead.State.ALERT, alert__isnull=False,
                                           entity__isnull=False).select_related("alert"))


def outcome(lead) -> str:
    """What became of a lead, as its social supervisor reads it on their own page."""
    if lead.state == SupervisionLead.State.COMPLAINT and lead.complaint_id:
        c = lead.complaint
        return f"已转{c.entity.name}办理（查询码{c.tracking_code}，{c.get_state_display()}）"
    if lead.state == SupervisionLead.State.ORDER and lead.order_id:
        return f"已向{lead.order.entity.name}发出{lead.order.get_kind_display()}（{lead.order.get_state_display()}）"
    if lead.state == SupervisionLead.State.ALERT:
        return "已列入执法监督预警"
    if lead.state == SupervisionLead.State.CLOSED:
        return f"已办结：{lead.note}"
    return "待处理"

"""Actions on organisations and people. One transaction each; scope and rules checked here.

Certificates and training (issue 24 item 8), named rules:
  certificate.manager        suspension, restoration and withdrawal: a supervisor over the officer's region, or an administrator
  certificate.reason         each states its reason
  certificate.suspend_state  only a certificate in force (有效) is suspended
  certificate.restore_state  only a suspended certificate is restored
  orgs.certificate_revoked_final  a withdrawn certificate stays withdrawn (a new one is issued instead)
  certificate.until          a suspension's end is after its start
  training.tier              a training record names its tier (岗前 / 岗中 / 离岗)
  training.requirement       a tier's requirement: 1–500 hours
The action-layer effect: a holder whose certificate for the field is suspended or withdrawn takes no
enforcement step (zhifa.cases.rules `officers.certificate_in_force`, Officer.barred_by).
"""
from __future__ import annotations

from django.db import transaction

from zhifa.common.actions import ActionRefused, create_row, delete_row, update_row
from zhifa.common.fields import match_any
from zhifa.common.roles import ADMIN_ROLES, Role, is_superuser_allowed
from zhifa.orgs.models import (
    Certificate,
    CertificateStatusChange,
    Entity,
    LegalAdviser,
    Officer,
    Training,
    TrainingRequirement,
    TrainingTier,
    Unit,
    User,
)

ENTITY_FIELDS = {f.name for f in Entity._meta.fields} - {"id"}
OFFICER_FIELDS = {"entity", "unit", "name", "id_number", "gender", "phone", "title", "status",
                  "legal_qualification", "legal_qualification_no", "is_legal_reviewer", "user", "returned_on"}


def check_entrusting(data_entity: Entity):
    """Rule orgs.entrusted_by_statutory: only a statutory agency may entrust (行政处罚法 Art. 20)."""
    if (data_entity.kind == Entity.Kind.ENTRUSTED and data_entity.entrusted_by_id
            and data_entity.entrusted_by.kind != Entity.Kind.STATUTORY):
        raise ActionRefused("orgs.entrusted_by_statutory", "委托机关必须是法定行政机关", field="entrusted_by")


@transaction.atomic
def do_create_entity(data: dict, *, acting_user) -> Entity:
    entity = Entity(**data)
    check_entrusting(entity)
    # Only administrators create entities: scope for a not-yet-saved entity is ALL only.
    return create_row(Entity, data, acting_user=acting_user, entity=None)


@transaction.atomic
def do_update_entity(entity: Entity, data: dict, *, acting_user, reason="") -> Entity:
    locked = {"name", "credit_code", "region", "kind", "entrusted_by", "is_justice_bureau"}
    if acting_user.role != Role.ADMIN and not acting_user.is_superuser and locked & set(data):
        changed = [k for k in locked & set(data) if getattr(entity, k) != data[k]]
        if changed:
            raise ActionRefused("orgs.entity_identity_admin_only",
                                "主体名称、信用代码、区划、类别只能由系统管理员修改", field=changed[0])
    update_row(entity, data, acting_user=acting_user, allowed=ENTITY_FIELDS, reason=reason, rescope=False)
    check_entrusting(entity)
    return entity


@transaction.atomic
def do_create_unit(data: dict, *, acting_user) -> Unit:
    return create_row(Unit, data, acting_user=acting_user, entity=data.get("entity"))


@transaction.atomic
def do_update_unit(unit: Unit, data: dict, *, acting_user) -> Unit:
    return update_row(unit, data, acting_user=acting_user, allowed={"name", "is_legal_unit", "phone"})


def _check_reviewer(officer: Officer):
    """Rule review.reviewer_qualified: a legal reviewer holds 法律职业资格 (行政处罚法 Art. 58 ¶2)."""
    if officer.is_legal_reviewer and not officer.legal_qualification:
        raise ActionRefused("review.reviewer_qualified",
                            "法制审核人员应当取得法律职业资格（《行政处罚法》第五十八条）",
                            field="is_legal_reviewer")


@transaction.atomic
def do_create_officer(data: dict, *, acting_user) -> Officer:
    _check_reviewer(Officer(**data))
    return create_row(Officer, data, acting_user=acting_user, entity=data.get("entity"), unit=data.get("unit"))


@transaction.atomic
def do_update_officer(officer: Officer, data: dict, *, acting_user, reason="") -> Officer:
    update_row(officer, data, acting_user=acting_user, allowed=OFFICER_FIELDS, reason=reason)
    _check_reviewer(officer)
    return officer


@transaction.atomic
def do_delete_officer(officer: Officer, *, acting_user, reason=""):
    if officer.certificates.exists():
        raise ActionRefused("orgs.officer_has_certificates",
                            "该人员已有执法证记录，不能删除；请将状态改为“调离/退休”")
    delete_row(officer, acting_user=acting_user, reason=reason)


@transaction.atomic
def do_issue_certificate(data: dict, *, acting_user) -> Certificate:
    officer = data["officer"]
    return create_row(Certificate, data, acting_user=acting_user, entity=officer.entity, unit=officer.unit)


@transaction.atomic
def do_update_certificate(cert: Certificate, data: dict, *, acting_user, reason="") -> Certificate:
    if cert.status == Certificate.Status.REVOKED and data.get("status", cert.status) != cert.status:
        raise ActionRefused("orgs.certificate_revoked_final", "已注销/吊销的执法证不能恢复，请重新发证",
                            field="status")
    allowed = {"fields", "issuing_authority", "issued_on", "expires_on", "status",
               "annual_check_year", "annual_check_result"}
    return update_row(cert, data, acting_user=acting_user, allowed=allowed, reason=reason)


@transaction.atomic
def do_record_training(data: dict, *, acting_user) -> Training:
    officer = data["officer"]
    if data.get("tier", TrainingTier.IN_SERVICE) not in TrainingTier.values:
        raise ActionRefused("training.tier", "培训类别应为岗前培训、岗中培训或离岗培训", field="tier")
    return create_row(Training, data, acting_user=acting_user, entity=officer.entity, unit=officer.unit)


@transaction.atomic
def do_set_training_requirement(tier: str, *, acting_user, min_hours, exam_required: bool, note: str = "") -> TrainingRequirement:
    """An administrator sets a tier's requirement (hours, exam)."""
    from zhifa.common.actions import OutOfScope, log_change, snapshot
    from zhifa.common.scope import rule_for

    if rule_for(TrainingRequirement, acting_user, "change") is None:
        raise OutOfScope()
    if tier not in TrainingTier.values:
        raise ActionRefused("training.tier", "培训类别应为岗前培训、岗中培训或离岗培训", field="tier")
    try:
        hours = int(min_hours)
    except (TypeError, ValueError):
        hours = 0
    if not 1 <= hours <= 500:
        raise ActionRefused("training.requirement", "最低学时应为1至500", field="min_hours")
    row = TrainingRequirement.objects.select_for_update().filter(tier=tier).first()
    before = snapshot(row) if row else None
    row = row or TrainingRequirement(tier=tier)
    row.min_hours, row.exam_required, row.note = hours, bool(exam_required), (note or "").strip()[:200]
    row.save()
    log_change(row, "update" if before else "create", acting_user=acting_user, before=before, after=snapshot(row))
    return row


def _cert_step(cert, action, *, acting_user, reason, on, until=None, basis=""):
    """The shared part of suspending, restoring and withdrawing: scope, reason, the history row, the
    certificate's own status fields, the change log and a ledger entry."""
    import datetime as dt

    from django.utils import timezone

    from zhifa.common.actions import log_change, snapshot
    from zhifa.common.scope import can
    from zhifa.ledger import log as ledger

    if not can(acting_user, "manage", cert):
        raise ActionRefused("certificate.manager", "执法证的暂扣、恢复、注销/吊销由司法行政机关执法监督人员或系统管理员办理",
                            field="status")
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused("certificate.reason", "请填写理由", field="reason")
    on = on or timezone.localdate()
    if until is not None and not isinstance(until, dt.date):
        try:
            until = dt.date.fromisoformat(str(until))
        except ValueError:
            raise ActionRefused("validation", "暂扣期限至：日期格式应为YYYY-MM-DD", field="until") from None
    if until is not None and until <= on:
        raise ActionRefused("certificate.until", "暂扣期限应晚于暂扣日期", field="until")
    before = snapshot(cert)
    cert.status = {"suspend": Certificate.Status.SUSPENDED, "restore": Certificate.Status.VALID,
                   "withdraw": Certificate.Status.REVOKED}[action]
    cert.status_reason, cert.status_changed_on = reason, on
    cert.suspended_until = until if action == "suspend" else None
    cert.save()
    row = CertificateStatusChange.objects.create(certificate=cert, action=action, reason=reason, basis=(basis or "")[:200],
                                                 on=on, until=until, by=acting_user)
    log_change(row, "create", acting_user=acting_user, after=snapshot(row), reason=reason)
    log_change(cert, "update", acting_user=acting_user, before=before, after=snapshot(cert), reason=reason)
    ledger.append(f"orgs.certificate_{action}", subject=cert, actor=acting_user,
                  data={"certificate": cert.pk, "number": cert.number, "reason": reason, "on": on.isoformat(),
                        "until": until.isoformat() if until else None, "change": row.pk})
    return cert


def _lock_cert(cert) -> Certificate:
    return Certificate.objects.select_for_update().select_related("officer__entity__region").get(pk=cert.pk)


@transaction.atomic
def do_suspend_certificate(cert: Certificate, *, acting_user, reason: str, until=None, basis: str = "",
                           on=None) -> Certificate:
    """暂扣: the holder takes no enforcement step until the certificate is restored."""
    cert = _lock_cert(cert)
    if cert.status == Certificate.Status.REVOKED:
        raise ActionRefused("orgs.certificate_revoked_final", "已注销/吊销的执法证不能暂扣或恢复", field="status")
    if cert.status != Certificate.Status.VALID:
        raise ActionRefused("certificate.suspend_state", "只有有效的执法证可以暂扣", field="status")
    return _cert_step(cert, "suspend", acting_user=acting_user, reason=reason, until=until, basis=basis, on=on)


@transaction.atomic
def do_restore_certificate(cert: Certificate, *, acting_user, reason: str, on=None) -> Certificate:
    cert = _lock_cert(cert)
    if cert.status == Certificate.Status.REVOKED:
        raise ActionRefused("orgs.certificate_revoked_final", "已注销/吊销的执法证不能暂扣或恢复", field="status")
    if cert.status != Certificate.Status.SUSPENDED:
        raise ActionRefused("certificate.restore_state", "只有被暂扣的执法证可以恢复", field="status")
    return _cert_step(cert, "restore", acting_user=acting_user, reason=reason, on=on)


@transaction.atomic
def do_withdraw_certificate(cert: Certificate, *, acting_user, reason: str, basis: str = "", on=None) -> Certificate:
    """注销/吊销: final; a new certificate is issued if the officer qualifies again."""
    cert = _lock_cert(cert)
    if cert.status == Certificate.Status.REVOKED:
        raise ActionRefused("orgs.certificate_revoked_final", "该执法证已注销/吊销", field="status")
    return _cert_step(cert, "withdraw", acting_user=acting_user, reason=reason, basis=basis, on=on)


@transaction.atomic
def do_create_adviser(data: dict, *, acting_user) -> LegalAdviser:
    return create_row(LegalAdviser, data, acting_user=acting_user, entity=data.get("entity"))


@transaction.atomic
def do_update_adviser(adviser: LegalAdviser, data: dict, *, acting_user) -> LegalAdviser:
    allowed = {"kind", "name", "licence_no", "firm", "phone", "engaged_from", "engaged_to"}
    return update_row(adviser, data, acting_user=acting_user, allowed=allowed)


def _check_user_binding(role, entity):
    """Rule orgs.user_acts_for_entity: every account but the three administrators acts for exactly one entity."""
    if role not in ADMIN_ROLES and entity is None:
        raise ActionRefused("orgs.user_acts_for_entity", "除系统管理员外，账号必须归属一个执法主体", field="entity")
    if role == Role.SUPERVISOR and not entity.is_justice_bureau:
        raise ActionRefused("orgs.supervisor_in_justice_bureau", "执法监督人员必须归属司法行政机关", field="role")


@transaction.atomic
def do_create_user(*, username: str, password: str, role: str, entity=None, unit=None,
                   display_name="", acting_user) -> User:
    _check_user_binding(role, entity)
    if role in ADMIN_ROLES and not is_superuser_allowed(acting_user):
        raise ActionRefused("orgs.admins_by_command", "三员账号（系统管理员、安全管理员、安全审计员）只能由 "
                            "zhifa create-admins 创建", field="role")
    if User.objects.filter(username=username).exists():
        raise ActionRefused("validation", f"用户名：“{username}”已存在", field="username")
    user = create_row(User, {"username": username, "role": role, "entity": entity, "unit": unit,
                             "display_name": display_name, "is_staff": role in ADMIN_ROLES,
                             "password": "!"},
                      acting_user=acting_user, entity=entity, unit=unit)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def do_bulk_create_officers(officers: list[Officer], certificates: list[Certificate] | None = None, *,
                            acting_user, reason="批量导入") -> list[Officer]:
    """Create many officers (and their certificates) in one transaction: all or nothing.

    Callers (Excel import, demo seeding) validate rows first for a per-row report; this
    re-checks scope, the reviewer rule and uniqueness in bulk so nothing invalid gets in.
    `certificates[i].officer` must point at an object of `officers`.
    """
    from zhifa.common.actions import bulk_log_created, check_scope_each_owner

    check_scope_each_owner(acting_user, Officer, officers)
    for o in officers:
        _check_reviewer(o)
    ids = [o.id_number for o in officers]
    if len(set(ids)) != len(ids):
        raise ActionRefused("validation", "身份证号：导入数据中有重复的身份证号", field="id_number")
    for chunk in range(0, len(ids), 5000):
        dup = Officer.objects.filter(match_any(Officer, "id_number", ids[chunk:chunk + 5000])) \
            .values_list("id_number", flat=True).first()  # encrypted: its blind index
        if dup:
            raise ActionRefused("validation", f"身份证号：{dup} 已存在", field="id_number")
    Officer.objects.bulk_create(officers, batch_size=2000)
    bulk_log_created(officers, acting_user=acting_user, action="import", reason=reason)
    if certificates:
        nums = [c.number for c in certificates]
        clash = any(Certificate.objects.filter(number__in=nums[i:i + 5000]).exists()
                    for i in range(0, len(nums), 5000))
        if len(set(nums)) != len(nums) or clash:
            raise ActionRefused("validation", "执法证号：执法证号重复", field="number")
        for c in certificates:
            # Re-assign (not `officer_id = …`): keeps the cached officer, so logging a
            # certificate (its __str__ reads officer.name) costs no query per row.
            c.officer = c.officer
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        bulk_log_created(certificates, acting_user=acting_user, action="import", reason=reason)
    return officers


@transaction.atomic
def do_bootstrap_admin(*, username: str, password: str, display_name="系统管理员") -> User:
    """Demo mode and the test suite only: an all-powerful superuser for an empty installation, logged
    as creating itself. Refused once any superuser exists, and always outside demo mode (三员分立:
    production has `do_create_admin`, i.e. `zhifa create-admins`)."""
    from django.conf import settings

    from zhifa.common.actions import log_change, snapshot
    from zhifa.common.models import ChangeLog

    if not settings.DEMO:
        raise ActionRefused("orgs.no_superuser", "生产环境不设超级管理员，请运行 zhifa create-admins 创建三员账号")
    if User.objects.filter(is_superuser=True).exists():
        raise ActionRefused("orgs.bootstrap_once", "已存在系统管理员，请由管理员创建账号")
    user = User.objects.create_superuser(username, password=password, role=Role.ADMIN,
                                         display_name=display_name)
    log_change(user, ChangeLog.Action.CREATE, acting_user=user, after=snapshot(user), reason="系统初始化")
    return user


ADMIN_TITLES = {Role.ADMIN: "系统管理员", Role.SECURITY_ADMIN: "安全管理员", Role.AUDIT_ADMIN: "安全审计员"}


@transaction.atomic
def do_create_admin(*, username: str, password: str, role: str, display_name: str = "", acting_user=None,
                    must_change: bool = True) -> User:
    """One of the three administrators (三员分立): staff, never a superuser, acting for no entity; what
    the role may do is decided by its role (zhifa.accounts.backends, zhifa.common.scope). Without an
    acting user (the first start: `zhifa create-admins`) the account is logged as creating itself."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from zhifa.accounts.actions import set_must_change_password
    from zhifa.common.actions import log_change, snapshot
    from zhifa.common.models import ChangeLog

    if role not in ADMIN_TITLES:
        raise ActionRefused("validation", "角色：应为系统管理员、安全管理员或安全审计员之一", field="role")
    username = (username or "").strip()
    if not username or len(username) > 150:
        raise ActionRefused("validation", "用户名：必须填写，且不超过150个字符", field="username")
    if User.objects.filter(username=username).exists():
        raise ActionRefused("validation", f"用户名：“{username}”已存在", field="username")
    user = User(username=username, role=role, display_name=display_name or ADMIN_TITLES[role], is_staff=True)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise ActionRefused("account.password_policy", "密码：" + "；".join(e.messages), field="password") from e
    user.set_password(password)
    user.save()
    log_change(user, ChangeLog.Action.CREATE, acting_user=acting_user or user, after=snapshot(user),
               reason="三员账号（zhifa create-admins）")
    if must_change:
        set_must_change_password(user)
    return user


@transaction.atomic
def do_demote_superusers(*, acting_user=None) -> list[str]:
    """Take the superuser flag from every account (each keeps its role; a former superuser becomes a
    system administrator). Change-logged row by row."""
    from zhifa.common.actions import log_change, snapshot
    from zhifa.common.models import ChangeLog

    names = []
    for user in User.objects.filter(is_superuser=True).order_by("pk"):
        before = snapshot(user)
        user.is_superuser = False
        if user.role not in ADMIN_TITLES and user.entity_id is None:
            user.role = Role.ADMIN
        user.save(update_fields=["is_superuser", "role"])
        log_change(user, ChangeLog.Action.UPDATE, acting_user=acting_user or user, before=before,
                   after=snapshot(user), reason="取消超级管理员（三员分立）")
        names.append(user.username)
    return names


def _bulk_owned(model, objs, owner, *, acting_user, reason):
    """Scope-check each distinct owner (entity, unit), insert in batches, log every row."""
    from zhifa.common.actions import bulk_log_created, check_scope_each_owner

    check_scope_each_owner(acting_user, model, objs, owner)
    model.objects.bulk_create(objs, batch_size=2000)
    bulk_log_created(objs, acting_user=acting_user, action="import", reason=reason)
    return objs


@transaction.atomic
def do_bulk_create_entities(entities: list[Entity], *, acting_user, reason="批量导入") -> list[Entity]:
    """Many entities at once (administrators only, like do_create_entity). Entrusted entities
    must point at already saved statutory agencies."""
    for e in entities:
        check_entrusting(e)
    return _bulk_owned(Entity, entities, lambda e: (None, None), acting_user=acting_user, reason=reason)


@transaction.atomic
def do_bulk_create_units(units: list[Unit], *, acting_user, reason="批量导入") -> list[Unit]:
    return _bulk_owned(Unit, units, lambda u: (u.entity, None), acting_user=acting_user, reason=reason)


@transaction.atomic
def do_bulk_record_trainings(trainings: list[Training], *, acting_user, reason="批量导入") -> list[Training]:
    for t in trainings:
        t.officer = t.officer  # sets officer_id, keeps the cached object (no query per row)
    return _bulk_owned(Training, trainings, lambda t: (t.officer.entity, t.officer.unit),
                       acting_user=acting_user, reason=reason)


@transaction.atomic
def do_bulk_create_advisers(advisers: list[LegalAdviser], *, acting_user, reason="批量导入") -> list[LegalAdviser]:
    return _bulk_owned(LegalAdviser, advisers, lambda a: (a.entity, None), acting_user=acting_user, reason=reason)

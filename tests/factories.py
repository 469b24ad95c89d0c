"""Test factories built on the actions (never hand-kept dumps)."""
from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from zhifa.common.actions import log_change, snapshot
from zhifa.common.identifiers import make_credit_code, make_id_number
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.orgs import actions as org_actions
from zhifa.orgs.models import Region, User

_seq = itertools.count(1)


def system_admin() -> User:
    user = User.objects.filter(username="sysadmin").first()
    if user is None:  # through the action, so the account is change-logged like any other
        first = User.objects.filter(is_superuser=True).first()
        if first is None:
            user = org_actions.do_bootstrap_admin(username="sysadmin", password="x")
        else:
            user = User.objects.create_superuser("sysadmin", password="x", role=Role.ADMIN, display_name="系统管理员")
            log_change(user, ChangeLog.Action.CREATE, acting_user=first, after=snapshot(user), reason="测试")
    return user


def region(code: str, name: str, level: int, parent: Region | None = None) -> Region:
    obj, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})
    return obj


def region_tree():
    """贵州省 › 毕节市 › 七星关区 / 大方县, and 遵义市 as an outside city."""
    gz = region("520000", "贵州省", 1)
    bj = region("520500", "毕节市", 2, gz)
    qxg = region("520502", "七星关区", 3, bj)
    df = region("520521", "大方县", 3, bj)
    zy = region("520300", "遵义市", 2, gz)
    return {"province": gz, "city": bj, "county": qxg, "county2": df, "other_city": zy}


def entity(region: Region, name: str | None = None, *, justice=False, short_code="测", **extra):
    n = next(_seq)
    data = {
        "name": name or f"测试执法局{n}", "short_code": short_code, "region": region,
        "credit_code": make_credit_code(region.code, f"{n:08d}"), "is_justice_bureau": justice,
        "fields": "市场监管", "phone": "0857-8221234", **extra,
    }
    return org_actions.do_create_entity(data, acting_user=system_admin())


def unit(entity, name="执法大队", **extra):
    return org_actions.do_create_unit({"entity": entity, "name": name, **extra}, acting_user=system_admin())


def user(role: str, entity=None, unit=None, username: str | None = None, password="pass12345"):
    username = username or f"{role}{next(_seq)}"
    return org_actions.do_create_user(username=username, password=password, role=role, entity=entity,
                                      unit=unit, display_name=username, acting_user=system_admin())


def officer(entity, unit=None, name=None, *, cert=True, fields="市场监管", **extra):
    n = next(_seq)
    data = {"entity": entity, "unit": unit, "name": name or f"张{n}",
            "id_number": make_id_number(entity.region.code, dt.date(1985, 1, 1) + dt.timedelta(days=n % 9000), n),
            "gender": "M", **extra}
    o = org_actions.do_create_officer(data, acting_user=system_admin())
    if cert:
        org_actions.do_issue_certificate({
            "officer": o, "number": f"52{n:010d}", "fields": fields, "issuing_authority": "贵州省人民政府",
            "issued_on": timezone.localdate() - dt.timedelta(days=365),
            "expires_on": timezone.localdate() + dt.timedelta(days=365 * 4)}, acting_user=system_admin())
    return o


def world():
    """Two entities in one county, one in another county, one in another city; justice bureaus."""
    r = region_tree()
    w = {"regions": r}
    w["smj"] = entity(r["county"], "七星关区市场监督管理局", short_code="七市监")
    w["smj_unit"] = unit(w["smj"], "执法稽查大队")
    w["smj_unit2"] = unit(w["smj"], "法规科", is_legal_unit=True)
    w["hbj"] = entity(r["county"], "七星关区生态环境局", short_code="七环")
    w["df"] = entity(r["county2"], "大方县市场监督管理局", short_code="大市监")
    w["zy"] = entity(r["other_city"], "遵义市市场监督管理局", short_code="遵市监")
    w["sfj_county"] = entity(r["county"], "七星关区司法局", justice=True, short_code="七司")
    w["sfj_city"] = entity(r["city"], "毕节市司法局", justice=True, short_code="毕司")
    w["officer"] = user(Role.OFFICER, w["smj"], w["smj_unit"], "officer")
    w["unit_head"] = user(Role.UNIT_HEAD, w["smj"], w["smj_unit"], "unithead")
    w["head"] = user(Role.AGENCY_HEAD, w["smj"], None, "head")
    w["reviewer"] = user(Role.LEGAL_REVIEWER, w["smj"], w["smj_unit2"], "reviewer")
    w["sup_county"] = user(Role.SUPERVISOR, w["sfj_county"], None, "supcounty")
    w["sup_city"] = user(Role.SUPERVISOR, w["sfj_city"], None, "supcity")
    w["admin"] = system_admin()
    w["o1"] = officer(w["smj"], w["smj_unit"], "李明")
    w["o2"] = officer(w["smj"], w["smj_unit2"], "王芳")
    w["o_hbj"] = officer(w["hbj"], None, "赵强")
    w["o_df"] = officer(w["df"], None, "钱红")
    w["o_zy"] = officer(w["zy"], None, "孙伟")
    return w


# ---- cases (执法办案) -----------------------------------------------------------------------
def certified_officer(entity, unit=None, name=None, *, login_role=None, fields="市场监管",
                      issued_on=dt.date(2020, 1, 1), expires_on=dt.date(2030, 12, 31), **extra):
    """An officer with a certificate valid 2020–2030 and, with login_role, a linked login."""
    o = officer(entity, unit, name, cert=False, fields=fields, **extra)
    org_actions.do_issue_certificate({
        "officer": o, "number": f"53{next(_seq):010d}", "fields": fields, "issuing_authority": "贵州省人民政府",
        "issued_on": issued_on, "expires_on": expires_on}, acting_user=system_admin())
    if login_role:
        u = user(login_role, entity, unit)
        org_actions.do_update_officer(o, {"user": u}, acting_user=system_admin())
        o.refresh_from_db()
    return o


def published_power_item(entity, unit=None, code=None, confirmer=None):
    from zhifa.powers import actions as power_actions
    from zhifa.powers.models import PowerItem

    item = power_actions.do_create_versioned(PowerItem, {
        "entity": entity, "unit": unit, "code": code or f"CF-{next(_seq):04d}",
        "name": "对销售不符合食品安全标准的食品的处罚", "category": PowerItem.Category.PENALTY,
        "law": "中华人民共和国食品安全法", "article": "第一百二十四条"}, acting_user=system_admin())
    power_actions.do_submit_versioned(item, acting_user=system_admin())
    confirmer = confirmer or User.objects.filter(role=Role.SUPERVISOR, entity__region=entity.region).first()
    return power_actions.do_confirm_versioned(item, acting_user=confirmer, note="同意")


def person_party(name="陈某", n=None, **extra):
    n = n or next(_seq)
    return {"kind": "person", "name": name,
            "id_number": make_id_number("520502", dt.date(1980, 5, 1) + dt.timedelta(days=n % 9000), n), **extra}


def org_party(name="某某食品有限公司", n=None, **extra):
    n = n or next(_seq)
    return {"kind": "org", "name": name, "credit_code": make_credit_code("520502", f"{n:08d}", authority="9"),
            "legal_representative": "周某", **extra}


def case_world(w):
    """Adds to world(): two handler officers with logins (h1, h2), a spare officer (h3), a legal
    reviewer (rev, a user whose officer is a qualified legal reviewer) and a published power item."""
    w["h1"] = certified_officer(w["smj"], w["smj_unit"], "刘一", login_role=Role.OFFICER)
    w["h2"] = certified_officer(w["smj"], w["smj_unit"], "陈二", login_role=Role.OFFICER)
    w["h3"] = certified_officer(w["smj"], w["smj_unit"], "杨三", login_role=Role.OFFICER)
    w["rev_officer"] = certified_officer(w["smj"], w["smj_unit2"], "法制审核员", login_role=Role.LEGAL_REVIEWER,
                                         legal_qualification=True, legal_qualification_no="A2018520001",
                                         is_legal_reviewer=True)
    w["rev"] = w["rev_officer"].user
    w["u1"], w["u2"], w["u3"] = w["h1"].user, w["h2"].user, w["h3"].user
    w["item"] = published_power_item(w["smj"], w["smj_unit"])
    return w


def case(w, *, on=dt.date(2026, 3, 2), party=None, officers=None, acting_user=None, **data):
    """A registered general-procedure case of 七星关区市场监督管理局 handled by h1 (lead) and h2,
    registered by h1's login (u1) unless acting_user says otherwise."""
    from zhifa.cases.actions import do_register_case

    fields = {"entity": w["smj"], "unit": w["smj_unit"], "title": "销售过期食品案", "source": "complaint",
              "violation_on": on - dt.timedelta(days=30), "discovered_on": on, **data}
    officers = officers if officers is not None else [(w["h1"], "lead"), (w["h2"], "assist")]
    return do_register_case(fields, acting_user=acting_user or w["u1"], parties=[party or person_party()], officers=officers,
                            power_items=[w["item"]], on=on)

"""等保 self-check (issue 16 item 8): each application-relevant clause of GB/T 22239-2019 level 3 and
each application-and-data point of GB/T 39786-2021 (密评) mapped to the live settings, the state of the
database and the tests that meet it, with a status:

    符合        the platform meets it as configured now
    部分符合    met in part (the evidence says which part is missing)
    不符合      not met as configured (or not implemented: said so)
    部署方负责  outside the application: TLS, network, host, backups' media, certified crypto modules

Every status that depends on a setting or on the database is computed here when the report is made
(`tests/site/test_selfcheck.py` flips settings and sees it change); only the statements about the
design (what the code does regardless of configuration) are fixed text naming their test.

Shown on /security/ (security and audit administrators) and by `zhifa security-report [--json]`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhifa.common.roles import Role, is_audit_admin, is_security_admin

OK, PARTIAL, FAIL, DEPLOY = "符合", "部分符合", "不符合", "部署方负责"
STATUSES = (OK, PARTIAL, FAIL, DEPLOY)


@dataclass
class Item:
    standard: str      # GB/T 22239-2019 / GB/T 39786-2021
    clause: str        # e.g. 8.1.4.1 a)
    area: str          # 身份鉴别 …
    requirement: str
    status: str
    evidence: list[str] = field(default_factory=list)
    deployment: str = ""  # what is left to the deployment, if anything

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- helpers over the live configuration ----------------------------------------------------------
def _validator_options(name: str) -> dict[str, Any] | None:
    for v in settings.AUTH_PASSWORD_VALIDATORS:
        if v["NAME"].endswith(name):
            return dict(v.get("OPTIONS", {}))
    return None


def _count(fn: Callable[[], int]) -> int | None:
    try:
        return fn()
    except DatabaseError:
        return None


def _users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects


G = "GB/T 22239-2019"
M = "GB/T 39786-2021"


# ---- 8.1.4.1 身份鉴别 ------------------------------------------------------------------------------
def identification() -> list[Item]:
    items = []
    length = (_validator_options("MinimumLengthValidator") or {}).get("min_length", 0)
    classes = (_validator_options("CharacterClassesValidator") or {}).get("min_classes", 0)
    common = _validator_options("CommonPasswordValidator") is not None
    history = (_validator_options("PasswordHistoryValidator") or {}).get("history", 0)
    age = settings.ZHIFA_PASSWORD_MAX_AGE_DAYS
    ev = [f"口令最短长度 {length}（AUTH_PASSWORD_VALIDATORS）", f"至少 {classes} 类字符", f"常用口令表：{'启用' if common else '未启用'}",
          f"不得与最近 {history} 个口令相同", f"口令有效期 ZHIFA_PASSWORD_MAX_AGE_DAYS={age}（0 为不过期）",
          "用户名唯一（orgs.User.username 唯一约束）；测试 tests/accounts/test_passwords.py"]
    good = [length >= 8, classes >= 3, common, 0 < age <= 180]
    items.append(Item(G, "8.1.4.1 a)", "身份鉴别", "对登录的用户进行身份标识和鉴别，身份标识具有唯一性，身份鉴别信息具有复杂度要求并定期更换",
                      OK if all(good) else (PARTIAL if any(good) else FAIL), ev))
    limit, cool = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    idle, hours = settings.ZHIFA_SESSION_IDLE_MINUTES, settings.ZHIFA_SESSION_MAX_HOURS
    cool_min = int(cool.total_seconds() // 60) if isinstance(cool, dt.timedelta) else int(cool or 0) * 60
    good = [0 < limit <= 5 and cool_min >= 10, 0 < idle <= 30, hours > 0]
    items.append(Item(G, "8.1.4.1 b)", "身份鉴别", "具有登录失败处理功能，配置并启用结束会话、限制非法登录次数和当登录连接超时自动退出等措施",
                      OK if all(good) else (PARTIAL if any(good) else FAIL),
                      [f"连续失败 {limit} 次锁定账号及来源地址 {cool_min} 分钟（ZHIFA_LOCKOUT_FAILURES/MINUTES；登录页、管理后台、令牌接口）",
                       f"无操作 {idle} 分钟退出（ZHIFA_SESSION_IDLE_MINUTES），登录后 {hours} 小时强制退出（ZHIFA_SESSION_MAX_HOURS）",
                       "测试 tests/accounts/test_lockout.py、test_sessions.py"]))
    https = bool(settings.SESSION_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS > 0)
    items.append(Item(G, "8.1.4.1 c)", "身份鉴别", "进行远程管理时，采取必要措施防止鉴别信息在网络传输过程中被窃听",
                      OK if https else FAIL,
                      [f"ZHIFA_HTTPS={'1' if settings.HTTPS else '0'}：Cookie Secure={settings.SESSION_COOKIE_SECURE}，"
                       f"HSTS {settings.SECURE_HSTS_SECONDS} 秒，HTTP 跳转 HTTPS={settings.SECURE_SSL_REDIRECT}"],
                      "TLS 证书与终止（nginx，deploy/nginx/zhifa.conf）由部署方配置"))
    from zhifa.accounts.policy import SECOND_FACTOR_ROLES

    required = settings.ZHIFA_REQUIRE_2FA
    missing = _count(lambda: _users().filter(is_active=True, role__in=list(SECOND_FACTOR_ROLES)).exclude(
        totpdevice__confirmed=True).count())
    ev = [f"ZHIFA_REQUIRE_2FA={'1' if required else '0'}：法制审核、负责人、监督人员和三员须口令+动态口令（TOTP，RFC 6238）",
          f"尚未启用动态口令的上述账号：{'未知' if missing is None else missing} 个（下次登录时只能进入绑定页面）",
          "测试 tests/accounts/test_second_factor.py"]
    items.append(Item(G, "8.1.4.1 d)", "身份鉴别", "采用口令、密码技术、生物技术等两种或两种以上组合的鉴别技术对用户进行身份鉴别，且其中一种鉴别技术至少应使用密码技术来实现",
                      FAIL if not required else (OK if missing == 0 else PARTIAL), ev,
                      "动态口令采用 HMAC-SHA1（RFC 6238），如须国密算法的 USB Key / 数字证书，由部署方接入"))
    return items


# ---- 8.1.4.2 访问控制 and 8.1.5 三员 --------------------------------------------------------------
def access_control() -> list[Item]:
    from zhifa.common import scope
    from zhifa.common.models import ChangeLog
    from zhifa.site.demo.builder import DEMO_LOGINS, DEMO_PASSWORD

    items = [Item(G, "8.1.4.2 a)", "访问控制", "对登录的用户分配账户和权限", OK,
                  [f"角色 {len(Role.choices)} 种，数据范围表 zhifa/common/scope.py RULES（{len(scope.RULES)} 类操作）",
                   "测试 tests/common/test_scoped_models.py（范围内 200、范围外 404）"])]
    supers = _count(lambda: _users().filter(is_superuser=True, is_active=True).count())
    demo_names = [u for u, _r, _w in DEMO_LOGINS]
    demo_left = []
    for user in _users().filter(username__in=demo_names, is_active=True) if supers is not None else []:
        if user.check_password(DEMO_PASSWORD):
            demo_left.append(user.username)
    ok_b = supers == 0 and not demo_left
    items.append(Item(G, "8.1.4.2 b)", "访问控制", "重命名或删除默认账户，修改默认账户的默认口令",
                      OK if ok_b else FAIL,
                      [f"启用的超级管理员账号：{'未知' if supers is None else supers} 个（生产环境不得登录，zhifa check 报 zhifa.E161）",
                       f"仍使用演示口令的演示账号：{'、'.join(demo_left) or '无'}",
                       "初始账号由 zhifa create-admins 生成随机口令，首次登录须修改"]))
    idle_days = 90
    cutoff = timezone.now() - dt.timedelta(days=idle_days)
    stale = _count(lambda: _users().filter(is_active=True, last_login__lt=cutoff).count())
    items.append(Item(G, "8.1.4.2 c)", "访问控制", "及时删除或停用多余的、过期的账户，避免共享账户的存在",
                      OK if stale == 0 else PARTIAL,
                      [f"{idle_days} 天以上未登录的启用账号：{'未知' if stale is None else stale} 个（系统管理 → 用户 停用）",
                       "每个账号归属一个执法主体、一个角色；API 令牌按人签发（accounts.ApiToken）"]))
    counts = {r: _count(lambda r=r: _users().filter(role=r, is_active=True, is_superuser=False).count())
              for r in (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)}

    class _Probe:  # a system administrator, as the scope layer sees one
        is_authenticated = is_active = True
        is_superuser = False
        role = Role.ADMIN
        entity_id = unit_id = None

    separated = scope.rule_for(ChangeLog, _Probe(), "view") is None and scope.rule_for(ChangeLog, _Probe(), "audit") is None
    three = all(counts.values()) and supers == 0
    items.append(Item(G, "8.1.4.2 d)", "访问控制", "授予管理用户所需的最小权限，实现管理用户的权限分离",
                      OK if three and separated else (PARTIAL if separated else FAIL),
                      [f"系统管理员 {counts[Role.ADMIN]} 个、安全管理员 {counts[Role.SECURITY_ADMIN]} 个、安全审计员 {counts[Role.AUDIT_ADMIN]} 个；超级管理员 {supers} 个",
                       f"系统管理员读取审计日志：{'拒绝' if separated else '允许'}（范围层 audit_log 规则）",
                       "测试 tests/accounts/test_separation.py（角色 × 页面/接口 表）"]))
    items.append(Item(G, "8.1.4.2 e)", "访问控制", "由授权主体配置访问控制策略，访问控制策略规定主体对客体的访问规则", OK,
                      ["访问规则为代码中的一张表（scope.RULES 与各模型 scope_rules），角色由系统管理员分配，三员账号仅由 zhifa create-admins 创建"]))
    items.append(Item(G, "8.1.4.2 f)", "访问控制", "访问控制的粒度应达到主体为用户级或进程级，客体为文件、数据库表级", OK,
                      ["主体为用户（角色+所属主体/机构），客体为数据库行（Model.objects.restrict(user, action)）"]))
    items.append(Item(G, "8.1.4.2 g)", "访问控制", "对重要主体和客体设置安全标记，并控制主体对有安全标记信息资源的访问", FAIL,
                      ["未实现安全标记（强制访问控制）；以执法主体/区划的数据范围隔离代替"],
                      "如测评要求安全标记，需另行建设"))
    return items


def management_center() -> list[Item]:
    counts = {r: _count(lambda r=r: _users().filter(role=r, is_active=True, is_superuser=False).count())
              for r in (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)}
    text = {Role.ADMIN: ("8.1.5.1", "系统管理", "对系统管理员进行身份鉴别，只允许其通过特定的命令或操作界面进行系统管理操作，并对这些操作进行审计",
                         "系统管理（/admin/，按角色授权）；操作写入变更记录和防篡改日志；不能查看审计日志"),
            Role.AUDIT_ADMIN: ("8.1.5.2", "审计管理", "对审计管理员进行身份鉴别，只允许其通过特定的命令或操作界面进行安全审计操作，并对这些操作进行审计",
                               "审计日志页面 /audit/（筛选、分页、导出；导出本身记入日志 audit.export）"),
            Role.SECURITY_ADMIN: ("8.1.5.3", "安全管理", "对安全管理员进行身份鉴别，只允许其通过特定的命令或操作界面进行安全管理操作，并对这些操作进行审计",
                                  "锁定解除、API 令牌撤销、动态口令重置（/admin/ 安全类、/account/tokens/?all=1）；操作记入 auth.* 日志")}
    out = []
    for role, (clause, area, req, how) in text.items():
        n = counts[role]
        out.append(Item(G, clause, f"安全管理中心·{area}", req, OK if n else FAIL,
                        [f"{Role(role).label}账号 {'未知' if n is None else n} 个（zhifa create-admins）", how,
                         "须双因素认证（accounts.policy.SECOND_FACTOR_ROLES）"]))
    return out


# ---- 8.1.4.3 安全审计 ------------------------------------------------------------------------------
def audit() -> list[Item]:
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    from zhifa.common.retention import MINIMUM_DAYS, retention_days
    from zhifa.ledger import appendonly
    from zhifa.ledger.models import LedgerEntry

    hooked = user_logged_in.has_listeners() and user_login_failed.has_listeners()
    logins = _count(lambda: LedgerEntry.objects.filter(event_type__startswith="auth.").count())
    items = [Item(G, "8.1.4.3 a)", "安全审计", "启用安全审计功能，审计覆盖到每个用户，对重要的用户行为和重要安全事件进行审计",
                  OK if hooked and settings.LOGGING["loggers"].get("zhifa.access") else PARTIAL,
                  [f"登录审计（成功、失败、锁定、退出、超时）接入：{'是' if hooked else '否'}；已记录 auth.* 条目 {logins} 条",
                   "每个写操作：变更记录（前后值）+ 防篡改日志；证据调阅：调阅记录",
                   f"访问日志 ZHIFA_ACCESS_LOG：{'开启' if settings.LOGGING['loggers'].get('zhifa.access', {}).get('level') == 'INFO' else '关闭'}"])]
    items.append(Item(G, "8.1.4.3 b)", "安全审计", "审计记录应包括事件的日期和时间、用户、事件类型、事件是否成功及其他与审计相关的信息", OK,
                      ["日志条目：时间、操作人、事件类型（auth.login / auth.login_failed …）、对象、来源地址",
                       "测试 tests/accounts/test_audit.py"]))
    days = retention_days()
    try:
        oldest = LedgerEntry.objects.order_by("seq").values_list("created_at", flat=True).first()
        protected = appendonly.triggers_present(LedgerEntry._meta.db_table)
    except DatabaseError:
        oldest, protected = None, False
    on_line = (timezone.now() - oldest).days if oldest else 0
    good = [days >= MINIMUM_DAYS, protected]
    items.append(Item(G, "8.1.4.3 c)", "安全审计", "对审计记录进行保护，定期备份，避免受到未预期的删除、修改或覆盖等",
                      OK if all(good) else (PARTIAL if any(good) else FAIL),
                      [f"在线保存期限 ZHIFA_AUDIT_RETENTION_DAYS={days} 天（不得少于 {MINIMUM_DAYS} 天，少于即拒绝启动）",
                       f"最早的日志条目已在线 {on_line} 天；删除未满期限的审计记录一律拒绝（zhifa/common/retention.py）",
                       f"防篡改日志只追加（数据库触发器）：{'已安装' if protected else '未安装'}；默克尔树 + Ed25519 签名树头，zhifa verify 核验",
                       "备份：zhifa backup（deploy/systemd/zhifa-backup.timer）"],
                      "备份介质的异地保存由部署方负责"))
    items.append(Item(G, "8.1.4.3 d)", "安全审计", "对审计进程进行保护，防止未经授权的中断", PARTIAL,
                      ["审计写入与业务操作在同一事务中：审计写不进去，操作即失败（不能只关审计）",
                       "系统管理员、安全管理员无权读取或删除审计日志（三员分立）"],
                      "日志外送（journald → 日志审计系统）由部署方配置"))
    return items


# ---- 8.1.4.4–6 入侵防范、恶意代码、可信验证 ---------------------------------------------------------
def intrusion() -> list[Item]:
    return [
        Item(G, "8.1.4.4 e)", "入侵防范", "提供数据有效性检验功能，保证通过人机接口输入或通过通信接口输入的内容符合系统设定要求",
             OK if settings.ZHIFA_IMPORT_MAX_CELL_CHARS <= 10000 and settings.ZHIFA_IMPORT_MAX_BYTES <= 100 << 20 else PARTIAL,
             [f"导入上限：文件 {settings.ZHIFA_IMPORT_MAX_BYTES} 字节、{settings.ZHIFA_IMPORT_MAX_ROWS} 行、单元格 {settings.ZHIFA_IMPORT_MAX_CELL_CHARS} 字符",
              "接口参数按 OpenAPI 约束校验（422），导出单元格防公式注入；CI 中有界 schemathesis 模糊测试（.ci/run）",
              f"内容安全策略（CSP）：script-src {' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])}"]),
        Item(G, "8.1.4.4 a)–d) f)", "入侵防范", "最小安装、关闭不需要的服务和端口、限制管理终端、发现漏洞并修补、入侵检测",
             DEPLOY, ["应用只监听 gunicorn 端口（deploy/gunicorn.conf.py），/metrics 限定地址或令牌"],
             "主机加固、端口与管理终端限制、漏洞扫描与补丁、入侵检测由部署方负责"),
        Item(G, "8.1.4.5", "恶意代码防范", "采用免受恶意代码攻击的技术措施或主动免疫可信验证机制", DEPLOY,
             ["证据文件按内容类型识别（zhifa/blobs/detect.py），不执行上传内容"], "主机防恶意代码软件由部署方负责"),
        Item(G, "8.1.4.6", "可信验证", "基于可信根对计算设备的系统引导程序、系统程序、重要配置参数和应用程序等进行可信验证", DEPLOY,
             [], "可信计算环境由部署方负责"),
    ]


# ---- 8.1.4.7–11 数据 ----------------------------------------------------------------------------
def _encrypted_fields() -> list[str]:
    """Model fields stored encrypted (SM4, issue 16 item 5), found by their field class."""
    from django.apps import apps

    out = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if "encrypt" in type(f).__name__.lower() or getattr(f, "sm4", False):
                out.append(f"{model._meta.label}.{f.name}")
    return out


def data() -> list[Item]:
    from django.contrib.auth.hashers import get_hasher

    hasher = get_hasher().algorithm
    enc = _encrypted_fields()
    https = bool(settings.SESSION_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS > 0)
    return [
        Item(G, "8.1.4.7 a)", "数据完整性", "采用校验技术或密码技术保证重要数据在传输过程中的完整性", OK if https else FAIL,
             [f"全站 HTTPS（ZHIFA_HTTPS={'1' if settings.HTTPS else '0'}，HSTS {settings.SECURE_HSTS_SECONDS} 秒）"], "TLS 由部署方配置"),
        Item(G, "8.1.4.7 b)", "数据完整性", "采用校验技术或密码技术保证重要数据在存储过程中的完整性", OK,
             ["案件流转、证据版本、公示、账号事件写入防篡改日志（SHA-256 默克尔树，Ed25519 签名树头，见证方共同签名）",
              "证据文件按 SHA-256 内容寻址；zhifa verify 核验（tests/ledger/test_verify.py）"]),
        Item(G, "8.1.4.8 a)", "数据保密性", "采用密码技术保证重要数据在传输过程中的保密性", OK if https else FAIL,
             [f"Cookie Secure={settings.SESSION_COOKIE_SECURE}"], "TLS 证书与密码套件由部署方配置"),
        Item(G, "8.1.4.8 b)", "数据保密性", "采用密码技术保证重要数据在存储过程中的保密性（鉴别数据、重要业务数据、重要个人信息）",
             OK if enc and hasher != "md5" else (PARTIAL if hasher != "md5" else FAIL),
             [f"口令以 {hasher} 加盐散列保存；API 令牌只存 SHA-256 摘要",
              f"加密保存的字段：{'、'.join(enc) if enc else '无（身份证号、电话等个人信息未加密保存）'}"],
             "数据库与备份介质的磁盘加密由部署方负责"),
        Item(G, "8.1.4.9", "数据备份恢复", "提供重要数据的本地数据备份与恢复功能；异地实时备份", PARTIAL,
             ["zhifa backup / zhifa restore（数据库、证据、文书、日志密钥），每日定时器"], "异地备份与热冗余由部署方负责"),
        Item(G, "8.1.4.10 a)", "剩余信息保护", "保证鉴别信息所在的存储空间被释放或重新分配前得到完全清除", OK,
             ["退出、超时时服务器端会话整体删除（Django session flush）；口令不以明文落盘；一次性恢复码用后删除",
              f"会话最长 {settings.ZHIFA_SESSION_MAX_HOURS} 小时"]),
        Item(G, "8.1.4.10 b)", "剩余信息保护", "保证存有敏感数据的存储空间被释放或重新分配前得到完全清除", PARTIAL,
             [f"上传分块在 {settings.FILE_UPLOAD_MAX_MEMORY_SIZE} 字节以下留在内存；孤立证据文件 {settings.ZHIFA_ORPHAN_BLOB_GRACE_HOURS} 小时后回收"],
             "存储介质报废前的清除由部署方负责"),
        Item(G, "8.1.4.11 a)", "个人信息保护", "应仅采集和保存业务必需的用户个人信息", OK,
             ["当事人、执法人员字段按执法文书所需设置；公示时屏蔽身份证号、电话、住址、银行账号（disclosure/redact.py）",
              "测试 tests/disclosure/test_leak_scan.py（公开页面不含身份证号、手机号、自然人姓名）"]),
        Item(G, "8.1.4.11 b)", "个人信息保护", "应禁止未授权访问和非法使用用户个人信息", OK if enc else PARTIAL,
             ["按执法主体/区划的数据范围访问（范围外 404）；证据调阅留痕",
              f"个人信息加密保存：{'是（' + '、'.join(enc) + '）' if enc else '否'}"]),
    ]


# ---- GB/T 39786-2021 应用和数据安全（第三级） ----------------------------------------------------------
def crypto() -> list[Item]:
    from django.contrib.auth.hashers import get_hasher

    sm4 = _encrypted_fields()
    return [
        Item(M, "8.4 a)", "身份鉴别", "采用密码技术对登录用户进行身份鉴别，保证应用系统用户身份的真实性", PARTIAL,
             [f"口令散列 {get_hasher().algorithm}，动态口令 HMAC-SHA1（非 SM3）",
              f"双因素：ZHIFA_REQUIRE_2FA={'1' if settings.ZHIFA_REQUIRE_2FA else '0'}"],
             "基于 SM2 数字证书或经检测认证的国密动态令牌由部署方接入"),
        Item(M, "8.4 b) c)", "访问控制信息与安全标记完整性", "采用密码技术保证访问控制信息、重要信息资源安全标记的完整性", PARTIAL,
             ["账号与角色的每次变更写入防篡改日志（SHA-256 默克尔树、Ed25519 签名），非 SM3/SM2"]),
        Item(M, "8.4 d) f)", "传输机密性与完整性", "采用密码技术保证重要数据在传输过程中的机密性和完整性", DEPLOY,
             [f"应用侧强制 HTTPS：{'是' if settings.HTTPS else '否'}"], "国密 TLS（TLCP，SM2/SM3/SM4 套件）与经认证的密码设备由部署方配置"),
        Item(M, "8.4 e)", "存储机密性", "采用密码技术保证重要数据在存储过程中的机密性（SM4）", OK if sm4 else FAIL,
             [f"SM4 加密字段：{'、'.join(sm4) if sm4 else '无'}"], "密钥管理（文件/KMS、经认证的密码模块）由部署方负责"),
        Item(M, "8.4 g)", "存储完整性", "采用密码技术保证重要数据在存储过程中的完整性（SM3/HMAC-SM3）", PARTIAL,
             ["防篡改日志与证据文件用 SHA-256；未采用 SM3"]),
        Item(M, "8.4 h)", "不可否认性", "采用密码技术实现数据原发行为和接收行为的不可否认性（SM2 签名）", PARTIAL,
             ["签名树头用 Ed25519，见证方共同签名；未采用 SM2"]),
        Item(M, "8.1–8.3", "物理、网络和通信、设备和计算安全", "物理环境、网络通信和设备层面的密码应用", DEPLOY, [],
             "机房门禁、网络边界（IPSec/SSL VPN）、服务器密码机、设备身份鉴别由部署方负责"),
    ]


def deployment() -> list[Item]:
    return [Item(G, "8.1.1–8.1.3", "物理、通信网络、区域边界", "机房、网络架构、边界防护、入侵防范（网络）", DEPLOY, [],
                 "机房与网络分区、防火墙/WAF、网络入侵检测、TLS 终止（nginx）、主机加固、时钟同步（NTP）")]


def report() -> list[Item]:
    return [*identification(), *access_control(), *audit(), *intrusion(), *data(), *management_center(),
            *crypto(), *deployment()]


def summary(items: list[Item]) -> dict[str, int]:
    return {s: sum(1 for i in items if i.status == s) for s in STATUSES}


def may_see(user) -> bool:
    return is_security_admin(user) or is_audit_admin(user)


@login_required
def selfcheck_page(request) -> HttpResponse:
    if not may_see(request.user):
        raise PermissionDenied("等保自查仅供安全管理员和安全审计员查看")
    items = report()
    return render(request, "security_selfcheck.html", {
        "items": items, "summary": summary(items), "made_at": timezone.localtime()})

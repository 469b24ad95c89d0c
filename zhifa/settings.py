"""Settings, all overridable from the environment.

ZHIFA_DATA_DIR holds every local file (SQLite database, evidence, generated documents);
DATABASE_URL overrides the database (default: SQLite inside the data dir).
"""
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZHIFA_DATA_DIR", BASE_DIR / "var")).resolve()
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test processes (pytest -n) each get their own files: their databases number rows alike.
    DATA_DIR = DATA_DIR / "xdist" / os.environ["PYTEST_XDIST_WORKER"]
DATA_DIR.mkdir(parents=True, exist_ok=True)

# ---- Production unless told otherwise (issue 15) ----------------------------------------------
# ZHIFA_DEMO=1 (set by `make demo`, the test suite through zhifa/settings_test.py and .ci/run): the
# development secret key is accepted, debug is on by default and cookies are not limited to HTTPS.
# Without it the platform refuses to start until ZHIFA_SECRET_KEY is set (docs/deploy.md).
DEMO = os.environ.get("ZHIFA_DEMO", "0") == "1"
DEV_SECRET_KEY = "dev-insecure-change-me"
SECRET_KEY = os.environ.get("ZHIFA_SECRET_KEY", "")
if not DEMO and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY):
    sys.stderr.write(
        "zhifa 拒绝启动：未设置 ZHIFA_SECRET_KEY。生产环境须设置一个随机密钥（例如 "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 的输出，见 docs/deploy.md）；"
        "演示或开发环境请设置 ZHIFA_DEMO=1。\n")
    raise SystemExit(3)  # gunicorn: "worker failed to boot" stops the server instead of respawning
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
# Signed public links (social supervisors' personal links, the parties' 查询码) use their own keys,
# not SECRET_KEY: current first, older ones still accepted until removed (rotation: docs/deploy.md).
DEV_LINK_KEY = "dev-insecure-link-key"
ZHIFA_LINK_KEYS = [k.strip() for k in os.environ.get("ZHIFA_LINK_KEYS", "").split(",") if k.strip()]
# The ledger's signing key: a production installation names its file (docs/deploy.md "The ledger
# key"); only demo mode generates one silently under the data dir.
ZHIFA_LEDGER_KEY_FILE = os.environ.get("ZHIFA_LEDGER_KEY_FILE", "")
# Personal data at rest (ID numbers, phone numbers, addresses …: zhifa/common/datakeys.py): SM4 keys
# from a file (one `<id> <64 hex>` a line, current first) or a KMS hook (the dotted path of a callable
# returning [(id, bytes), …]); only demo mode generates one under the data dir (docs/deploy.md).
ZHIFA_DATA_KEY_FILE = os.environ.get("ZHIFA_DATA_KEY_FILE", "")
ZHIFA_DATA_KEY_PROVIDER = os.environ.get("ZHIFA_DATA_KEY_PROVIDER", "")
_missing = [name for name, bad in (
    ("ZHIFA_LINK_KEYS", not ZHIFA_LINK_KEYS or DEV_LINK_KEY in ZHIFA_LINK_KEYS
     or SECRET_KEY in ZHIFA_LINK_KEYS or any(len(k) < 32 for k in ZHIFA_LINK_KEYS)),
    ("ZHIFA_LEDGER_KEY_FILE", not ZHIFA_LEDGER_KEY_FILE),
    ("ZHIFA_DATA_KEY_FILE", not ZHIFA_DATA_KEY_FILE and not ZHIFA_DATA_KEY_PROVIDER)) if bad]
if not DEMO and _missing:
    sys.stderr.write(
        f"zhifa 拒绝启动：未设置（或设置不当）{'、'.join(_missing)}。ZHIFA_LINK_KEYS 为公开链接签名密钥"
        "（至少32个字符、与 ZHIFA_SECRET_KEY 不同，轮换时新密钥在前、逗号分隔）；ZHIFA_LEDGER_KEY_FILE "
        "为日志签名密钥文件（Ed25519 PEM）；ZHIFA_DATA_KEY_FILE 为个人信息加密密钥文件（SM4，"
        "或以 ZHIFA_DATA_KEY_PROVIDER 接入密钥管理服务）。见 docs/deploy.md；演示或开发环境请设置 ZHIFA_DEMO=1。\n")
    raise SystemExit(3)
ZHIFA_LINK_KEYS = ZHIFA_LINK_KEYS or [DEV_LINK_KEY]
# Audit records (ledger, change log, access log, login audit) stay online at least this many days
# (等保 三级 / 网络安全法 Art. 21: six months); fewer is refused, in demo mode too (zhifa/common/retention.py).
_retention = os.environ.get("ZHIFA_AUDIT_RETENTION_DAYS", "180").strip()
ZHIFA_AUDIT_RETENTION_DAYS = int(_retention) if _retention.isdigit() else 0
if ZHIFA_AUDIT_RETENTION_DAYS < 180:
    sys.stderr.write("zhifa 拒绝启动：ZHIFA_AUDIT_RETENTION_DAYS 应为不少于180的整数（审计记录在线保存至少180天，"
                     "见 docs/deploy.md）。\n")
    raise SystemExit(3)
DEBUG = os.environ.get("ZHIFA_DEBUG", "1" if DEMO else "0") == "1"
ALLOWED_HOSTS = os.environ.get("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0") == "1"


# HTTPS (TLS at nginx or another proxy): cookies only over HTTPS, HSTS, http → https. ZHIFA_HTTPS=0
# only on a closed network without TLS (and never with real data).
HTTPS = _flag("ZHIFA_HTTPS", not DEMO)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
# Lax: sent on top-level links into the platform, never on cross-site POSTs or embedded requests.
# The CSRF cookie stays readable by the page's scripts (the chunked uploader sends it as a header).
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = _flag("ZHIFA_SSL_REDIRECT", HTTPS)
# Probes and the metrics scraper talk plain HTTP to the app server on the machine itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", str(365 * 86400) if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("ZHIFA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("ZHIFA_HSTS_PRELOAD", True)
# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks, comma
# separated, e.g. "127.0.0.1,10.0.0.0/8"). From any other peer those headers are dropped
# (zhifa.common.proxy.TrustedProxyMiddleware), so X-Forwarded-Proto can mark a request as HTTPS.
ZHIFA_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("ZHIFA_TRUSTED_PROXIES", "").split(",") if p.strip()]
if ZHIFA_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZHIFA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its Swagger UI from our static files (without the app, /api/docs loads it from a CDN)
    "django_tasks",
    "django_tasks_db",
    "axes",  # login lockout (issue 16)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "zhifa.common",
    "zhifa.orgs",
    "zhifa.accounts",  # authentication: passwords, second factor, sessions, API tokens (issue 16)
    "zhifa.powers",
    "zhifa.legalcal",
    "zhifa.cases",
    "zhifa.documents",
    "zhifa.ledger",
    "zhifa.witness",  # outside parties co-signing the ledger's tree heads (issue 17)
    "zhifa.blobs",
    "zhifa.records",
    "zhifa.review",
    "zhifa.disclosure",
    "zhifa.supervision",
    "zhifa.transfers",
    "zhifa.guidance",
    "zhifa.discretion",
    "zhifa.inspections",  # 双随机、一公开 (issue 19)
    "zhifa.notify",  # notifications (one outbox: in-app, e-mail, SMS) and 电子送达 (issue 21)
    "zhifa.permits",  # 行政许可 and 审批–监管–处罚衔接 (issue 24)
    "zhifa.dispatch",  # 执法指挥: tasks dispatched to officers, escalation, the map layer (issue 24)
    "zhifa.exchange",  # 互联网+监管 / 双公示 exchange batches, credit feed, 非税收入 payment notices (issue 21)
    "zhifa.site",  # the top floor: home, demo seed, benchmarks
    "zhifa.portal",  # the top floor of the public site /gs/
    "zhifa.ops",  # top floor too: logging context, metrics, heartbeat, backup and restore (issue 15)
]

MIDDLEWARE = [
    "zhifa.common.proxy.TrustedProxyMiddleware",  # first: the client's address and scheme behind nginx
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "zhifa.accounts.middleware.SecurityHeadersMiddleware",  # Permissions-Policy and kin
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under gunicorn, debug off (issue 15)
    "zhifa.ops.middleware.RequestContextMiddleware",  # request id and user on every log line, latency
    "zhifa.common.dbrouter.ReplicaMiddleware",  # reads on the replica or the primary (before sessions)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    # timeouts, forced password change, second factor: before any view sees the user
    "zhifa.accounts.middleware.AccountGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into the Chinese lockout answer
]

ROOT_URLCONF = "zhifa.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhifa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.common.context.nav",
                "zhifa.site.nav.header",
                "zhifa.legalcal.context.calendar_warning",
            ],
        },
    },
]
WSGI_APPLICATION = "zhifa.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhifa.sqlite3'}",
        conn_max_age=int(os.environ.get("ZHIFA_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the demo server read while a seed or import writes. Transactions BEGIN IMMEDIATE: a
    # deferred one that read first and then writes cannot wait for another writer (SQLite answers
    # "database is locked" at once, whatever the timeout); an immediate one waits up to `timeout`
    # seconds (the busy timeout) for the write lock. Two gunicorn workers lost 7 of 8 record writes
    # without it (tests/ops/test_sqlite_writers.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": int(os.environ.get("ZHIFA_SQLITE_BUSY_TIMEOUT", "20")),
        "transaction_mode": os.environ.get("ZHIFA_SQLITE_TRANSACTION_MODE", "IMMEDIATE"),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# ---- More than one database server (issue 23, item 4; docs/deploy.md) --------------------------
# PgBouncer in transaction mode in front of PostgreSQL: ZHIFA_PGBOUNCER=1, or a DATABASE_URL on
# PgBouncer's usual port 6432. Consecutive transactions of one Django connection may land on different
# server connections, so no server-side cursors (iterator() would lose its named cursor between
# transactions); Django's psycopg binds parameters on the client (no prepared statements). A persistent
# connection to PgBouncer is cheap and kept (ZHIFA_CONN_MAX_AGE); the server connections are PgBouncer's.
def _pgbouncer(db: Mapping[str, object]) -> bool:
    flag = os.environ.get("ZHIFA_PGBOUNCER", "")
    if flag in ("0", "1"):
        return flag == "1"
    return "postgresql" in str(db.get("ENGINE", "")) and str(db.get("PORT") or "") == "6432"


ZHIFA_PGBOUNCER = _pgbouncer(DATABASES["default"])
if ZHIFA_PGBOUNCER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # PgBouncer restarted: reconnect, don't fail a request

# A PostgreSQL streaming replica (pg_basebackup -R): the portal, open data and reports read from it
# (zhifa/common/dbrouter.py); writes, staff pages and read-your-writes use the primary. Past the lag
# limit, or when the replica does not answer, reads fall back to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("ZHIFA_CONN_MAX_AGE", "60")))
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("ZHIFA_REPLICA_CONNECT_TIMEOUT", "2"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the test suite's replica is its primary
    if _pgbouncer(DATABASES["replica"]):
        DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASE_ROUTERS = ["zhifa.common.dbrouter.ReplicaRouter"]
ZHIFA_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("ZHIFA_REPLICA_MAX_LAG_SECONDS", "10"))
ZHIFA_REPLICA_CHECK_SECONDS = float(os.environ.get("ZHIFA_REPLICA_CHECK_SECONDS", "2"))
ZHIFA_REPLICA_PIN_SECONDS = float(os.environ.get("ZHIFA_REPLICA_PIN_SECONDS", "30"))
ZHIFA_REPLICA_PATHS = [p for p in os.environ.get(
    "ZHIFA_REPLICA_PATHS", "/gs/,/disclosure/reports/,/supervision/stats/").split(",") if p]

# Cache: per process by default (one machine, `make demo`). Several app servers or gunicorn workers
# must share it, or each counts the portal's rate limits (complaints, credit repair) on its own:
# ZHIFA_CACHE_URL=redis://127.0.0.1:6379/1 uses Redis through Django's own backend.
if os.environ.get("ZHIFA_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["ZHIFA_CACHE_URL"],
                          # Installations (and test runs) sharing one Redis keep apart by prefix.
                          "KEY_PREFIX": os.environ.get("ZHIFA_CACHE_PREFIX", "zhifa")}}

AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# ---- Authentication (issue 16; docs/deploy.md "Accounts and sign-in") ---------------------------
# RoleBackend: Django's ModelBackend with the admin's permissions by role (三员分立) and no superuser
# outside demo mode (zhifa/accounts/backends.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "zhifa.accounts.backends.RoleBackend"]
# Password policy: 10 characters, 3 of 4 classes, not a common password, none of the last 5.
_PV = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _PV + "MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "zhifa.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": _PV + "CommonPasswordValidator"},
    {"NAME": _PV + "UserAttributeSimilarityValidator"},
    {"NAME": "zhifa.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
# Days a password stays valid before it must be changed (0: never).
ZHIFA_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ZHIFA_PASSWORD_MAX_AGE_DAYS", "0" if DEMO else "90"))
# TOTP second factor for heads, legal reviewers, supervisors and administrators (optional for officers).
ZHIFA_REQUIRE_2FA = _flag("ZHIFA_REQUIRE_2FA", not DEMO)
OTP_TOTP_ISSUER = os.environ.get("ZHIFA_OTP_ISSUER", "行政执法监督平台")
# A session ends after this many idle minutes, and in any case this many hours after login (0: off).
ZHIFA_SESSION_IDLE_MINUTES = int(os.environ.get("ZHIFA_SESSION_IDLE_MINUTES", "15"))
ZHIFA_SESSION_MAX_HOURS = int(os.environ.get("ZHIFA_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = ZHIFA_SESSION_MAX_HOURS * 3600 or 14 * 86400
# API tokens: longest and default lifetime in days.
ZHIFA_TOKEN_MAX_DAYS = int(os.environ.get("ZHIFA_TOKEN_MAX_DAYS", "90"))
ZHIFA_TOKEN_DEFAULT_DAYS = int(os.environ.get("ZHIFA_TOKEN_DEFAULT_DAYS", "30"))
# Lockout (django-axes): 5 failures lock the account and, separately, the client address for 30
# minutes, on the login form, the admin and the token endpoint. The address is the one
# zhifa.common.proxy resolved (trusted proxies only). Unlock: `zhifa axes_reset_username NAME`.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = __import__("datetime").timedelta(minutes=int(os.environ.get("ZHIFA_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "zhifa.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "zhifa.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# 30 minutes from the locking failure: attempts while locked neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False  # our own audit lines (zhifa.accounts.audit) say it in one place

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "zhifa" / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "zhifa" / "static"]  # zhifa.css, vendor/htmx.min.js (not in an app)
# `zhifa collectstatic` fills it; whitenoise serves it. The container image keeps it in the image
# (ZHIFA_STATIC_ROOT=/opt/zhifa/static), not in the data volume.
STATIC_ROOT = Path(os.environ.get("ZHIFA_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
# "documents": document templates and generated case documents (a FileSystemStorage under the
# data dir; point BACKEND/OPTIONS at an S3 storage to move them).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed names (cached for ever by browsers) and gzip/brotli copies made by
    # `zhifa collectstatic`, served by whitenoise; demo and tests: the files as they are.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if _flag("ZHIFA_STATIC_MANIFEST", not DEMO)
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                  "OPTIONS": {"location": DATA_DIR / "documents", "base_url": None}},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Spreadsheet imports (zhifa/common/xlsx.py): file size, its unpacked size (an .xlsx is a zip), data
# rows and characters per cell; a bad value is quoted in an error by its first 30 characters only.
ZHIFA_IMPORT_MAX_BYTES = int(os.environ.get("ZHIFA_IMPORT_MAX_BYTES", 10 * 1024 * 1024))
ZHIFA_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("ZHIFA_IMPORT_MAX_UNPACKED_BYTES", 64 * 1024 * 1024))
ZHIFA_IMPORT_MAX_ROWS = int(os.environ.get("ZHIFA_IMPORT_MAX_ROWS", 20_000))
ZHIFA_IMPORT_MAX_CELL_CHARS = int(os.environ.get("ZHIFA_IMPORT_MAX_CELL_CHARS", 2000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Domain configuration (national defaults; provinces differ).
ZHIFA_TRAINING_MIN_HOURS = int(os.environ.get("ZHIFA_TRAINING_MIN_HOURS", "40"))
# 保管期限 recorded when a case is archived, per case kind (zhifa.cases.rules_procedure.RETENTION_DEFAULTS):
# e.g. {"penalty_general": "永久"}; values 永久 / 30年 / 10年.
ZHIFA_ARCHIVE_RETENTION: dict[str, str] = {}
ZHIFA_REVIEWER_MIN_RATIO = float(os.environ.get("ZHIFA_REVIEWER_MIN_RATIO", "0.05"))

if os.environ.get("ZHIFA_FAST_PASSWORDS") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# 较大数额 (行政处罚法 Art. 63) when an entity has set none; provinces differ.
ZHIFA_HEARING_THRESHOLD_CITIZEN = os.environ.get("ZHIFA_HEARING_THRESHOLD_CITIZEN", "10000")
ZHIFA_HEARING_THRESHOLD_ORG = os.environ.get("ZHIFA_HEARING_THRESHOLD_ORG", "100000")
# How long a server process trusts its cached legal calendar before re-reading it.
ZHIFA_CALENDAR_CACHE_SECONDS = int(os.environ.get("ZHIFA_CALENDAR_CACHE_SECONDS", "300"))

# ---- The public site's footer (政府网站 标识: 主办/承办单位, 网站标识码, ICP/公安备案, 监督电话) ----------
# Empty outside demo mode until set; the footer leaves out what is empty. Demo values are marked 演示.
_SITE_DEMO = {"SPONSOR": "毕节市司法局（演示）", "ORGANIZER": "毕节市行政执法监督局（演示）",
              "ID": "5205000000", "ICP": "黔ICP备00000000号-1（演示）", "PSB": "黔公网安备52050202000000号（演示）",
              "PHONE": "0857-12345（演示）"}
ZHIFA_SITE_SPONSOR = os.environ.get("ZHIFA_SITE_SPONSOR", _SITE_DEMO["SPONSOR"] if DEMO else "")
ZHIFA_SITE_ORGANIZER = os.environ.get("ZHIFA_SITE_ORGANIZER", _SITE_DEMO["ORGANIZER"] if DEMO else "")
ZHIFA_SITE_ID = os.environ.get("ZHIFA_SITE_ID", _SITE_DEMO["ID"] if DEMO else "")
ZHIFA_SITE_ICP = os.environ.get("ZHIFA_SITE_ICP", _SITE_DEMO["ICP"] if DEMO else "")
ZHIFA_SITE_PSB = os.environ.get("ZHIFA_SITE_PSB", _SITE_DEMO["PSB"] if DEMO else "")
ZHIFA_SUPERVISION_PHONE = os.environ.get("ZHIFA_SUPERVISION_PHONE", _SITE_DEMO["PHONE"] if DEMO else "")

# ---- Content Security Policy and the other headers on every page (issue 16) ---------------------
# Geolocation: the records panel stamps evidence with the position. Scripts only from our own files (no inline script, no eval); styles may be inline (style
# attributes, ECharts); nothing may frame a page. django-csp 4.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF], "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:"], "font-src": [SELF], "connect-src": [SELF], "object-src": [NONE],
    "base-uri": [SELF], "form-action": [SELF], "frame-ancestors": [NONE], "frame-src": [SELF],
    "worker-src": [SELF],
}}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
ZHIFA_PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(self), payment=(), usb=(), "
                            "fullscreen=(self)")

# ---- Full-process record (issue 4) -----------------------------------------------------------
# Evidence blobs: "local" (files under $ZHIFA_DATA_DIR/blobs) or "s3" (any S3-compatible store,
# e.g. SeaweedFS `weed server -s3`).
ZHIFA_BLOB_BACKEND = os.environ.get("ZHIFA_BLOB_BACKEND", "local")
ZHIFA_S3_ENDPOINT_URL = os.environ.get("ZHIFA_S3_ENDPOINT_URL", "")
ZHIFA_S3_BUCKET = os.environ.get("ZHIFA_S3_BUCKET", "zhifa-evidence")
ZHIFA_S3_ACCESS_KEY = os.environ.get("ZHIFA_S3_ACCESS_KEY", "")
ZHIFA_S3_SECRET_KEY = os.environ.get("ZHIFA_S3_SECRET_KEY", "")
ZHIFA_S3_REGION = os.environ.get("ZHIFA_S3_REGION", "us-east-1")
# Largest evidence file accepted (bytes; default 8 GiB) and largest single upload chunk.
ZHIFA_BLOB_MAX_SIZE = int(os.environ.get("ZHIFA_BLOB_MAX_SIZE", str(8 << 30)))
# An evidence file no record references is collected this many hours after it was stored
# (zhifa/blobs/orphans.py; the scheduler's daily job); until then `zhifa verify` only notes it.
ZHIFA_ORPHAN_BLOB_GRACE_HOURS = float(os.environ.get("ZHIFA_ORPHAN_BLOB_GRACE_HOURS", "24"))
ZHIFA_UPLOAD_CHUNK_MAX = int(os.environ.get("ZHIFA_UPLOAD_CHUNK_MAX", str(32 << 20)))
# Ledger signing key (Ed25519, PKCS#8 PEM): ZHIFA_LEDGER_KEY_FILE, read at the top (required outside
# demo mode). Unset in demo mode: a key is generated once under $ZHIFA_DATA_DIR/keys/.
# Further public keys (hex, comma-separated) whose old tree heads `zhifa verify` still accepts.
ZHIFA_LEDGER_TRUSTED_KEYS = [k for k in os.environ.get("ZHIFA_LEDGER_TRUSTED_KEYS", "").split(",") if k]
# PostgreSQL roles (docs/deploy.md §3): the owner's `zhifa migrate` revokes UPDATE/DELETE/TRUNCATE on
# the log tables from this application role; `zhifa verify` reports a role that still has them
# (checked outside demo mode: the demo and the test suite run as the database superuser).
ZHIFA_DB_APP_ROLE = os.environ.get("ZHIFA_DB_APP_ROLE", "")
ZHIFA_CHECK_DB_PRIVILEGES = _flag("ZHIFA_CHECK_DB_PRIVILEGES", not DEMO)
# /readyz warns when the log has grown past the largest co-signed tree head for longer than this
# (registered witnesses only; 0 = never warn). A witness's timer should run well within it.
ZHIFA_WITNESS_MAX_AGE_HOURS = float(os.environ.get("ZHIFA_WITNESS_MAX_AGE_HOURS", "48"))

# ---- Background tasks (django-tasks; issue 7) ------------------------------------------------
# "database": tasks are rows run by `zhifa db_worker` (or `zhifa scheduler --worker`, which also
# enqueues the periodic ones); "immediate": run inline at enqueue (no worker needed).
ZHIFA_TASKS_BACKEND = os.environ.get("ZHIFA_TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
         if ZHIFA_TASKS_BACKEND == "immediate" else {"BACKEND": "django_tasks_db.DatabaseBackend",
                                                     "QUEUES": ["default"]}}
# The scheduler: daily jobs (publication expiry, alerts, annual reports in January) at this local
# time, and alerts again every N minutes (0: only daily and after case transitions).
ZHIFA_DAILY_AT = os.environ.get("ZHIFA_DAILY_AT", "02:00")
ZHIFA_ALERTS_EVERY_MINUTES = int(os.environ.get("ZHIFA_ALERTS_EVERY_MINUTES", "30"))
# The public tree-head endpoint signs a newer head at most this often (an anonymous poller must not
# make the platform write on every request); archives and `zhifa ledger sign` sign at once.
ZHIFA_TREE_HEAD_MIN_SECONDS = int(os.environ.get("ZHIFA_TREE_HEAD_MIN_SECONDS", "60"))

# ---- Notifications and 电子送达 (zhifa.notify, issue 21) ---------------------------------------------
# E-mail: SMTP (EMAIL_HOST/PORT/USER/PASSWORD, ZHIFA_EMAIL_TLS) in production; in demo mode, unless
# EMAIL_HOST is set, each mail is a file under $ZHIFA_DATA_DIR/mail/.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("ZHIFA_EMAIL_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("ZHIFA_FROM_EMAIL", "zhifa@localhost")
if DEMO and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = EMAIL_HOST or "localhost"
# SMS: a class with send(mobile, text) (zhifa/notify/providers.py); the demo writes a file under the
# data dir; production refuses every SMS until a gateway is configured.
ZHIFA_SMS_PROVIDER = os.environ.get("ZHIFA_SMS_PROVIDER", "zhifa.notify.providers.FileSmsProvider" if DEMO
                                    else "zhifa.notify.providers.NoSmsProvider")
ZHIFA_SMS_SIGNATURE = os.environ.get("ZHIFA_SMS_SIGNATURE", "行政执法")
# Links sent to parties (电子送达) start with this address (the public site's origin).
ZHIFA_PUBLIC_BASE_URL = os.environ.get("ZHIFA_PUBLIC_BASE_URL", "http://localhost:8000").rstrip("/")
# 电子送达 not arrived after this many days: marked for 邮寄送达 or 公告送达 (a 法定期限 of the case).
ZHIFA_ESERVICE_FALLBACK_DAYS = int(os.environ.get("ZHIFA_ESERVICE_FALLBACK_DAYS", "5"))

# Signed PDFs (zhifa/documents/seal.py): the seal provider (dotted path; "" = unsigned), the PAdES key
# and certificate (PEM) and the SM2 private key (hex). Demo mode generates them under the data dir.
ZHIFA_SEAL_PROVIDER = os.environ.get("ZHIFA_SEAL_PROVIDER", "zhifa.documents.seal.PadesSeal" if DEMO else "")
ZHIFA_SEAL_KEY_FILE = os.environ.get("ZHIFA_SEAL_KEY_FILE", "")
ZHIFA_SEAL_CERT_FILE = os.environ.get("ZHIFA_SEAL_CERT_FILE", "")
ZHIFA_SEAL_SM2_KEY_FILE = os.environ.get("ZHIFA_SEAL_SM2_KEY_FILE", "")

# ---- Data exchange and payments (zhifa.exchange, issue 21) ------------------------------------------
# cd_source of the exchange envelope: the 6-digit 行政区划代码 of the platform's region ("" = the top region).
ZHIFA_EXCHANGE_SOURCE = os.environ.get("ZHIFA_EXCHANGE_SOURCE", "")
# The bank's payment notices (非税收入 缴款通知) are signed with HMAC-SHA256 under this key; unset, every
# notice is refused. Demo mode has a fixed demo key.
ZHIFA_PAYMENT_HMAC_KEY = os.environ.get("ZHIFA_PAYMENT_HMAC_KEY", "zhifa-demo-bank-key" if DEMO else "")

# ---- Publication period (公示期限) and credit repair (信用修复), zhifa.disclosure.expiry ----------
# SAMR style (市场监督管理行政处罚信息公示规定 Arts. 13–14): warning/criticism-only penalties and fines
# below the 较低数额 threshold stay public `low_months`, everything else `months`, counted from the
# publication date. The province sets 较低数额; the defaults here are placeholders to configure.
ZHIFA_PUBLICATION_PERIOD = {
    "low_months": int(os.environ.get("ZHIFA_PUBLICATION_LOW_MONTHS", "3")),
    "months": int(os.environ.get("ZHIFA_PUBLICATION_MONTHS", "36")),
    "low_fine_citizen": os.environ.get("ZHIFA_PUBLICATION_LOW_FINE_CITIZEN", "1000"),
    "low_fine_org": os.environ.get("ZHIFA_PUBLICATION_LOW_FINE_ORG", "10000"),
    "repair_min_months": int(os.environ.get("ZHIFA_CREDIT_REPAIR_MIN_MONTHS", "3")),
}

# 投诉举报 handling (zhifa.disclosure.complaints): working days to answer on the legal calendar,
# portal submissions per address per hour; leads per social supervisor per day (zhifa.supervision.actions.social).
ZHIFA_COMPLAINT_DAYS = int(os.environ.get("ZHIFA_COMPLAINT_DAYS", "15"))
ZHIFA_CONSULT_DAYS = int(os.environ.get("ZHIFA_CONSULT_DAYS", "5"))
ZHIFA_COMPLAINT_RATE = int(os.environ.get("ZHIFA_COMPLAINT_RATE", "5"))
ZHIFA_SOCIAL_LEAD_RATE = int(os.environ.get("ZHIFA_SOCIAL_LEAD_RATE", "20"))

# 案卷评查: default grade thresholds of a new review round (percent of the rubric's total).
ZHIFA_CASEFILE_PASS = float(os.environ.get("ZHIFA_CASEFILE_PASS", "60"))
ZHIFA_CASEFILE_EXCELLENT = float(os.environ.get("ZHIFA_CASEFILE_EXCELLENT", "90"))

# ---- Running the platform (issue 15): logs, errors, metrics, readiness ---------------------------
# Logs go to stderr (journald, the container runtime): plain lines or JSON objects (ZHIFA_LOG_FORMAT),
# each with the request id and the acting user; every 500 with its traceback (logger django.request).
from zhifa.ops.logs import config as _log_config  # noqa: E402 - after the settings it reads

LOGGING = _log_config(os.environ.get("ZHIFA_LOG_FORMAT", "plain"), os.environ.get("ZHIFA_LOG_LEVEL", "INFO"),
                      access_log=_flag("ZHIFA_ACCESS_LOG", not DEMO))
# Error reports to Sentry (or a compatible server such as GlitchTip) when SENTRY_DSN is set.
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
                    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
                    send_default_pii=False)
# /metrics (Prometheus): a bearer token, or direct requests from these addresses (not via the proxy).
ZHIFA_METRICS_TOKEN = os.environ.get("ZHIFA_METRICS_TOKEN", "")
ZHIFA_METRICS_ALLOW = [a.strip() for a in os.environ.get("ZHIFA_METRICS_ALLOW", "").split(",") if a.strip()]
# /readyz thresholds. The worker beats every ZHIFA_HEARTBEAT_SECONDS.
ZHIFA_HEARTBEAT_SECONDS = float(os.environ.get("ZHIFA_HEARTBEAT_SECONDS", "30"))
ZHIFA_WORKER_STALE_SECONDS = int(os.environ.get("ZHIFA_WORKER_STALE_SECONDS", "120"))
ZHIFA_QUEUE_MAX_AGE_SECONDS = int(os.environ.get("ZHIFA_QUEUE_MAX_AGE_SECONDS", "900"))
ZHIFA_TREE_HEAD_MAX_AGE_HOURS = int(os.environ.get("ZHIFA_TREE_HEAD_MAX_AGE_HOURS", "26"))

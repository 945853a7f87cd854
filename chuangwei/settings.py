"""chuangwei settings: one module, driven by environment variables (see README "配置 / Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything but a clear yes/no is a start-up error, never a silent guess."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off."
    )


def env_int(name: str, default: int) -> int:
    """Read an integer, failing loudly on anything else."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# A known development key, accepted only while DEBUG is on.
_DEV_SECRET_KEY = "dev-only-insecure-key-chuangwei-do-not-use-in-production-0123456789"  # noqa: S105 -- refused whenever DEBUG is off
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is the development default; set a real secret when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "import_export",
    "treebeard",
    "apps.core",
    "apps.accounts",
    "apps.notifications",
    "apps.regions",
    "apps.calendars",
    "apps.checklists",
    "apps.tickets",
    "apps.patrols",
    "apps.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.HtmxVaryMiddleware",
]

# WhiteNoise serves /static/ under gunicorn, `make run` included: collected, hashed files in production; in
# DEBUG straight from the apps' and static/ folders, re-read on change (no collectstatic before a demo).
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Selects are written in Python (apps/core/renderers.py): long option lists were most of a list page's time.
FORM_RENDERER = "apps.core.renderers.QuickFormRenderer"

ROOT_URLCONF = "chuangwei.urls"
WSGI_APPLICATION = "chuangwei.wsgi.application"

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
                "apps.accounts.context_processors.navigation",
                "apps.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL (postgres://...) for PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # WAL: readers never wait for the writer; NORMAL is durable against crashes of the app in WAL
                # (only an OS crash or power cut may lose the last commits) and skips an fsync per commit.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # A write transaction takes the lock when it begins, so two writers queue rather than
                # deadlock upgrading a read lock; a writer waits up to `timeout` seconds, not fails at once.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache and Celery broker when REDIS_URL is set; otherwise local memory and inline tasks.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker there is nobody to run tasks later, so they run inline in the caller.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every periodic job is declared here and nowhere else; exactly one beat process runs them.
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "apps.core.tasks.record_heartbeat", "schedule": 60.0},
    # Pre-deadline warnings and 黄牌/红牌 for overdue tickets; every 15 min is fine-grained enough for
    # limits counted in working hours (a 4 工作时 limit warns 48 min before its deadline).
    "tickets-escalate": {"task": "apps.tickets.tasks.escalate_tickets", "schedule": 15 * 60},
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never routed: uploads are served only by views that check access (urls.py)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# Photos (tickets, patrols): the largest original accepted before it is re-encoded to at most 1,600 px.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_MB", 15) * 1024 * 1024
# A problem a grid worker reports goes straight to the unit its routing rule names (自动立案派遣); off, every
# report waits at 待立案 for the office.
PATROL_AUTO_DISPATCH = env_bool("PATROL_AUTO_DISPATCH", True)

# Evidence uploads (佐证材料): the largest file accepted, checked on the real bytes received.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 50) * 1024 * 1024
# Every file in one multi-file upload must pass before any of them is stored.
EVIDENCE_MAX_FILES_PER_UPLOAD = env_int("EVIDENCE_MAX_FILES_PER_UPLOAD", 20)
# Office hours of a worked day; deadlines in 工作时/工作日 count only these. Parsed and checked at start-up
# (apps/calendars/worktime.py): a malformed or overlapping period is refused.
WORKING_HOURS = env_list("WORKING_HOURS", ["08:30-12:00", "13:30-17:30"])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security. Secure by default when DEBUG is off; an intranet served over plain HTTP must opt out explicitly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not signed in" into 401 rather than 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.api.parsers.JSONParser",  # bounded size and nesting
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chuangwei 创卫 API",
    "DESCRIPTION": "国家卫生城市创建管理系统接口。认证：会话或 `Authorization: Token <token>`。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PointTypeEnum": "apps.regions.models.PointType",
        "UnitTypeEnum": "apps.regions.models.UnitType",
        "LevelEnum": "apps.regions.models.Level",
        "CampaignKindEnum": "apps.checklists.models.CampaignKind",
        "CampaignStatusEnum": "apps.checklists.models.CampaignStatus",
        "TaskStatusEnum": "apps.checklists.models.TaskStatus",
        "EvidenceStatusEnum": "apps.checklists.models.EvidenceStatus",
        "FileKindEnum": "apps.checklists.models.FileKind",
        "ReviewDecisionEnum": "apps.checklists.api.serializers.ReviewDecision",
        "TicketStatusEnum": "apps.tickets.models.TicketStatus",
        "TicketSourceEnum": "apps.tickets.models.TicketSource",
        "SupervisionEnum": "apps.tickets.models.Supervision",
        "PhotoKindEnum": "apps.tickets.models.PhotoKind",
        "EventActionEnum": "apps.tickets.models.EventAction",
        "CheckResultEnum": "apps.patrols.models.CheckResult",
        "OutcomeEnum": "apps.patrols.models.Outcome",
        "FindingPhotoKindEnum": "apps.patrols.models.FindingPhotoKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# seed_demo refuses to touch a database that is not a demo unless forced; see apps/regions/management.
DEMO_PASSWORD = "demo1234"  # noqa: S105 -- the published demo password, refused without DEBUG

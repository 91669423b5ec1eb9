"""Settings shared by every environment. Safe by default: DEBUG is off and the
secret key must come from the environment outside dev and test."""

import os
from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env_str("SCIS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "scis.core",
    "scis.taxonomy",
    "scis.home",
    "scis.news",
    "scis.library",
    "scis.events",
    "scis.about",
    "scis.editorial",
    "scis.search",
    "scis.projects",
    "scis.api",
    "scis.oai",
    "scis.feeds",
    "scis.wordpress",
    "scis.opendata",
    "scis.newsletter",
    "scis.harvest",
    "scis.demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old WordPress links by query string (/?p=123) answer with their 301.
    "scis.wordpress.middleware.WordPressQueryRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "scis.urls"
WSGI_APPLICATION = "scis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scis.core.context_processors.portal",
            ],
        },
    },
]

# SQLite in WAL mode by default; PostgreSQL (or any engine) from DATABASE_URL.
if not env_str("DATABASE_URL"):
    # The default SQLite file lives in var/, which a fresh clone lacks.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'scis.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Korean is the default and lives at /, English under /en/.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
FORMAT_MODULE_PATH = ["scis.formats"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env_str("REDIS_URL"),
    }

# Background work: django-tasks with its database backend; `db_worker`
# processes claim tasks, so workers scale out on PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SCIS <noreply@localhost>")

# The newsletter (scis/newsletter, docs/newsletter.md). Links in messages are
# absolute: readers open them from their mail client.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
NEWSLETTER_FROM_EMAIL = env_str("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# Days a confirmation link stays valid.
NEWSLETTER_CONFIRM_DAYS = env_int("NEWSLETTER_CONFIRM_DAYS", 7)
# Sending (scis/newsletter/sending.py): messages per SMTP connection, messages
# per minute (0: as fast as the server takes them), attempts before a
# temporary failure becomes final, the first retry delay (doubled each time)
# and how long a claimed delivery may stay "sending" before a rerun takes it
# back (docs/decisions/0016-newsletter-send-log.md).
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 100)
NEWSLETTER_RATE_PER_MINUTE = env_int("NEWSLETTER_RATE_PER_MINUTE", 0)
NEWSLETTER_MAX_ATTEMPTS = env_int("NEWSLETTER_MAX_ATTEMPTS", 5)
NEWSLETTER_RETRY_SECONDS = env_int("NEWSLETTER_RETRY_SECONDS", 300)
NEWSLETTER_CLAIM_TIMEOUT_SECONDS = env_int("NEWSLETTER_CLAIM_TIMEOUT_SECONDS", 600)
# Send tasks queued per issue at its send time: more than one lets several
# db_worker processes send one issue in parallel (each batch is claimed).
NEWSLETTER_SEND_TASKS = env_int("NEWSLETTER_SEND_TASKS", 1)
# Seconds to wait for the mail server before a send counts as failed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 60)
# Bounce and complaint webhooks at /newsletter/tracking/<provider>/ (django-
# anymail). They answer only when the secret ("user:password", the provider
# sends it as HTTP basic auth) is set.
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET")}
# Sign-up attempts one client address may make per window (0: no limit).
NEWSLETTER_SUBSCRIBE_LIMIT = env_int("NEWSLETTER_SUBSCRIBE_LIMIT", 5)
NEWSLETTER_SUBSCRIBE_WINDOW = env_int("NEWSLETTER_SUBSCRIBE_WINDOW", 600)  # seconds

# Harvesting (scis/harvest, docs/harvest.md). Every fetch is capped in time
# and size (the size also after decompression) and follows few redirects;
# one host gets at most HOST_CONCURRENCY requests at a time, HOST_INTERVAL
# seconds apart (a robots.txt Crawl-delay can only make it slower).
HARVEST_USER_AGENT = env_str(
    "HARVEST_USER_AGENT", f"SCIS-harvester/1.0 (+{PUBLIC_BASE_URL}/about/)"
)
HARVEST_TIMEOUT_SECONDS = env_int("HARVEST_TIMEOUT_SECONDS", 20)
HARVEST_MAX_BYTES = env_int("HARVEST_MAX_BYTES", 10 * 1024 * 1024)
HARVEST_MAX_REDIRECTS = env_int("HARVEST_MAX_REDIRECTS", 5)
HARVEST_HOST_CONCURRENCY = env_int("HARVEST_HOST_CONCURRENCY", 2)
HARVEST_HOST_INTERVAL_MS = env_int("HARVEST_HOST_INTERVAL_MS", 500)
# Pages fetched in parallel within one run (threads; each host still capped).
HARVEST_FETCH_WORKERS = env_int("HARVEST_FETCH_WORKERS", 4)
# Extraction, signatures and classification of runs of at least
# PROCESS_MIN_ITEMS items happen in this many forked processes (0: in the
# fetch threads), so a large run uses more than one core.
HARVEST_CONTENT_PROCESSES = env_int("HARVEST_CONTENT_PROCESSES", 2)
HARVEST_PROCESS_MIN_ITEMS = env_int("HARVEST_PROCESS_MIN_ITEMS", 100)
# A job whose heartbeat is older than this is marked timed out, so no job
# stays "running" for ever; failed runs are retried with a doubling delay,
# and administrators get one e-mail after ALERT_AFTER failures in a row.
HARVEST_JOB_TIMEOUT_SECONDS = env_int("HARVEST_JOB_TIMEOUT_SECONDS", 1800)
HARVEST_RETRY_SECONDS = env_int("HARVEST_RETRY_SECONDS", 300)
HARVEST_MAX_RETRIES = env_int("HARVEST_MAX_RETRIES", 3)
HARVEST_ALERT_AFTER = env_int("HARVEST_ALERT_AFTER", 3)
# WARC files of fetched originals, one per job.
HARVEST_WARC_ROOT = Path(env_str("HARVEST_WARC_ROOT", str(MEDIA_ROOT / "warc")))
# Days between checks that an accepted item's original is still online, and
# failed checks in a row before readers are sent to the snapshot instead.
HARVEST_LINK_CHECK_DAYS = env_int("HARVEST_LINK_CHECK_DAYS", 7)
HARVEST_LINK_FAILURES = env_int("HARVEST_LINK_FAILURES", 2)

WAGTAIL_SITE_NAME = "SCIS"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "hwp", "hwpx", "docx", "xlsx", "pptx", "csv", "zip"]
# Wagtail's own index serves the admin's page search; readers' search is the
# project's Korean-aware index (scis/search, docs/decisions/0008).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Load Kiwi when the web server starts rather than on the first search.
SEARCH_PRELOAD_ANALYZER = env_bool("SEARCH_PRELOAD_ANALYZER", True)
# rebuild_search_index analyzes text in this many forked worker processes
# (0: in its own process) once the archive has this many documents.
SEARCH_INDEX_PROCESSES = env_int("SEARCH_INDEX_PROCESSES", os.cpu_count() or 1)
SEARCH_INDEX_PROCESS_MIN_DOCUMENTS = 2000
# Words at least this many documents of a language hold have their postings
# kept ready (scis/search/postings.py): reading them from the engine is the
# slowest part of a search once the archive is large.
SEARCH_COMMON_TERM_DOCUMENTS = env_int("SEARCH_COMMON_TERM_DOCUMENTS", 1000)
# The scheduler queues new postings once the documents indexed since the
# last ones are more than this share of a language's documents.
SEARCH_POSTINGS_REFRESH_SHARE = 0.05
# Each process keeps the common words' postings it read lately, up to this
# much memory (a word 100,000 documents hold takes 0.8 MB), and as much again
# for the positions of those that quoted phrases read (PostgreSQL).
SEARCH_POSTINGS_CACHE_MB = env_int("SEARCH_POSTINGS_CACHE_MB", 32)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["scis.api.throttling.AnonymousRateThrottle"],
    "UNAUTHENTICATED_USER": None,
    # Behind a reverse proxy, the client address is the last one it adds.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0) or None,
}
# Anonymous clients may make this many API requests (None: no limit).
API_ANON_RATE = env_str("API_ANON_RATE", "300/minute") or None
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 500
SPECTACULAR_SETTINGS = {
    "TITLE": "SCIS API",
    "DESCRIPTION": (
        "Open data of the Smart City Information System: every published record "
        "(news, literature, events, documents, definitions, programmes, projects, "
        "policies) and the taxonomies that classify them, in Korean and English.\n\n"
        "**Walking a list.** Lists are newest first and come in pages: follow "
        "`next` until it is null to get every row (no cap). `page_size` takes "
        "1–500 (default 20).\n\n"
        "**Language.** `lang=ko` (default) or `lang=en`. A record with no "
        "translation comes in its own language with `translated: false`.\n\n"
        "**Fields.** `fields=id,title,url` returns only those; lists leave long "
        "texts (`body`, `abstract`, `area`, `outcomes`) out unless named.\n\n"
        "**Filters** are the listing pages' own: `type`, `section`, `year`, "
        "`region` (a province includes its municipalities), `programme`, "
        "`topic`, `organisation`, by slug (see `/api/v1/taxonomy/`).\n\n"
        "**Caching.** Answers carry `ETag` and `Last-Modified`; send "
        "`If-None-Match` or `If-Modified-Since` to get `304` when nothing "
        "changed.\n\n"
        "**Errors.** Unknown parameters, unknown filter values, bad cursors and "
        "page sizes get `400` with a JSON body naming each problem. Too many "
        "requests get `429` with `Retry-After` (seconds).\n\n"
        "Bulk downloads of everything are at `/data/`; literature and documents "
        "are also harvestable over OAI-PMH at `/oai`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    # `fields=` may leave any field out of an answer.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "PREPROCESSING_HOOKS": ["scis.api.schema.only_open_data"],
}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

# How often the scheduler wakes to run due work (scheduled publishing, …).
SCHEDULER_INTERVAL_SECONDS = env_int("SCHEDULER_INTERVAL_SECONDS", 60)
# Listing pages show this many records a page.
LISTING_PAGE_SIZE = env_int("LISTING_PAGE_SIZE", 20)
# Open data (/data/): the published dump of the archive and its DCAT-AP
# catalogue. OPEN_DATA_ROOT holds the current dump; `publish_open_data` (and
# the scheduler, every OPEN_DATA_INTERVAL_HOURS when the archive changed)
# writes it.
OPEN_DATA_ROOT = Path(env_str("OPEN_DATA_ROOT", str(VAR_DIR / "opendata")))
OPEN_DATA_INTERVAL_HOURS = env_int("OPEN_DATA_INTERVAL_HOURS", 24)
OPEN_DATA_TITLE = {
    "ko": "스마트도시 정보시스템 공개 데이터",
    "en": "Smart City Information System open data",
}
# Korea Open Government Licence (공공누리) type 1: attribution only.
OPEN_DATA_LICENCE = env_str(
    "OPEN_DATA_LICENCE", "https://www.kogl.or.kr/info/licenseType1.do"
)
OPEN_DATA_PUBLISHER = {
    "ko": "국토교통부",
    "en": "Ministry of Land, Infrastructure and Transport",
}

# OAI-PMH (/oai): identifiers are oai:<namespace>:<page id>; lists come in
# pages of OAI_PAGE_SIZE records with a resumption token.
OAI_NAMESPACE = env_str("OAI_NAMESPACE", "scis.go.kr")
OAI_REPOSITORY_NAME = "스마트도시 정보시스템 / Smart City Information System"
OAI_ADMIN_EMAIL = env_str("OAI_ADMIN_EMAIL", "scis@localhost")
OAI_PAGE_SIZE = env_int("OAI_PAGE_SIZE", 100)
# Records in each Atom/RSS feed, newest first.
FEED_SIZE = env_int("FEED_SIZE", 30)
# Background tiles of the project map, e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty: the map draws the
# bundled province boundaries only and requests nothing from elsewhere.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# CORS: any site may read the open data with GET (the API, feeds, OAI-PMH).
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api/v1/|oai|data/|en/data/|feeds/|en/feeds/)"

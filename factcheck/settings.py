"""Settings for the fact-checking desk, all from the environment.

With nothing set, the project runs on a laptop with no server at all: SQLite and
extraction jobs run in-process. ``DATABASE_URL`` switches to PostgreSQL and
``CELERY_BROKER_URL`` to Redis with separate Celery workers. A ``.env`` file in the
project folder is read too (``make run`` writes one with a generated secret).
"""

from __future__ import annotations

import re
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def envint(name: str, default: int) -> int:
    raw = env.str(name, default=str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def envfloat(name: str, default: float) -> float:
    raw = env.str(name, default=str(default))
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None


def envbool(name: str, default: bool) -> bool:
    raw = env.str(name, default="true" if default else "false").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = envbool("DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. `make run` writes one into .env; in production set it "
            "in the environment."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The site's own address in links (canonical, feeds, sitemap, ClaimReview, API). Behind a
# proxy, set it. Unset, it is the address `make run` serves (the Makefile passes its HOST and
# PORT as FACTCHECK_SERVED_AT), else runserver's default.
SITE_URL = (
    env.str("SITE_URL", default="") or env.str("FACTCHECK_SERVED_AT", default="") or "http://127.0.0.1:8000"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "claims",
    "throttle",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "claims.desk_language.LoginLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

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
            ],
        },
    },
]

DATA_DIR = Path(env.str("FACTCHECK_DATA_DIR", default=str(BASE_DIR / "data")))
DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'factcheck.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Jobs and web requests share one file: wait for a lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# History pages show earlier versions and restore none: a revert would save an old row
# whole, status and all, past the review workflow's services (claims/admin.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security: safe in production, relaxed only where DEBUG says this is a laptop.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# Celery. Without a broker, jobs run in-process when their transaction commits.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost//"  # never contacted: jobs run in-process
# One queue name per deployment, so that two deployments can share a Redis.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="factcheck")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message a dead worker held is handed out again after this many seconds. It must be
# longer than the longest job, or a slow job runs twice (harmless, but wasted).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Survives the broker dropping while a job runs (celery 5.7.0 exited; factcheck/worker.py).
CELERY_WORKER_CONSUMER = "factcheck.worker:Consumer"
# Celery beat (a `celery beat` process, or `worker -B`) sends the sweep this often: it sends
# again the jobs and webhook deliveries that never reached Redis or were lost there. The
# schedule has one fixed interval, so beat keeps no state file.
FACTCHECK_SWEEP_SECONDS = envint("FACTCHECK_SWEEP_SECONDS", 60)
if FACTCHECK_SWEEP_SECONDS < 1:
    raise ImproperlyConfigured("FACTCHECK_SWEEP_SECONDS must be at least 1")
CELERY_BEAT_SCHEDULER = "celery.beat:Scheduler"
CELERY_BEAT_SCHEDULE = {
    "sweep-due": {
        "task": "claims.tasks.sweep_due",
        "schedule": FACTCHECK_SWEEP_SECONDS,
        # A sweep that waited a whole period in the queue is replaced by the next one.
        "options": {"expires": FACTCHECK_SWEEP_SECONDS},
    },
}

# Watching outlets (claims/services/watching.py): beat sends `watch_poll_due` this often; it
# polls the feeds and sitemaps that are due and sends again the entries still to fetch.
FACTCHECK_WATCH_TICK_SECONDS = envint("FACTCHECK_WATCH_TICK_SECONDS", 60)
# At least this long between two requests to the same site, whatever the number of workers.
FACTCHECK_WATCH_HOST_DELAY_SECONDS = envfloat("FACTCHECK_WATCH_HOST_DELAY_SECONDS", 2.0)
# A source whose polls failed this many times in a row is paused until an editor resumes it.
FACTCHECK_WATCH_MAX_FAILURES = envint("FACTCHECK_WATCH_MAX_FAILURES", 5)
# The newest entries taken from one poll of one source; older ones wait for later polls.
FACTCHECK_WATCH_MAX_ENTRIES_PER_POLL = envint("FACTCHECK_WATCH_MAX_ENTRIES_PER_POLL", 100)
# A poll or an entry's fetch whose worker died is taken again after this many seconds.
FACTCHECK_WATCH_LEASE_SECONDS = envint("FACTCHECK_WATCH_LEASE_SECONDS", 300)
if FACTCHECK_WATCH_TICK_SECONDS < 1:
    raise ImproperlyConfigured("FACTCHECK_WATCH_TICK_SECONDS must be at least 1")
if FACTCHECK_WATCH_HOST_DELAY_SECONDS < 0:
    raise ImproperlyConfigured("FACTCHECK_WATCH_HOST_DELAY_SECONDS must not be negative")
if FACTCHECK_WATCH_MAX_FAILURES < 1 or FACTCHECK_WATCH_MAX_ENTRIES_PER_POLL < 1:
    raise ImproperlyConfigured(
        "FACTCHECK_WATCH_MAX_FAILURES and FACTCHECK_WATCH_MAX_ENTRIES_PER_POLL must be at least 1")
if FACTCHECK_WATCH_LEASE_SECONDS < 10:
    raise ImproperlyConfigured("FACTCHECK_WATCH_LEASE_SECONDS must be at least 10")
CELERY_BEAT_SCHEDULE["watch-poll-due"] = {
    "task": "claims.tasks.watch_poll_due",
    "schedule": FACTCHECK_WATCH_TICK_SECONDS,
    "options": {"expires": FACTCHECK_WATCH_TICK_SECONDS},
}

# Extraction jobs. A running job whose worker died is taken over by the next delivery
# once it has been running longer than this (by default the hard time limit).
FACTCHECK_JOB_LEASE_SECONDS = envint("FACTCHECK_JOB_LEASE_SECONDS", CELERY_TASK_TIME_LIMIT + 30)
FACTCHECK_JOB_MAX_ATTEMPTS = envint("FACTCHECK_JOB_MAX_ATTEMPTS", 5)
# Articles longer than this are refused with a clear message (characters of plain text).
FACTCHECK_ARTICLE_MAX_CHARS = envint("FACTCHECK_ARTICLE_MAX_CHARS", 2_500_000)
# English claims read again by the sentence model after extraction (about a millisecond a
# sentence; claims/nlp/sentence_model.py). Off: the word model and rules score alone.
FACTCHECK_SENTENCE_MODEL = envbool("FACTCHECK_SENTENCE_MODEL", True)
# Raw files larger than this are refused before they are read (bytes).
FACTCHECK_IMPORT_MAX_BYTES = envint("FACTCHECK_IMPORT_MAX_BYTES", 4 * 1024 * 1024)
# The desk's queue shows each article's best open claims scoring at least the cut, this
# many per article; the rest stay stored, folded behind "N more from this article".
FACTCHECK_QUEUE_CUT = envfloat("FACTCHECK_QUEUE_CUT", 0.5)
if not 0 <= FACTCHECK_QUEUE_CUT <= 1:
    raise ImproperlyConfigured("FACTCHECK_QUEUE_CUT must be between 0 and 1 (a score)")
FACTCHECK_QUEUE_PER_ARTICLE = envint("FACTCHECK_QUEUE_PER_ARTICLE", 3)
if FACTCHECK_QUEUE_PER_ARTICLE < 1:
    raise ImproperlyConfigured("FACTCHECK_QUEUE_PER_ARTICLE must be at least 1")

# Claim matching (claims/matching.py). A new claim is matched against every fact-check
# (ours published and imported) and against the claims of the last N days; a match scoring
# at least the threshold is suggested to the desk, at most this many per claim.
FACTCHECK_MATCH_THRESHOLD = envfloat("FACTCHECK_MATCH_THRESHOLD", 0.47)
# A claim of another article (not a fact-check) must score at least this to be suggested as
# the same claim and join its story: two claims are both read as queries, whose scores run
# higher than a claim's against a fact-check (chosen on labelled claim pairs,
# claims/nlp/models/README.md).
FACTCHECK_MATCH_CLAIM_THRESHOLD = envfloat("FACTCHECK_MATCH_CLAIM_THRESHOLD", 0.78)
FACTCHECK_MATCH_SUGGESTIONS = envint("FACTCHECK_MATCH_SUGGESTIONS", 3)
FACTCHECK_MATCH_CLAIM_DAYS = envint("FACTCHECK_MATCH_CLAIM_DAYS", 14)
# The extraction job vectorises and matches an article's best claims: at most this many,
# scoring at least this (by default the claims the queue shows). The others get their
# vectors when published, or from `manage.py match_claims`.
FACTCHECK_MATCH_MIN_SCORE = envfloat("FACTCHECK_MATCH_MIN_SCORE", FACTCHECK_QUEUE_CUT)
FACTCHECK_MATCH_PER_ARTICLE = envint("FACTCHECK_MATCH_PER_ARTICLE", FACTCHECK_QUEUE_PER_ARTICLE)
# How stale a process's index may be: it reads the rows changed since, at most this often.
FACTCHECK_MATCH_REFRESH_SECONDS = envfloat("FACTCHECK_MATCH_REFRESH_SECONDS", 2.0)
# The words' share in a match's score beside the vectors' cosine (chosen by cross-validation,
# claims/nlp/models/README.md).
FACTCHECK_MATCH_LEXICAL_WEIGHT = envfloat("FACTCHECK_MATCH_LEXICAL_WEIGHT", 0.2)
for _name in ("FACTCHECK_MATCH_THRESHOLD", "FACTCHECK_MATCH_CLAIM_THRESHOLD", "FACTCHECK_MATCH_LEXICAL_WEIGHT",
              "FACTCHECK_MATCH_MIN_SCORE"):
    if not 0 <= globals()[_name] <= 1:
        raise ImproperlyConfigured(f"{_name} must be between 0 and 1")
if FACTCHECK_MATCH_SUGGESTIONS < 1 or FACTCHECK_MATCH_CLAIM_DAYS < 1 or FACTCHECK_MATCH_PER_ARTICLE < 1:
    raise ImproperlyConfigured(
        "FACTCHECK_MATCH_SUGGESTIONS, FACTCHECK_MATCH_CLAIM_DAYS and FACTCHECK_MATCH_PER_ARTICLE must be at least 1")
if FACTCHECK_MATCH_REFRESH_SECONDS < 0:
    raise ImproperlyConfigured("FACTCHECK_MATCH_REFRESH_SECONDS must not be negative")
# From this many fact-checks on, their vectors are searched in an approximate index file
# (DATA_DIR/matching/, HNSW, mapped by every process: claims/nlp/ann.py) instead of exactly
# in each process's memory; `manage.py matching_index_build` writes it, and Celery beat
# rebuilds it every FACTCHECK_MATCH_INDEX_REBUILD_MINUTES (0: only by the command). Rows
# changed since the file was built are searched exactly until the next build.
FACTCHECK_MATCH_INDEX_MIN = envint("FACTCHECK_MATCH_INDEX_MIN", 200_000)
FACTCHECK_MATCH_INDEX_REBUILD_MINUTES = envint("FACTCHECK_MATCH_INDEX_REBUILD_MINUTES", 60)
if FACTCHECK_MATCH_INDEX_MIN < 1:
    raise ImproperlyConfigured("FACTCHECK_MATCH_INDEX_MIN must be at least 1")
if FACTCHECK_MATCH_INDEX_REBUILD_MINUTES < 0:
    raise ImproperlyConfigured("FACTCHECK_MATCH_INDEX_REBUILD_MINUTES must not be negative")
if FACTCHECK_MATCH_INDEX_REBUILD_MINUTES:
    CELERY_BEAT_SCHEDULE["matching-index-build"] = {
        "task": "claims.tasks.matching_index_build",
        "schedule": FACTCHECK_MATCH_INDEX_REBUILD_MINUTES * 60,
        "options": {"expires": FACTCHECK_MATCH_INDEX_REBUILD_MINUTES * 60},
    }

# Learning from the desk (claims/services/learning.py): with this on, Celery beat refits the
# newsroom's scoring layer from the editors' decisions every Monday at 03:00 and switches
# it in only when it measures better on decisions it did not see.
FACTCHECK_LEARN_FROM_DECISIONS = envbool("FACTCHECK_LEARN_FROM_DECISIONS", False)
# Fewer decisions than this and the layer is not trained (it says why).
FACTCHECK_LEARN_MIN_DECISIONS = envint("FACTCHECK_LEARN_MIN_DECISIONS", 50)
if FACTCHECK_LEARN_MIN_DECISIONS < 20:
    raise ImproperlyConfigured("FACTCHECK_LEARN_MIN_DECISIONS must be at least 20")
if FACTCHECK_LEARN_FROM_DECISIONS:
    CELERY_BEAT_SCHEDULE["learn-from-decisions"] = {
        "task": "claims.tasks.learn_from_decisions",
        # A fixed weekday and hour, not an interval: beat keeps no state file, so an
        # interval would start over (and train) at every restart.
        "schedule": crontab(minute=0, hour=3, day_of_week=1),
        "options": {"expires": 24 * 3600},
    }
# The morning list (claims.services.digest): each morning at FACTCHECK_DIGEST_TIME (the
# newsroom's time zone) the desk, and partners who asked for it, get the open claims of the
# last 24 hours that the queue would put on top, for the whole desk and per topic.
FACTCHECK_DIGEST_ENABLED = envbool("FACTCHECK_DIGEST_ENABLED", False)
FACTCHECK_DIGEST_TIME = env.str("FACTCHECK_DIGEST_TIME", default="07:00").strip()
_digest_time = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", FACTCHECK_DIGEST_TIME)
if _digest_time is None:
    raise ImproperlyConfigured(f"FACTCHECK_DIGEST_TIME must be a time of day as HH:MM, not {FACTCHECK_DIGEST_TIME!r}")
FACTCHECK_DIGEST_HOUR, FACTCHECK_DIGEST_MINUTE = int(_digest_time[1]), int(_digest_time[2])
# Topic slugs with a list of their own; empty: every topic with claims in the window.
FACTCHECK_DIGEST_TOPICS = [slug.strip() for slug in env.list("FACTCHECK_DIGEST_TOPICS", default=[]) if slug.strip()]
for _slug in FACTCHECK_DIGEST_TOPICS:
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", _slug):
        raise ImproperlyConfigured(f"FACTCHECK_DIGEST_TOPICS holds topic slugs, and {_slug!r} is not one")
FACTCHECK_DIGEST_SIZE = envint("FACTCHECK_DIGEST_SIZE", 10)
if not 1 <= FACTCHECK_DIGEST_SIZE <= 100:
    raise ImproperlyConfigured("FACTCHECK_DIGEST_SIZE must be between 1 and 100")
# Who gets the email: "desk" (the active Editors and Publishers with an address) and/or
# email addresses, each in the site's language unless a language code leads it, e.g.
# "desk,newsroom@example.org,en:foreign-desk@example.org".
FACTCHECK_DIGEST_RECIPIENTS = [r.strip() for r in env.list("FACTCHECK_DIGEST_RECIPIENTS", default=["desk"]) if r.strip()]
_languages = "|".join(re.escape(code) for code, _name in LANGUAGES)
for _recipient in FACTCHECK_DIGEST_RECIPIENTS:
    if _recipient != "desk" and not re.fullmatch(rf"(?:(?:{_languages}):)?[^@\s,:]+@[^@\s,:]+\.[^@\s,:]+", _recipient):
        raise ImproperlyConfigured(
            f"FACTCHECK_DIGEST_RECIPIENTS holds \"desk\" and email addresses (optionally led by a language: "
            f"\"id:redaksi@example.org\"), and {_recipient!r} is neither")
if FACTCHECK_DIGEST_ENABLED:
    CELERY_BEAT_SCHEDULE["morning-list"] = {
        "task": "claims.tasks.digest_send",
        # A time of day, like the weekly training: beat keeps no state file. A second beat
        # or a restart at that minute makes no list twice (one Digest row per day and topic)
        # and emails each once; an email that failed is tried again (claims.tasks).
        "schedule": crontab(minute=FACTCHECK_DIGEST_MINUTE, hour=FACTCHECK_DIGEST_HOUR),
        "options": {"expires": 6 * 3600},
    }
# Readers' tips (the public "Send us a claim" form, /tips/): how many tips one address may
# send ("5/hour"; periods s, min, hour, day), the longest text, and after how many days a
# tip's contact details are deleted (Celery beat runs the purge daily at 02:30, and
# `manage.py purge_tip_contacts` does it at once).
FACTCHECK_TIP_RATE = env.str("FACTCHECK_TIP_RATE", default="5/hour")
_tip_number, _, _tip_period = FACTCHECK_TIP_RATE.partition("/")
if not (_tip_number.strip().isdigit() and int(_tip_number) >= 1
        and _tip_period.strip()[:1] in {"s", "m", "h", "d"}):
    raise ImproperlyConfigured(
        f"FACTCHECK_TIP_RATE must be a number per period such as 5/hour, not {FACTCHECK_TIP_RATE!r}")
FACTCHECK_TIP_MAX_CHARS = envint("FACTCHECK_TIP_MAX_CHARS", 2000)
if FACTCHECK_TIP_MAX_CHARS < 100:
    raise ImproperlyConfigured("FACTCHECK_TIP_MAX_CHARS must be at least 100")
FACTCHECK_TIP_CONTACT_DAYS = envint("FACTCHECK_TIP_CONTACT_DAYS", 30)
if FACTCHECK_TIP_CONTACT_DAYS < 1:
    raise ImproperlyConfigured("FACTCHECK_TIP_CONTACT_DAYS must be at least 1")
CELERY_BEAT_SCHEDULE["purge-tip-contacts"] = {
    "task": "claims.tasks.purge_tip_contacts",
    "schedule": crontab(minute=30, hour=2),
    "options": {"expires": 12 * 3600},
}
FACTCHECK_NEWSROOM_NAME = env.str("FACTCHECK_NEWSROOM_NAME", default="Fact-check desk")
# The two-person rule: whoever wrote a version of a verdict's draft may neither publish it
# nor correct it once published; another publisher must. /about/ tells readers which holds.
FACTCHECK_TWO_PERSON_RULE = envbool("FACTCHECK_TWO_PERSON_RULE", True)

# Email: notices to colleagues (a claim assigned, a note). Printed on the console unless a
# backend is set, e.g. EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="") or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="") or "factcheck@localhost"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Readers' private tip links are blanked from every line (factcheck/log_redact.py).
    "filters": {"tip_tokens": {"()": "factcheck.log_redact.TipTokenFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["tip_tokens"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # runserver's request lines too (Django's own handler for them has no such filter).
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Caches: in-process by default; CACHE_URL (e.g. redis://127.0.0.1:6379/1) shares one
# cache between web processes so a publication expires every process's public pages.
# A Redis cache that is down is a miss, not an error (factcheck/cache.py).
def cache_config(url: str) -> dict:
    config = env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "factcheck.cache.ResilientRedisCache"
    return config


CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {"default": cache_config(CACHE_URL or "locmemcache://factcheck")}
FACTCHECK_PUBLIC_CACHE_SECONDS = envint("FACTCHECK_PUBLIC_CACHE_SECONDS", 300)

# The partner API.
FACTCHECK_API_ANONYMOUS_READ = envbool("FACTCHECK_API_ANONYMOUS_READ", False)
FACTCHECK_API_ANONYMOUS_RATE = env.str("FACTCHECK_API_ANONYMOUS_RATE", default="60/min")
# Where rate limits are counted: a store every web process shares, so several gunicorn
# workers do not each allow the whole limit. "cache" is Redis when CACHE_URL is set (the
# in-process cache when not: right only for a single process); "database" is a table.
FACTCHECK_THROTTLE_STORE = env.str("FACTCHECK_THROTTLE_STORE", default="") or ("cache" if CACHE_URL else "database")
if FACTCHECK_THROTTLE_STORE not in {"cache", "database"}:
    raise ImproperlyConfigured(
        f"FACTCHECK_THROTTLE_STORE must be cache or database, not {FACTCHECK_THROTTLE_STORE!r}"
    )
FACTCHECK_API_MAX_BODY_BYTES = envint("FACTCHECK_API_MAX_BODY_BYTES", 3 * 1024 * 1024)
# Outbound requests (submitted URLs, webhooks) never go to internal addresses; tests may
# allow named hosts.
FACTCHECK_OUTBOUND_ALLOWED_HOSTS = env.list("FACTCHECK_OUTBOUND_ALLOWED_HOSTS", default=[])
FACTCHECK_FETCH_MAX_BYTES = envint("FACTCHECK_FETCH_MAX_BYTES", 5 * 1024 * 1024)
FACTCHECK_FETCH_TIMEOUT = envint("FACTCHECK_FETCH_TIMEOUT", 10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["claims.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.PartnerKeyThrottle"],
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# How many proxies stand in front of the web processes (e.g. 1 behind nginx): then the
# client's address is read from X-Forwarded-For (that many from the right) for rate limits
# (the API's anonymous limit, readers' tips). 0, the default, never trusts X-Forwarded-For,
# which any client can write.
REST_FRAMEWORK["NUM_PROXIES"] = envint("FACTCHECK_NUM_PROXIES", 0)
if REST_FRAMEWORK["NUM_PROXIES"] < 0:
    raise ImproperlyConfigured("FACTCHECK_NUM_PROXIES must not be negative")
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check desk API",
    "DESCRIPTION": (
        "Published fact-checks with their ClaimReview markup, article submission for claim "
        "extraction, and extraction jobs. Authenticate with `Authorization: Api-Key <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.error_responses_add",
        "claims.api.schema.schema_limits_add",
    ],
}

"""Read settings from the environment, failing loudly on malformed values.

A typo in production configuration must stop the start-up with a message that names the
variable, never fall back silently to a default.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_int_choice(name: str, default: int, choices: tuple[int, ...]) -> int:
    value = env_int(name, default)
    if value not in choices:
        allowed = ", ".join(str(choice) for choice in choices)
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items, got {raw!r}")
    return items


def env_fraction(name: str, default: str) -> tuple[int, int]:
    """A share written "a/b" (e.g. "2/3"), 0 < a/b <= 1, as (a, b)."""
    raw = os.environ.get(name, default).strip()
    try:
        numerator, denominator = (int(part) for part in raw.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a fraction like 2/3, got {raw!r}") from None
    if numerator <= 0 or denominator <= 0 or numerator > denominator:
        raise ImproperlyConfigured(f"{name} must be a fraction between 0 and 1 like 2/3, got {raw!r}")
    return numerator, denominator


def env_database(name: str, default_sqlite_path) -> dict:
    """Parse DATABASE_URL (sqlite:// or postgres://); the default is the embedded SQLite file."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return sqlite_database(str(default_sqlite_path))
    try:
        config = dj_database_url.parse(
            raw, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except Exception as error:  # dj_database_url raises several types for bad input
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        return sqlite_database(config["NAME"])
    if engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{name} must be a sqlite:// or postgres:// URL, got engine {engine!r}")
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database, got {raw!r}")
    return config


def sqlite_database(path: str) -> dict:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE makes every transaction take the write lock at BEGIN, so two writers queue on
    # the busy timeout instead of failing with "database is locked" on a lock upgrade; WAL lets
    # readers go on while one writer writes.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"),
        },
        "TEST": {"NAME": str(path) + ".test"} if path != ":memory:" else {},
    }


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto` (the proxy sets it to https) -> ("HTTP_X_FORWARDED_PROTO", "https")."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, _, value = raw.partition("=")
    header, value = header.strip(), (value.strip() or "https")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", header):
        raise ImproperlyConfigured(f"{name} must be a header name such as X-Forwarded-Proto, got {raw!r}")
    return "HTTP_" + header.upper().replace("-", "_"), value


def env_cache(name: str, *, table: str) -> dict:
    """REDIS_URL (redis://, rediss:// or unix://) selects Redis; the default is the database cache."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        # Culling at the default 300 entries would let a flood of new keys evict the login
        # rate limits' counters; expired rows are removed as they are met.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 10},
        }
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name} must be a redis://, rediss:// or unix:// URL, got {raw!r}")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}

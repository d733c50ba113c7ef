"""With DJANGO_DEBUG off every default is the secure one, and `check --deploy` has nothing to say."""

import json

import pytest

from tests.unionhome.test_settings import run_unconfigured

PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3y-for-the-deploy-check-" + "x7Qp2mZr9LwT4vBn8YcD1sFg6HjK0aE5uIo3",
    "DJANGO_ALLOWED_HOSTS": "union.example.edu.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://union.example.edu.cn",
    "DATABASE_URL": "postgres://unionhome:secret@127.0.0.1:5432/unionhome",
}

NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "CACHES",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
    "STORAGES",
]


def settings_of(**env):
    code = f"import json, unionhome.settings as s; print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    result = run_unconfigured(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_is_secure_by_default_when_debug_is_off():
    values = settings_of(**PRODUCTION)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    storage = values["STORAGES"]["staticfiles"]["BACKEND"]
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_it_relaxes_only_what_the_environment_says():
    values = settings_of(
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_HSTS_SECONDS="600",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        UNIONHOME_TRUSTED_PROXY_COUNT="1",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert values["SESSION_COOKIE_SECURE"] is True


def test_it_shares_the_cache_between_workers_database_by_default_redis_by_url():
    # Per-process memory (or a file on one machine) would let every worker count on its own.
    assert settings_of(**PRODUCTION)["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "unionhome_cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 10},
    }
    redis = settings_of(**PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/1")["CACHES"]["default"]
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_HSTS_SECONDS": "a year"}, "DJANGO_HSTS_SECONDS must be a whole number"),
        ({"DJANGO_SECURE_SSL_REDIRECT": "proxy"}, "DJANGO_SECURE_SSL_REDIRECT must be one of"),
        ({"DJANGO_SECURE_PROXY_SSL_HEADER": "X Forwarded Proto"}, "DJANGO_SECURE_PROXY_SSL_HEADER must be"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL must be a redis://"),
        ({"UNIONHOME_TRUSTED_PROXY_COUNT": "-1"}, "UNIONHOME_TRUSTED_PROXY_COUNT must be at least 0"),
    ],
)
def test_it_fails_clearly_on_malformed_security_values(env, message):
    result = run_unconfigured(["-c", "import unionhome.settings"], **PRODUCTION, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_it_passes_the_deployment_check_with_a_production_environment():
    result = run_unconfigured(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deployment_check_when_https_is_turned_off():
    result = run_unconfigured(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        DJANGO_SECURE_COOKIES="false",
    )
    assert result.returncode != 0 and "security.W012" in result.stderr + result.stdout


def test_it_sends_the_security_headers_over_https(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_SSL_REDIRECT = True
    insecure = client.get("/accounts/login/")
    assert insecure.status_code == 301 and insecure["Location"] == "https://testserver/accounts/login/"
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_it_trusts_the_proxys_https_header_only_when_configured(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200

"""The shared cache: the database cache by default, Redis with REDIS_URL; rate limits work on both."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse


def locked_out_after_five_guesses(client_factory):
    for guess in range(5):
        client_factory().post(reverse("account_login"), {"login": "2008001", "password": f"g{guess}"})
    response = client_factory().post(reverse("account_login"), {"login": "2008001", "password": "pw-123456"})
    return "登录失败次数过多" in response.content.decode()


def test_it_counts_login_failures_in_the_database_cache(settings, member):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "unionhome_cache"}
    }
    assert locked_out_after_five_guesses(Client)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM unionhome_cache WHERE cache_key LIKE %s", ["%allauth%rl%"])
        assert cursor.fetchone()[0] >= 1


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_it_counts_login_failures_in_redis(settings, member, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    assert locked_out_after_five_guesses(Client)
    import redis

    keys = redis.Redis.from_url(redis_url).keys("*allauth*rl*")
    assert keys
    cache.clear()

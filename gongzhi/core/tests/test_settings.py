"""Settings are read from the environment; check the rules in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def load_settings(**env):
    script = (
        "import json, config.settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'],"
        "'db_name': s.DATABASES['default']['NAME'], 'lang': s.LANGUAGE_CODE,"
        "'tz': s.TIME_ZONE, 'secure_cookie': s.SESSION_COOKIE_SECURE,"
        "'hsts': s.SECURE_HSTS_SECONDS, 'cache': s.CACHES['default']['BACKEND']}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.update({"GONGZHI_VAR_DIR": str(ROOT / "var"), **env})
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=base, capture_output=True, text=True
    )


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_secure():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)
    data = json.loads(result.stdout)
    assert data["debug"] is False and data["secure_cookie"] is True and data["hsts"] > 0
    assert data["lang"] == "zh-hans" and data["tz"] == "Asia/Shanghai"
    assert data["engine"] == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql_and_redis_url_the_shared_cache():
    result = load_settings(
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://gz:pw@db.internal:5432/gongzhi",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    data = json.loads(result.stdout)
    assert data["engine"] == "django.db.backends.postgresql" and data["db_name"] == "gongzhi"
    assert data["cache"] == "django_redis.cache.RedisCache"

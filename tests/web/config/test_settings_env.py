import pytest
from django.core.exceptions import ImproperlyConfigured

from offlabel.web.config.env import env_bool, env_database, env_int, env_list, env_str


def test_env_str_missing_without_default_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_str("SECRET_KEY", environ={})


def test_env_str_returns_value_or_default():
    assert env_str("X", "d", environ={"X": "v"}) == "v"
    assert env_str("X", "d", environ={}) == "d"


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_common_spellings(raw, value):
    assert env_bool("DEBUG", default=not value, environ={"DEBUG": raw}) is value


def test_env_bool_rejects_anything_else():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", default=False, environ={"DEBUG": "maybe"})


def test_env_int_rejects_text_and_values_below_minimum():
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("EMAIL_PORT", 587, environ={"EMAIL_PORT": "smtp"})
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("EMAIL_PORT", 587, minimum=1, environ={"EMAIL_PORT": "0"})
    assert env_int("EMAIL_PORT", 587, environ={"EMAIL_PORT": " 25 "}) == 25


def test_env_list_splits_and_rejects_empty_items():
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.org, b.org"}) == [
        "a.org",
        "b.org",
    ]
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.org,,b.org"})


def test_env_database_parses_postgres_and_sqlite():
    pg = env_database(
        "DATABASE_URL", "", environ={"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test"}
    )
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert pg["NAME"] == "test"
    lite = env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3", environ={})
    assert lite["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/db", "postgresql://postgres@127.0.0.1:5432/", "nonsense"]
)
def test_env_database_rejects_unsupported_or_incomplete_urls(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "", environ={"DATABASE_URL": url})


def test_production_settings_refuse_to_start_without_a_secret_key(monkeypatch):
    import importlib
    import sys

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("ALLOWED_HOSTS", "offlabel.example.org")
    sys.modules.pop("offlabel.web.config.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("offlabel.web.config.settings.production")


def test_base_settings_hash_passwords_with_argon2():
    from offlabel.web.config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "offlabel.web.config.settings.production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-check-0123456789",
        "ALLOWED_HOSTS": "offlabel.example.org",
        "OFFLABEL_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only (conftest)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

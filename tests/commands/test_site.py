import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from offlabel import __version__
from offlabel.cli import main
from tests.support.server import run_offlabel


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_every_command_has_help():
    runner = CliRunner()
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0
    names = list(main.list_commands(None))  # type: ignore[arg-type]
    assert {"serve", "demo"} <= set(names)
    for name in names:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output


def test_serve_rejects_a_bad_port():
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000" in result.output


@pytest.mark.slow
def test_demo_command_creates_the_database_and_prints_accounts(tmp_path):
    env = {
        **os.environ,
        "OFFLABEL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "offlabel.web.config.settings.base",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    first = subprocess.run(
        [sys.executable, "-m", "offlabel", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "var" / "offlabel.sqlite3").exists()
    assert "patient@offlabel.demo" in first.stdout
    assert "editor@offlabel.demo" in first.stdout
    assert "Demo loaded." in first.stdout
    second = subprocess.run(
        [sys.executable, "-m", "offlabel", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout


def _site_env(tmp_path, **extra):
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    env.update({"OFFLABEL_VAR_DIR": str(tmp_path / "var"), **extra})
    return env


def test_serve_production_without_a_secret_key_says_so_in_one_line(tmp_path):
    result = run_offlabel(["serve", "--production"], _site_env(tmp_path, ALLOWED_HOSTS="a.example"))
    assert result.returncode == 1
    assert "Error: Set the environment variable SECRET_KEY." in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_production_refuses_what_check_deploy_refuses(tmp_path):
    env = _site_env(
        tmp_path, ALLOWED_HOSTS="a.example", SECRET_KEY="s" * 60, SECURE_HSTS_SECONDS="0"
    )
    result = run_offlabel(["serve", "--production"], env)
    assert result.returncode == 1
    assert "security.W004" in result.stderr  # HSTS off
    assert "Traceback" not in result.stderr


def test_serve_without_flags_runs_with_debug_off(tmp_path):
    """Django's server, but a missing page is the site's 404, not the debug page."""
    import time
    import urllib.error
    import urllib.request

    from tests.support.server import free_port

    port = free_port()
    env = _site_env(tmp_path, DJANGO_SETTINGS_MODULE="offlabel.web.config.settings.base")
    server = subprocess.Popen(
        [sys.executable, "-m", "offlabel", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=2)
            except urllib.error.HTTPError as error:
                body = error.read().decode()
                assert error.code == 404
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert "Using the URLconf" not in body  # Django's DEBUG page
        assert "offlabel" in body
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_production_runs_gunicorn_behind_a_tls_proxy(tmp_path):
    import urllib.request

    from tests.support.server import production_server

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    with production_server(tmp_path, env, migrate=True) as server:
        base = f"http://127.0.0.1:{server.port}"
        health = urllib.request.urlopen(f"{base}/healthz", timeout=10)  # noqa: S310
        assert health.status == 200
        behind_proxy = urllib.request.Request(  # noqa: S310 - a loopback http URL
            f"{base}/", headers={"X-Forwarded-Proto": "https"}
        )
        page = urllib.request.urlopen(behind_proxy, timeout=10)  # noqa: S310
        assert page.status == 200
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        log = server.log_text()
    assert "gunicorn" in log.lower()
    assert '"logger": "offlabel.request"' in log  # the JSON request log

"""Background work runs in-process by default and on Redis-backed workers when REDIS_URL is set."""

import os
import subprocess
import sys
import uuid

import pytest
from django.core import mail

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def test_task_runs_in_process_without_redis(settings):
    from offlabel.web.accounts.tasks import send_email

    result = send_email("Hello", "Body", ["someone@example.org"])
    assert result.get() == 1
    assert mail.outbox[-1].subject == "Hello"


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


PRODUCER = """
from offlabel.commands._django import setup_django
setup_django()
from offlabel.web.accounts.tasks import send_email
result = send_email("Through Redis", "A real worker sent this.", ["worker@example.org"])
print("RESULT", result.get(blocking=True, timeout=60))
"""


def test_task_runs_on_a_real_redis_worker(tmp_path):
    if not _redis_available():
        pytest.fail(
            f"Redis is not reachable at {REDIS_TEST_URL}: start it (see RECIPES) before make test."
        )
    env = {
        **os.environ,
        "REDIS_URL": REDIS_TEST_URL,
        "OFFLABEL_QUEUE": f"offlabel-test-{uuid.uuid4().hex[:8]}",
        "DJANGO_SETTINGS_MODULE": "offlabel.web.config.settings.base",
        "OFFLABEL_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "run_huey", "--workers", "1", "--no-periodic"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        producer = subprocess.run(
            [sys.executable, "-c", PRODUCER],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    finally:
        worker.terminate()
        worker_output, _ = worker.communicate(timeout=30)
    assert producer.returncode == 0, producer.stderr
    assert "RESULT 1" in producer.stdout
    assert "Through Redis" in worker_output  # the console e-mail backend printed it in the worker

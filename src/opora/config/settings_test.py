"""Test settings: PostgreSQL when one answers (DATABASE_URL or 127.0.0.1:5432), else SQLite."""

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key")
os.environ.setdefault("OPORA_PSEUDONYM_SECRET", "test-pseudonym-secret")


def _postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


if os.environ.get("OPORA_TEST_DB") == "sqlite":
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"
elif "DATABASE_URL" not in os.environ:
    if _postgres_answers():
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/opora"
    else:
        os.environ["DATABASE_URL"] = "sqlite:///:memory:"

from opora.config.settings import *  # noqa: E402,F403
from opora.config.settings import DATABASES  # noqa: E402

DEBUG = False
OPORA_TODAY = None  # tests set the reference date themselves, never from a developer's .env
# Files the application writes (the demo truth file, uploads) go to a directory per process, so that
# tests never touch the working copy's var/ and parallel workers never share a file.
VAR_DIR = Path(tempfile.mkdtemp(prefix="opora-test-"))
atexit.register(shutil.rmtree, VAR_DIR, ignore_errors=True)
MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT = VAR_DIR / "static"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A name per process, so that parallel runs on one server never share a test database.
    DATABASES["default"]["TEST"] = {"NAME": f"opora_test_{os.getpid()}"}
TEST_DATABASE_VENDOR = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

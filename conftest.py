"""Test-wide settings from the environment, set before Django reads its settings."""

import os

# Tests run with production-like settings (DEBUG off), so a key is required.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret-" + "x" * 30)
# The test client speaks plain http; HTTPS redirect is checked by `check --deploy`.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

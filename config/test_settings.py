"""Test settings: only what tests must change."""

import os

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.channels.sms.MemoryBackend"
# A test's rows are not committed: threads with their own connections see none.
SLA_SWEEP_WORKERS = 1
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
# One test database per run, so that runs side by side (several checkouts, a
# developer beside CI) do not drop each other's database.
DATABASES["default"]["TEST"] = {"NAME": f"test_pakn_{os.getpid()}"}  # noqa: F405

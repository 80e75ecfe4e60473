"""Settings for the test suite: production settings with a throwaway secret and plain HTTP."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from internships.settings import *  # noqa: F403
from internships.settings import STORAGES

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Browsers drop `__Host-` cookies that are not Secure, and the live test server speaks plain HTTP.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
# The manifest storage needs collectstatic; tests serve the plain files instead.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Nothing is collected for tests, so there is no STATIC_ROOT folder: without this, WhiteNoise warned
# "No directory at: staticfiles/" for every test client (429 warnings a run).
STATIC_ROOT = None

"""The headers static files get, so they match pages (WhiteNoise answers before the middleware
that adds them to pages runs)."""

from django.conf import settings
from django.utils.csp import build_policy


def static_file_headers(headers, path: str, url: str) -> None:
    """WhiteNoise's WHITENOISE_ADD_HEADERS_FUNCTION; SecurityMiddleware (outermost) adds HSTS,
    nosniff, Referrer-Policy and Cross-Origin-Opener-Policy to static files and pages alike."""
    headers["Content-Security-Policy"] = build_policy(settings.SECURE_CSP)  # type: ignore[arg-type]  # the setting is the same dict the CSP middleware reads
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["Cross-Origin-Resource-Policy"] = settings.CROSS_ORIGIN_RESOURCE_POLICY
    headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY

"""gunicorn settings, read from the environment."""

import os

wsgi_app = "internships.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
errorlog = "-"
# Below the container runtime's default 10 s stop timeout, so requests finish before SIGKILL.
graceful_timeout = 8
timeout = 30
max_requests = 1000
max_requests_jitter = 100

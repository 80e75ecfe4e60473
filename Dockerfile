# syntax=docker/dockerfile:1
FROM python:3.12-slim AS build
# uv installs exactly what uv.lock pins, into /venv, with the image's own Python (no downloads).
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/venv UV_PYTHON_DOWNLOADS=never UV_PYTHON=/usr/local/bin/python3.12 \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_NO_CACHE=1
RUN pip install --quiet "uv==0.13.8"
WORKDIR /app
# The dependencies first, from the lock alone: a change to the code reuses this layer.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY internships ./internships
COPY programs ./programs
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.12-slim
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=app:app . .
# collectstatic needs no database; a throwaway key satisfies the settings at build time only.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
USER app
EXPOSE 8000
# /healthz runs one database query: 503 (unhealthy) when PostgreSQL is unreachable. Asked on
# gunicorn's health listener (HEALTH_PORT, else PORT + 1: 8001), served by a thread no page work can occupy.
EXPOSE 8001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import os, urllib.request; port = os.environ.get('HEALTH_PORT') or int(os.environ.get('PORT') or 8000) + 1; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"
CMD ["gunicorn", "--config", "gunicorn.conf.py"]

"""`make lighthouse`: Lighthouse on home, list and detail of a production-like local run.

Serves the app the way production does (DJANGO_DEBUG off, collected static files through whitenoise,
gunicorn) on a throwaway SQLite database loaded with the real fixtures, runs the npm-pinned
Lighthouse in Debian's Chromium (no browser download), and prints the four category scores.
Exits non-zero when a score is below LIGHTHOUSE_MIN (default 0: report only).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "/",
    "list": "/programmes/",
    "detail": "/programmes/uclh-hospital-shadowing-elective/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def production_like_env(port: str, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "lighthouse-throwaway-secret-not-for-any-deployment",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "PORT": port,
    }


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def audit(url: str, out: Path, attempts: int = 2) -> dict[str, int]:
    """Lighthouse now and then exits 1 with a Chrome protocol error on this 2-core machine; one
    retry, and on a second failure its own log, say whether that or the page is at fault."""
    for attempt in range(1, attempts + 1):
        result = subprocess.run(  # noqa: S603
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )
        if result.returncode == 0:
            break
        log = [line for line in result.stderr.splitlines() if "pushNodeByPath" not in line]
        print(f"lighthouse failed on {url} (attempt {attempt}):", *log[-8:], sep="\n  ")
        if attempt == attempts:
            raise SystemExit(result.returncode)
    report = json.loads(out.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                print(f"  {url} · {name}: {found['title']} ({found['score']})")
    return scores


def main() -> int:
    port = os.environ.get("LIGHTHOUSE_PORT", "8165")
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = production_like_env(port, Path(tmp) / "lighthouse.sqlite3")
        for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([python, "manage.py", "load_directory"], cwd=ROOT, env=env, check=True)  # noqa: S603
        server = subprocess.Popen(  # noqa: S603
            [
                python,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/")
            scores = {
                name: audit(base + path, Path(tmp) / f"{name}.json") for name, path in PAGES.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=15)

    print(f"\n{'page':<8}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for name, row in scores.items():
        print(f"{name:<8}" + "".join(f"{row[c]:>16}" for c in CATEGORIES))
    floor = int(os.environ.get("LIGHTHOUSE_MIN", "0"))
    low = [
        f"{page} {c} {row[c]}" for page, row in scores.items() for c in CATEGORIES if row[c] < floor
    ]
    if low:
        print(f"Below {floor}: " + ", ".join(low), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

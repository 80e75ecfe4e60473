"""The production stack for the proxy-cache tests: nginx (deploy/nginx.conf) → gunicorn (2 threaded
workers, production settings: `__Host-` cookies) → SQLite seeded with the fixtures, private Redis;
and a small HTTP client that speaks to it the way browsers and attackers do (any Host header, an
absolute request line, cookies sent back by name whatever their Secure flag)."""

from __future__ import annotations

import gzip
import http.client
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from deploy.stack import Stack

EDITOR = "proxy-editor"
EDITOR_PASSWORD = "a-long-editor-password-9"  # noqa: S105 (a throwaway stack's login)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str
    started: float = 0.0
    finished: float = 0.0

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""


def fetch(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
    timeout: float = 20,
) -> Answer:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(
            method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True
        )
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        data = body.encode() if body is not None else None
        if data is not None:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    if "gzip" in response.getheader("Content-Encoding", ""):
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", "replace")
    return Answer(response.status, response.headers, text, started, time.monotonic())


@dataclass
class Visitor:
    """Someone with cookies: keeps every cookie the site sets (by name, `__Host-` ones too)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def _cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _keep(self, answer: Answer) -> None:
        for line in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)

    def get(self, path: str) -> Answer:
        answer = fetch(self.port, path, headers=self._cookie_header())
        self._keep(answer)
        return answer

    def post(self, path: str, data: dict[str, str | list[str]]) -> Answer:
        headers = {**self._cookie_header(), "Content-Type": "application/x-www-form-urlencoded"}
        answer = fetch(self.port, path, method="POST", headers=headers, body=urlencode(data, True))
        self._keep(answer)
        return answer

    def token(self, path: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path).body)
        assert found, f"no form token on {path}"
        return found.group(1)

    def sign_in(self, username: str = EDITOR, password: str = EDITOR_PASSWORD) -> Visitor:
        token = self.token("/admin/login/")
        answer = self.post(
            "/admin/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password,
             "next": "/admin/"},
        )  # fmt: skip
        assert answer.status == 302, answer.body[:500]
        return self

    def admin_action(self, action: str, pks: list[int]) -> Answer:
        changelist = "/admin/programs/programme/"
        token = self.token(changelist)
        answer = self.post(
            changelist,
            {"csrfmiddlewaretoken": token, "action": action, "_selected_action": [str(p) for p in pks],
             "index": "0"},
        )  # fmt: skip
        assert answer.status == 302, answer.body[:500]
        return answer

    def delete(self, pk: int) -> Answer:
        path = f"/admin/programs/programme/{pk}/delete/"
        answer = self.post(path, {"csrfmiddlewaretoken": self.token(path), "post": "yes"})
        assert answer.status == 302, answer.body[:500]
        return answer


def start_stack(database_url: str, port: int) -> Stack:
    stack = Stack(database_url, port=port, extra_env={"PROXY_EDITOR_PASSWORD": EDITOR_PASSWORD})
    stack.start()
    try:
        stack.manage(
            "create_adviser", EDITOR, "editor@example.org", "--editor",
            "--password-from-env", "PROXY_EDITOR_PASSWORD",
        )  # fmt: skip
    except Exception:
        stack.stop()
        raise
    return stack


def programmes(stack: Stack) -> list[tuple[int, str, str]]:
    """(pk, slug, title) of every published programme, in pk order, read through the stack's own
    settings (a separate process: the tests' database is not the stack's)."""
    code = (
        "import django; django.setup(); from programs.models import Programme; "
        "[print(p.pk, p.slug, p.title, sep='\\t') for p in "
        "Programme.objects.published().order_by('pk')]"
    )
    out = stack.manage("shell", "-c", code).stdout
    rows = [line.split("\t") for line in out.splitlines() if line.count("\t") == 2]
    return [(int(pk), slug, title) for pk, slug, title in rows]

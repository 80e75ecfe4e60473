"""The production stack on loopback: nginx → gunicorn (2 threaded workers) → PostgreSQL, with a
private Redis. Used by `make prod-local` and the reliability suite (tests/reliability/).

Every process is started here and stopped by its own pid; nothing else on the machine is touched.
A private PostgreSQL cluster (`PrivateCluster`) can be started for outage tests, so the shared
server on 5432 is never stopped.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
SECRET = "prod-local-only-secret-key-3b8e6f1a9c2d4e7f0a5b8c1d3e6f9a2b4c7d0e3f"  # noqa: S105


def free_port() -> int:
    """A loopback TCP port nothing listens on now, outside the kernel's ephemeral range (below), so
    that two test runs on one machine never start their private servers on the same port."""
    return free_block(1)


# Ports the kernel never hands out by itself (below /proc/sys/net/ipv4/ip_local_port_range's
# 32768): a port picked from its ephemeral range can be taken, between the pick and the bind, by any
# outgoing connection or `live_server` of a parallel test (CI saw gunicorn's port taken so).
PRIVATE_PORTS = range(20000, 32000)


def free_block(size: int) -> int:
    """A free port with the `size - 1` ports after it free too (a stack listens on consecutive
    ports: nginx, gunicorn, Redis), outside the kernel's ephemeral range."""
    chooser = random.SystemRandom()
    for _ in range(200):
        port = chooser.randrange(PRIVATE_PORTS.start, PRIVATE_PORTS.stop - size)
        try:
            for offset in range(size):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return port
    raise RuntimeError("no block of free ports")


def wait_for_port(
    port: int,
    seconds: float = 60.0,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
) -> None:
    """Wait until something listens on `port`; when the `process` that should listen there ends
    first, say so at once with the end of its `log`, rather than after the whole wait."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    f"process {process.pid} ended (exit {process.returncode}) before listening on "
                    f"127.0.0.1:{port}; its log:\n{_tail(log)}"
                ) from None
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s\n{_tail(log)}")


def _tail(log: Path | None, lines: int = 30) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.kill(process.pid, signal.SIGCONT)  # a paused process cannot act on SIGTERM
        process.send_signal(sig)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def render_nginx(
    prefix: Path, listen: int, upstream: int, health: int = 0, canonical_host: str = ""
) -> Path:
    """deploy/nginx.conf for loopback; the canonical host is 127.0.0.1 on nginx's port. `health`
    is gunicorn's health listener (its upstream's port when there is none)."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    # nginx's workers (`nobody` when started as root) write the cache and temp files: they must be
    # able to reach them through the private folders tempfile made (0700).
    for folder in (prefix, *prefix.parents):
        if folder == Path(tempfile.gettempdir()):
            break
        folder.chmod(0o711)
    text = (
        TEMPLATE.read_text()
        .replace("@PREFIX@", str(prefix))
        .replace("@LISTEN@", f"127.0.0.1:{listen}")
        .replace("@UPSTREAM@", f"127.0.0.1:{upstream}")
        .replace("@HEALTH_UPSTREAM@", f"127.0.0.1:{health or upstream}")
        .replace("@FORWARDED_PROTO@", "$scheme")
        .replace("@CANONICAL_HOST@", canonical_host or f"127.0.0.1:{listen}")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    return conf


@dataclass
class Stack:
    """nginx on `port`, gunicorn on `port + 1`, Redis on `port + 2`, gunicorn's health listener
    on `port + 3` (take the ports from `free_block(4)`)."""

    database_url: str
    port: int = 8180
    workers: int = 2
    redis: bool = True
    # `manage.py db_worker`, which runs large admin imports; the fault runs do without it.
    task_worker: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="stack-")))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def redis_port(self) -> int:
        return self.port + 2

    @property
    def health_port(self) -> int:
        return self.port + 3

    def env(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
        env = {
            **clean,
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_PROXY_COUNT": "1",
            "DATABASE_URL": self.database_url,
            "DJANGO_STATICFILES_BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port + 1}",
            "GUNICORN_HEALTH_BIND": f"127.0.0.1:{self.health_port}",
            **self.extra_env,
        }
        if self.redis:
            env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        return env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            check=check,
        )

    def start_redis(self) -> None:
        redis = shutil.which("redis-server") or "redis-server"
        self.processes["redis"] = subprocess.Popen(  # noqa: S603
            [
                redis,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--maxmemory",
                "128mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            stdout=(self.folder / "redis.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for_port(
            self.redis_port, process=self.processes["redis"], log=self.folder / "redis.log"
        )

    def start(self, seed: bool = True) -> Stack:
        if self.redis:
            self.start_redis()
        if seed:
            self.manage("migrate", "--noinput")
            self.manage("load_directory", "--only-if-empty")
        self.manage("collectstatic", "--noinput")
        log = (self.folder / "gunicorn.log").open("w")
        self.processes["gunicorn"] = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--access-logfile", "-"],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(
            self.port + 1, process=self.processes["gunicorn"], log=self.folder / "gunicorn.log"
        )
        self.wait_until_answering()
        if self.task_worker:
            self.start_worker()
        conf = render_nginx(self.folder / "nginx", self.port, self.port + 1, self.health_port)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.processes["nginx"] = subprocess.Popen(  # noqa: S603
            [nginx, "-c", str(conf), "-p", str(conf.parent), "-e", "stderr"],
            stderr=(self.folder / "nginx.log").open("w"),
        )
        wait_for_port(self.port, process=self.processes["nginx"], log=self.folder / "nginx.log")
        return self

    def start_worker(self) -> subprocess.Popen:
        self.processes["worker"] = subprocess.Popen(  # noqa: S603
            [str(BIN / "python"), "manage.py", "db_worker", "--no-reload"],
            cwd=ROOT,
            env=self.env(),
            stdout=(self.folder / "worker.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        return self.processes["worker"]

    def restart_worker_if_it_ended(self) -> str:
        """What a supervisor does (compose's `restart: unless-stopped`, systemd's
        `Restart=always`): a worker that ended is started again; says so, else ''. The new
        worker marks failed the task the old one was running (its db_worker command)."""
        worker = self.processes.get("worker")
        if worker is None or worker.poll() is None:
            return ""
        new = self.start_worker()
        return f"db_worker (pid {worker.pid}) ended (exit {worker.returncode}); restarted as pid {new.pid}"

    def wait_until_answering(self, seconds: float = 90.0) -> None:
        """Until a gunicorn worker answers /healthz (any status: the database may be down on
        purpose). The master listens before its workers have loaded Django, so a request sent
        at once waited for that, seconds on a busy machine."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.health_port), timeout=5) as conn:
                    conn.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if conn.recv(12).startswith(b"HTTP/"):
                        return
            except OSError:
                pass
            if self.processes["gunicorn"].poll() is not None:
                break
            time.sleep(0.2)
        raise TimeoutError(f"gunicorn does not answer\n{_tail(self.folder / 'gunicorn.log')}")

    def pause_redis(self) -> None:
        os.kill(self.processes["redis"].pid, signal.SIGSTOP)

    def resume_redis(self) -> None:
        os.kill(self.processes["redis"].pid, signal.SIGCONT)

    def stop_redis(self) -> None:
        stop(self.processes.pop("redis", None))

    def stop(self) -> None:
        for name in ("nginx", "worker", "gunicorn", "redis"):
            stop(self.processes.pop(name, None), signal.SIGQUIT if name == "nginx" else 15)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class PrivateCluster:
    """A throwaway PostgreSQL cluster on its own port (run as the postgres user), for outages."""

    port: int = 5499
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pg-")))

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _bin(self, name: str) -> str:
        found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
        if not found:
            raise FileNotFoundError(f"PostgreSQL's {name} is not installed")
        return str(found[-1])

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(  # noqa: S603
            ["runuser", "-u", "postgres", "--", *args],  # noqa: S607
            check=True,
            capture_output=True,
        )

    def create(self) -> PrivateCluster:
        shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        self._as_postgres(self._bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
        return self.start()

    def start(self) -> PrivateCluster:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            self._bin("pg_ctl"), "-D", str(self.folder / "data"), "-o", options,
            "-l", str(self.folder / "log"), "-w", "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        self._as_postgres(
            self._bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"
        )

    def drop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """`make prod-local`: the stack on loopback with the local PostgreSQL, until Ctrl-C or SIGTERM."""
    port = int(os.environ.get("PROD_LOCAL_PORT", "8180"))
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/internships_local"
    )
    ensure_database(database_url)
    stack = Stack(database_url, port=port, task_worker=True)
    # `kill` (SIGTERM, which make passes on to this process) and a closed terminal (SIGHUP) stop the
    # stack as Ctrl-C does. Python's default for both ends this process at once and leaves nginx,
    # gunicorn, Redis and the worker running; installed before start(), so a signal during start-up
    # stops what has started.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        stack.start()
        pids = ", ".join(f"{name} {p.pid}" for name, p in stack.processes.items())
        print(
            f"Serving {stack.url} (nginx → gunicorn → {database_url}, db_worker, restarted if it "
            f"ends); pids: {pids}. Ctrl-C stops.",
            flush=True,
        )
        while True:
            time.sleep(1)  # a signal interrupts it (KeyboardInterrupt, above)
            restarted = stack.restart_worker_if_it_ended()
            if restarted:
                print(restarted, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second signal must not cut the clean-up short
        stack.stop()


def ensure_database(database_url: str) -> None:
    """Create the named PostgreSQL database if it is missing (SQLite needs nothing)."""
    if not database_url.startswith("postgres"):
        return
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()

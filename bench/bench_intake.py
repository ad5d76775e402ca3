"""Signal intake under load: the quick-log form against its floors, same server, same run.

Starts, on loopback only: a throwaway PostgreSQL database, a Celery worker on the `scrub`
queue (the de-identification worker, as in production), and gunicorn with the product's
settings (DEBUG off). Then `wrk` (Debian package) drives, for the same duration and
concurrency, all as a logged-in professional through the same middleware:

  (a) GET of a bare Django view (no work)
  (b) POST floor: a view that validates a plain Django form with the quick-log's fields
      and saves one row (bench/urls_bench.py)
  (c) POST of the quick-log form: stores the signal with its text sealed, queues the
      scrub on the worker and answers with a redirect to the confirm page (the POST
      does not wait for the scrubber; issue 17 item 1)
  (d) GET floor: a bare render of that plain form (`{{ form.as_div }}`)
  (e) GET of the empty quick-log form
  (f) GET of the confirm page's status fragment, which the page fetches until the
      text is scrubbed (for information; no target)

Prints requests per second of each and, as its last line,
`intake_ratio=(c)/(b) form_get_ratio=(e)/(d)` (issue 17's targets: both >= 0.5).
Removes everything after.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/bench_intake.py [--seconds 15] [--connections 8] [--workers 2] \\
        [--database NAME] [--port 8799] [--scrub-nice 10]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8799
TEXT = (
    "Mevrouw Jansen (06-12345678) zit sinds de sluiting van het buurthuis veel "
    "alleen thuis, net als andere ouderen in de flat."
)


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(
        cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def wrk(url: str, *, seconds: int, connections: int, script: Path | None) -> float:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    print(out)
    if "Non-2xx or 3xx responses" in out:
        print(f"WARNING: {url} answered with errors (see above)")
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise SystemExit("wrk printed no Requests/sec")


def lua_script(*, method: str, body: str | None, cookie: str) -> Path:
    """A wrk script sending the logged-in professional's cookies (and a body)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(f'wrk.method = "{method}"\n')
        if body is not None:
            lua.write(f"wrk.body = {json.dumps(body)}\n")
            lua.write(
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            )
        lua.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
    return Path(lua.name)


SETUP = """
import datetime, json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.mfa import totp_activate
from accounts.models import Role, Team, User
from signalen.models import Bron, Categorie, Doelgroep
from wijken.models import Gemeente, Wijk
g = Gemeente.objects.create(code="GM9990", name="Benchstad", is_demo=True)
w = Wijk.objects.create(code="WK999001", name="Benchwijk", gemeente=g)
u = User.objects.create_user("bench@example.nl", "x" * 20, display_name="Bench",
                             role=Role.PROFESSIONAL)
totp_activate(user=u, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
t = Team.objects.create(name="Benchteam", gemeente=g)
t.wijken.add(w); t.members.add(u)
s = SessionStore()
s[SESSION_KEY] = str(u.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = u.get_session_auth_hash()
s.create()
print(json.dumps({
    "session": s.session_key, "wijk": w.pk,
    "categorie": Categorie.objects.filter(is_active=True).first().pk,
    "doelgroep": Doelgroep.objects.filter(is_active=True).first().pk,
    "bron": Bron.objects.filter(is_active=True).first().pk,
    "today": datetime.date.today().isoformat(),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database",
        help="name of the throwaway database (default: a random one); it must not "
        "exist yet, and is dropped at the end",
    )
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port")
    parser.add_argument(
        "--scrub-nice",
        type=int,
        default=0,
        help="run the scrub worker at this CPU niceness (0: as the web workers); "
        "its scrubbing and embedding after the POSTs then yield to the requests",
    )
    args = parser.parse_args()
    port = args.port
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    base_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not base_url.startswith("postgres") or not redis_url:
        raise SystemExit(
            "Set DATABASE_URL (PostgreSQL) and REDIS_URL; see the docstring."
        )

    import psycopg

    name = args.database or f"bw_bench_intake_{uuid.uuid4().hex[:6]}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"--database {name!r}: use lower-case letters, digits and _")
    admin = psycopg.connect(base_url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(base_url)
    db_url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": tempfile.mkdtemp(),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        run([sys.executable, "manage.py", "migrate", "-v", "0"], env)
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        ids = json.loads(
            run(
                [sys.executable, "manage.py", "shell", "--no-imports", "-c", SETUP], env
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    *(["nice", "-n", str(args.scrub_nice)] if args.scrub_nice else []),
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "buurtwijs",
                    "worker",
                    "-Q",
                    "scrub",
                    "--pool",
                    "solo",
                    "--loglevel",
                    "WARNING",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "buurtwijs.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        wait_for(f"http://127.0.0.1:{port}/bench/bare/")
        # One POST first: the scrub worker loads deduce (seconds) before it answers.
        csrf = uuid.uuid4().hex  # a 32-character secret is a valid unmasked token
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "wijk": ids["wijk"],
                "buurt": "",
                "categorie": ids["categorie"],
                "doelgroepen": ids["doelgroep"],
                "bron": ids["bron"],
                "text": TEXT,
                "households_estimate": "3",
                "observed_on": ids["today"],
            }
        )
        cookie = f"sessionid={ids['session']}; csrftoken={csrf}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/signalen/nieuw/",
            data=body.encode(),
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        # The POST answers at once (a redirect to the confirm page); the page shows the
        # scrubbed text once the worker, which loads deduce first, has done it.
        confirm_url = urllib.request.urlopen(request, timeout=30).geturl()  # noqa: S310
        status_url = confirm_url.rstrip("/") + "/stand/"
        poll = urllib.request.Request(status_url, headers={"Cookie": cookie})  # noqa: S310
        for _ in range(120):
            page = urllib.request.urlopen(poll, timeout=30).read().decode()  # noqa: S310
            if "[TELEFOON]" in page:
                break
            time.sleep(1)
        else:
            raise SystemExit("The scrub worker never scrubbed the quick-log's signal.")
        common = {"seconds": args.seconds, "connections": args.connections}
        local = f"http://127.0.0.1:{port}"
        post_script = lua_script(method="POST", body=body, cookie=cookie)
        get_script = lua_script(method="GET", body=None, cookie=cookie)
        bare = wrk(f"{local}/bench/bare/", script=get_script, **common)
        save_floor = wrk(f"{local}/bench/form-save/", script=post_script, **common)
        post = wrk(f"{local}/signalen/nieuw/", script=post_script, **common)
        get_floor = wrk(f"{local}/bench/form/", script=get_script, **common)
        get = wrk(f"{local}/signalen/nieuw/", script=get_script, **common)
        status = wrk(status_url, script=get_script, **common)
        web_peaks = [peak_rss_mb(child) for child in children(processes[1].pid)]
        scrub_peak = peak_rss_mb(processes[0].pid)
        stored = run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from signalen.models import Signaal; print(Signaal.objects.count())",
            ],
            env,
        ).strip()
        print(
            f"gunicorn workers={args.workers}, wrk connections={args.connections}, "
            f"{args.seconds} s each, one scrub worker (solo, nice {args.scrub_nice})"
        )
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"(a) bare view                  {bare:10.1f} req/s")
        print(f"(b) POST floor: form + 1 row   {save_floor:10.1f} req/s")
        print(f"(c) quick-log POST             {post:10.1f} req/s")
        print(f"(d) GET floor: plain form      {get_floor:10.1f} req/s")
        print(f"(e) quick-log GET              {get:10.1f} req/s")
        print(f"(f) confirm status fragment    {status:10.1f} req/s")
        print(f"signals stored: {stored}")
        print(
            "peak memory: gunicorn web workers "
            + ", ".join(f"{mb:.0f} MB" for mb in web_peaks)
            + f"; scrub worker {scrub_peak:.0f} MB (holds deduce)"
        )
        print(
            f"intake_ratio={post / save_floor:.3f} form_get_ratio={get / get_floor:.3f}"
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [name],
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


if __name__ == "__main__":
    main()

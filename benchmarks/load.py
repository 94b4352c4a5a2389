"""Load: logged-in readers and an editor against gunicorn on the loopback.

    .venv/bin/python benchmarks/load.py                          # SQLite file in a temp dir, 30 s
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seiyo_load \\
      .venv/bin/python benchmarks/load.py                        # PostgreSQL: the database is EMPTIED
    .venv/bin/python benchmarks/load.py --seconds 5              # the short run the test suite makes

The database is migrated, emptied and loaded with the 2022-11-01 meeting's data; one reader and
one editor account are made. gunicorn serves the app as the README's production recipe does
(``--workers 3`` on 127.0.0.1; DEBUG off; the test settings only for plain static files and fast
password hashing). ``--readers`` clients (50) log in, each in its own session, and read the
dashboard and the pages (schedule, items, initiatives, meetings, a past date) back to back; the
editor logs in and saves the item キャッシュレス through the admin's change form once a second
(GET the form, POST it with the budget changed). Prints requests per second, latency percentiles
and every error (any status other than 200 for a page or 302 for a save, any failed request);
the exit status is 1 if there was any error.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = secrets.token_urlsafe(16)
SETTINGS = "seiyo_dx.settings_test"


def server_env(database_url: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SEIYO_WESTERN_YEAR_ALONGSIDE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(database_url: str) -> dict:
    """In a child process: an emptied, migrated database with the source data and two users."""
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from core.roles import EDITORS, VIEWERS, sync_roles
from core.seed import load_source_data
from django.contrib.auth.models import Group
from meetings.models import Meeting
from projects.models import Initiative, ScheduleItem
call_command("migrate", verbosity=0)
call_command("flush", interactive=False, verbosity=0)
sync_roles()
load_source_data()
User = get_user_model()
reader = User.objects.create_user("load-reader", password={PASSWORD!r}, last_name="閲覧")
reader.groups.add(Group.objects.get(name=VIEWERS))
editor = User.objects.create_user("load-editor", password={PASSWORD!r}, is_staff=True)
editor.groups.add(Group.objects.get(name=EDITORS))
items = list(ScheduleItem.objects.order_by("pk").values_list("pk", flat=True))
initiative = Initiative.objects.order_by("pk").values_list("pk", flat=True).first()
meeting = Meeting.objects.order_by("pk").values_list("pk", flat=True).first()
pages = ["/", "/?as_of=2022-11-01", reverse("projects:schedule"),
         reverse("projects:schedule") + "?q=%E7%AA%93%E5%8F%A3",
         reverse("projects:initiatives"), reverse("projects:initiative", args=[initiative]),
         reverse("meetings:list"), reverse("meetings:detail", args=[meeting]),
         *[reverse("projects:item", args=[pk]) for pk in items[:5]]]
edited = ScheduleItem.objects.get(name="キャッシュレス").pk
print(json.dumps({{"pages": pages, "edit": f"/admin/projects/scheduleitem/{{edited}}/change/"}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=server_env(database_url),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "seiyo_dx.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=server_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn did not start:\n" + process.stderr.read()[-3000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not listen within 60 s")


class Browser:
    """One user's session: cookies kept, a new connection per request (gunicorn's sync
    workers close it after each response)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content, response.getheader("Location", "")
        finally:
            connection.close()

    def login(self, username: str) -> None:
        status, content, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
        status, _, location = self.request(
            "POST",
            "/accounts/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.decode(),
            },
        )
        if status != 302 or "login" in location:
            raise SystemExit(f"login of {username} failed: {status} {location}")


class FormFields(HTMLParser):
    """The fields a browser would send from the form with id ``form_id``."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.fields += [(self._select, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None, path: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_path.setdefault(path, []).append(seconds)
            if error:
                self.errors.append(error)


def reader(port, pages, stop: dict, tally: Tally, ready: threading.Barrier, seed: int) -> None:
    browser = Browser(port)
    browser.login("load-reader")
    ready.wait()
    chooser = random.Random(seed)
    while time.monotonic() < stop["at"]:
        path = chooser.choice(pages)
        started = time.perf_counter()
        try:
            status, _, _ = browser.request("GET", path)
            error = None if status == 200 else f"{status} GET {path}"
        except Exception as exc:
            error = f"{type(exc).__name__} GET {path}: {exc}"
        tally.record(time.perf_counter() - started, error, path)


def editor(port, edit_path, stop: dict, tally: Tally, ready: threading.Barrier) -> None:
    browser = Browser(port)
    browser.login("load-editor")
    ready.wait()
    amounts = (8801, 8800)
    n = 0
    next_at = time.monotonic()
    while next_at < stop["at"]:
        time.sleep(max(0.0, next_at - time.monotonic()))
        next_at += 1.0
        started = time.perf_counter()
        try:
            status, content, _ = browser.request("GET", edit_path)
            if status != 200:
                raise RuntimeError(f"{status} GET {edit_path}")
            form = FormFields("scheduleitem_form")
            form.feed(content.decode())
            fields = [
                (k, str(amounts[n % 2]) if k == "budget_lines-0-amount" else v)
                for k, v in form.fields
                if "__prefix__" not in k
            ]
            fields.append(("_save", "保存"))
            body: dict[str, list[str]] = {}
            for k, v in fields:
                body.setdefault(k, []).append(v)
            status, content, _location = browser.request("POST", edit_path, body)
            error = None
            if status != 302:
                found = re.findall(rb'class="errorlist[^"]*"[^>]*><li>([^<]*)', content)
                error = f"{status} POST {edit_path} {[e.decode() for e in found][:3]}"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        n += 1
        tally.record(time.perf_counter() - started, error)


def percentiles(values: list[float]) -> str:
    if not values:
        return "no requests"
    ms = sorted(v * 1000 for v in values)

    def at(p: float) -> float:
        return ms[min(len(ms) - 1, round(p / 100 * (len(ms) - 1)))]

    return (
        f"p50 {at(50):.0f} ms, p90 {at(90):.0f} ms, p95 {at(95):.0f} ms, "
        f"p99 {at(99):.0f} ms, max {ms[-1]:.0f} ms (mean {statistics.mean(ms):.0f} ms)"
    )


def run(database_url: str, seconds: float, readers: int, workers: int, verbose=False) -> int:
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    plan = prepare(database_url)
    port = free_port()
    server = start_gunicorn(database_url, port, workers)
    try:
        reads, saves = Tally(), Tally()
        # Every client logs in first; the clock starts when all have (the barrier), and the
        # clients read ``stop["at"]``, set just before the barrier opens.
        ready = threading.Barrier(
            readers + 2, action=lambda: stop.update(at=time.monotonic() + seconds)
        )
        stop = {"at": float("inf")}
        threads = [
            threading.Thread(
                target=reader, args=(port, plan["pages"], stop, reads, ready, i), daemon=True
            )
            for i in range(readers)
        ]
        threads.append(
            threading.Thread(
                target=editor, args=(port, plan["edit"], stop, saves, ready), daemon=True
            )
        )
        for thread in threads:
            thread.start()
        ready.wait()
        started = time.monotonic()
        for thread in threads:
            thread.join(seconds + 300)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(30)
    total = len(reads.latencies) + len(saves.latencies)
    errors = reads.errors + saves.errors
    print(
        f"{vendor}: {readers} readers + 1 editor for {seconds:g} s, gunicorn --workers {workers} "
        f"on 127.0.0.1 ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  pages: {len(reads.latencies)} requests, {len(reads.latencies) / elapsed:.1f} req/s; "
        f"{percentiles(reads.latencies)}"
    )
    print(f"  saves: {len(saves.latencies)} (GET form + POST), {percentiles(saves.latencies)}")
    print(f"  total: {total / elapsed:.1f} req/s; errors: {len(errors)}")
    if verbose:
        for path, values in sorted(reads.by_path.items()):
            print(
                f"    {path}: {len(values)} requests, median {statistics.median(values) * 1000:.0f} ms"
            )
    for error in errors[:20]:
        print(f"    {error}")
    return 1 if errors or not reads.latencies or not saves.latencies else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--per-page", action="store_true", help="median latency of each page")
    args = parser.parse_args(argv)
    options = (args.seconds, args.readers, args.workers, args.per_page)
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        return run(database_url, *options)
    with tempfile.TemporaryDirectory(prefix="seiyo-load-") as tmp:
        return run(f"sqlite:///{tmp}/load.sqlite3", *options)


if __name__ == "__main__":
    sys.exit(main())

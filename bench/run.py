"""Load the running server with wrk, page by page, and report against the floor.

    .venv/bin/python bench/run.py --base-url http://127.0.0.1:8123 --gunicorn-pid 4242 \\
        --dataset bench/results/dataset.json --out bench/results.json

scripts/bench.sh (make bench) starts the server and calls this; it needs no Django
(the SMS measurements run bench/sms.py, which does, with the same environment).

Each measurement is a function registered with @measurement: it gets the Context
(base URL, data set, load settings, the memory sampler) and returns a dict that is
merged into results.json, plus the lines it prints. "pages" measures every page
against the floor (/floor/: base template and middleware, no database work);
"checkin" posts a burst of quick check-ins at one activity's door and checks that
the organiser's count shows each person exactly once; "sms reminders" queues a day's
10,000 reminder SMS (bench/sms.py, in its own process) while pages are loaded; "code
burst" checks that the log-in code rate limits hold; "memory" reports the peak
resident memory of the gunicorn workers over the whole run. A new measurement (say,
the peak memory of a ledger export) is one more function: wrap its requests in
``with ctx.memory.window() as peak:`` to get the workers' peak while it ran.
"""

import argparse
import contextlib
import datetime
import html
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE / "report.lua"
FLOOR_DRIFT_WARN = 0.15


# --- Worker memory ----------------------------------------------------------------


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (the gunicorn workers of a master)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except OSError:
        pass
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may contain spaces and parentheses: split after the last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def status_kib(pid: int, key: str) -> int:
    """A "VmRSS"/"VmHWM" line of /proc/<pid>/status in KiB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler:
    """Samples the resident memory (RSS) of every worker of a gunicorn master.

    RSS counts pages shared with the master after fork too: it is what the kernel
    must find for each worker, an upper bound of its own cost.
    """

    def __init__(self, master_pid: int, interval: float = 0.1):
        self.master_pid = master_pid
        self.interval = interval
        self.peak_kib = 0
        self.workers_seen: set[int] = set()
        self._windows: list[list[int]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> int:
        pids = children(self.master_pid)
        rss = max((status_kib(pid, "VmRSS") for pid in pids), default=0)
        with self._lock:
            self.workers_seen.update(pids)
            self.peak_kib = max(self.peak_kib, rss)
            for window in self._windows:
                window[0] = max(window[0], rss)
        return rss

    def _loop(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()

    @contextlib.contextmanager
    def window(self):
        """``with sampler.window() as peak:`` ... then ``peak[0]`` is the peak in KiB."""
        peak = [0]
        with self._lock:
            self._windows.append(peak)
        try:
            yield peak
        finally:
            self.sample()
            with self._lock:
                self._windows.remove(peak)

    def high_water_kib(self) -> int:
        """The kernel's own peak (VmHWM) of the workers still alive, and our samples."""
        hwm = max((status_kib(pid, "VmHWM") for pid in children(self.master_pid)), default=0)
        return max(hwm, self.peak_kib)


# --- Load -------------------------------------------------------------------------


@dataclass
class Load:
    duration: int = 10  # seconds per page
    warmup: int = 2  # seconds per page, not counted
    threads: int = 2
    connections: int = 8
    timeout: int = 10  # seconds before wrk counts a request as timed out


@dataclass
class Page:
    name: str
    path: str
    cookie: str = ""  # "name=value" for pages that need a logged-in user
    expect: int = 200
    # Every request a new address (report.lua, WRK_FRESH): what a page kept for its
    # reader (core/pagecache.py, kept_per_person) costs when it is rendered, as after
    # every write. Measured beside the page as served; no target applies to it.
    fresh: bool = False


@dataclass
class Figures:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: dict
    error_count: int
    peak_worker_rss_mib: float = 0.0


def fetch_status(url: str, cookie: str = "") -> int:
    """One request without following redirects: the page's own status."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk_command(
    url: str, load: Load, seconds: int, cookie: str = "", threads: int = 0, connections: int = 0
) -> list[str]:
    command = [
        "wrk",
        f"--threads={threads or load.threads}",
        f"--connections={connections or load.connections}",
        f"--duration={seconds}s",
        f"--timeout={load.timeout}s",
        f"--script={WRK_SCRIPT}",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    command.append(url)
    return command


def wrk_figures(url: str, stdout: str, stderr: str) -> dict:
    for line in stdout.splitlines():
        if line.startswith("WRK-JSON "):
            return json.loads(line.removeprefix("WRK-JSON "))
    raise RuntimeError(f"wrk gave no figures for {url}:\n{stdout}\n{stderr}")


def wrk(url: str, load: Load, seconds: int, cookie: str = "", fresh: bool = False) -> dict:
    done = subprocess.run(
        wrk_command(url, load, seconds, cookie),
        capture_output=True,
        text=True,
        timeout=seconds + load.timeout + 30,
        check=False,
        env={**os.environ, "WRK_FRESH": "1" if fresh else "0"},
    )
    return wrk_figures(url, done.stdout, done.stderr)


def figures(raw: dict) -> Figures:
    seconds = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    errors = raw["errors"]
    return Figures(
        requests=raw["requests"],
        seconds=round(seconds, 2),
        rps=round(raw["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=round(latency["p50"] / 1000, 2),
        p95_ms=round(latency["p95"] / 1000, 2),
        p99_ms=round(latency["p99"] / 1000, 2),
        max_ms=round(latency["max"] / 1000, 2),
        errors=errors,
        # HTTP statuses >= 400, timeouts and socket errors all count: a healthy run
        # has none (gunicorn's sync workers close each connection cleanly).
        error_count=sum(errors.values()),
    )


# --- Measurements -------------------------------------------------------------------


@dataclass
class Context:
    base_url: str
    dataset: dict
    load: Load
    memory: MemorySampler
    failures: list[str] = field(default_factory=list)
    only: list[str] | None = None  # the measurements asked for with --only
    workers: int = 2  # gunicorn's, for the rate limits counted per worker
    measured: dict = field(default_factory=dict)  # "pages" leaves its rows for "targets"
    # Targets missed: the run is still a valid measurement (its results are written,
    # with each target's figure), but it exits with status 1.
    missed: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def staff_cookie(self) -> str:
        cookie = self.dataset.get("staff_cookie")
        return f"{cookie['name']}={cookie['value']}" if cookie else ""


MEASUREMENTS = {}


def measurement(name):
    def register(function):
        MEASUREMENTS[name] = function
        return function

    return register


# Signed-in pages kept until the next write (core/pagecache.py: kept_per_person, and the
# proposal list's results, a fragment shared by everyone who reads the same address):
# each is measured as served and again rendered on every request ("… rendered"). The
# list's 20,000-against-200 target is read on the rendered lists.
RENDERED_TWINS = {
    "proposals small (resident)",
    "proposals large (resident)",
    "directory (staff)",
    "plan (staff)",
    "board (staff)",
    "project (staff)",
    "me (resident)",
    "me (partner)",
    "todo (area staff)",
    "todo (secretariat)",
}


def with_rendered(pages: list[Page]) -> list[Page]:
    """The pages, each kept one followed by its twin rendered on every request."""
    found = []
    for page in pages:
        found.append(page)
        if page.name in RENDERED_TWINS:
            found.append(replace(page, name=f"{page.name} rendered", fresh=True))
    return found


def bench_pages(ctx: Context) -> list[Page]:
    """The pages to measure, the floor first."""
    slug = ctx.dataset["town"]["slug"]
    area = ctx.dataset["area"]["pk"]
    query = quote(ctx.dataset["search"])
    town = f"/t/{slug}"
    pages = [Page("floor", "/floor/")]
    if ctx.dataset["towns"] > 1:
        # With a single town the home page only redirects to it.
        pages.append(Page("home", "/"))
    pages += [
        Page("town", f"{town}/"),
        Page("area list", f"{town}/areas/"),
        Page("area list p2", f"{town}/areas/?page=2"),
        Page("area search", f"{town}/areas/?q={query}"),
        Page("area detail", f"{town}/areas/{area}/"),
        Page("login", "/accounts/login/"),
    ]
    if ctx.staff_cookie():
        pages.append(
            Page("residents (staff)", f"{town}/areas/{area}/residents/", ctx.staff_cookie())
        )
    partners, units = ctx.dataset.get("partners"), ctx.dataset.get("units")
    if partners and units:
        # The talent pool and the 1+5+n organisation (data sets from before they
        # existed have neither). Staff see the directory with unmasked contacts.
        pages += [
            Page("directory", f"{town}/partners/"),
            Page("directory mode", f"{town}/partners/?mode={partners['mode']}"),
            Page("directory p2", f"{town}/partners/?page=2"),
            Page("partner", f"{town}/partners/{partners['pk']}/"),
            Page("org chart", f"{town}/organisation/"),
            Page("team", f"{town}/organisation/{units['team']}/"),
        ]
        if ctx.staff_cookie():
            pages.append(Page("directory (staff)", f"{town}/partners/", ctx.staff_cookie()))
    pages += deliberation_pages(ctx)
    pages += planning_pages(ctx)
    pages += project_pages(ctx)
    pages += report_pages(ctx)
    pages += journey_pages(ctx)
    return with_rendered(pages)


def journey_pages(ctx: Context) -> list[Page]:
    """我的 of the resident who attended the most and of the measured partner, and 待办
    of an area staff member and of the secretariat (data sets from before issue 14
    have no sessions for them)."""
    journeys = ctx.dataset.get("journeys")
    if not journeys:
        return []

    def cookie(key):
        return f"{journeys[key]['name']}={journeys[key]['value']}"

    pages = [
        Page("me (resident)", "/me/", cookie("resident")),
        Page("me (partner)", "/me/", cookie("partner")),
        Page("todo (area staff)", "/todo/", cookie("area_staff")),
    ]
    if ctx.staff_cookie():
        pages.append(Page("todo (secretariat)", "/todo/", ctx.staff_cookie()))
    return pages


@measurement("journeys")
def measure_journeys(ctx: Context):
    """我的 and 待办 on their own: ``--only journeys`` measures just them (with the floor
    first, for the ratios); "pages" measures them among all the others."""
    pages = journey_pages(ctx)
    if not pages:
        return {}, ["journeys: the data set has no sessions for 我的 and 待办 (regenerate)"]
    return measure_alone(ctx, "journeys", pages)


def deliberation_pages(ctx: Context) -> list[Page]:
    """Proposals and meetings (data sets from before they existed have neither)."""
    proposals, meetings = ctx.dataset.get("proposals"), ctx.dataset.get("meetings")
    if not (proposals and meetings):
        return []
    town = f"/t/{ctx.dataset['town']['slug']}"
    area = ctx.dataset["area"]["pk"]
    pages = [
        Page("proposals", f"{town}/proposals/"),
        Page("proposals top", f"{town}/proposals/?sort=supports"),
        Page("proposals area", f"{town}/proposals/?area={area}&status=under_review"),
        Page("proposals p2", f"{town}/proposals/?page=2"),
        Page("meetings", f"{town}/meetings/"),
        Page("meeting", f"{town}/meetings/{meetings['pk']}/"),
    ]
    if ctx.staff_cookie():
        pages.append(
            Page("meeting (staff)", f"{town}/meetings/{meetings['pk']}/", ctx.staff_cookie())
        )
    return pages + list_pages(ctx)


def list_pages(ctx: Context) -> list[Page]:
    """The proposal list of a town with 200 proposals and of one with 20,000, for a
    signed-in resident (so rendered each time, never from the visitors' page cache):
    the "list at 20,000 within 10 % of 200" target (data sets from before issue 19
    have neither town)."""
    lists, journeys = ctx.dataset["proposals"].get("lists"), ctx.dataset.get("journeys")
    if not (lists and journeys):
        return []
    cookie = f"{journeys['resident']['name']}={journeys['resident']['value']}"
    return [
        Page(f"proposals {size} (resident)", f"/t/{town['slug']}/proposals/", cookie)
        for size, town in lists.items()
    ]


@measurement("deliberation")
def measure_deliberation(ctx: Context):
    """The proposal and meeting pages again, on their own: ``--only deliberation``
    measures just them (with the floor first, for the ratios) while they are built."""
    pages = deliberation_pages(ctx)
    if not pages:
        return {}, ["deliberation: the data set has no proposals or meetings (regenerate)"]
    # "pages" measures them already, among every other page.
    return measure_alone(ctx, "deliberation", pages)


def ratio(value: float, floor: float) -> float | None:
    return round(value / floor, 2) if floor else None


def measure_page(ctx: Context, page: Page) -> Figures | None:
    """Warm up, then load one page; None (and a failure) when it answers wrongly."""
    url = ctx.url(page.path)
    status = fetch_status(url, page.cookie)
    if status != page.expect:
        ctx.failures.append(f"{page.name} {page.path}: status {status}, expected {page.expect}")
        return None
    print(f"  {page.name:<20} {page.path}", flush=True)
    if ctx.load.warmup:
        wrk(url, ctx.load, ctx.load.warmup, page.cookie, page.fresh)
    with ctx.memory.window() as peak:
        result = figures(wrk(url, ctx.load, ctx.load.duration, page.cookie, page.fresh))
    result.peak_worker_rss_mib = round(peak[0] / 1024, 1)
    if result.error_count:
        ctx.failures.append(f"{page.name} {page.path}: errors during the load {result.errors}")
    return result


def measure_alone(ctx: Context, name: str, pages: list[Page]) -> tuple[dict, list[str]]:
    """A group of pages measured on their own (``--only <name>``): the floor first,
    then each page with its ratios to the floor. Without ``--only <name>`` (or with
    "pages", which measures them among all the others) it measures nothing."""
    if not (ctx.only and name in ctx.only and "pages" not in ctx.only):
        return {}, []
    floor = measure_page(ctx, Page("floor", "/floor/"))
    if floor is None:
        return {}, []
    rows = []
    for page in with_rendered(pages):
        result = measure_page(ctx, page)
        if result is None:
            continue
        row = {"name": page.name, "path": page.path, "logged_in": bool(page.cookie)}
        row["fresh"] = page.fresh
        row.update(asdict(result))
        row["rps_vs_floor"] = ratio(result.rps, floor.rps)
        row["p50_vs_floor"] = ratio(result.p50_ms, floor.p50_ms)
        row["p95_vs_floor"] = ratio(result.p95_ms, floor.p95_ms)
        rows.append(row)
    floor_row = {"name": "floor", "path": "/floor/", **asdict(floor)}
    return {"floor": floor_row, name: rows}, pages_table(floor_row, rows)


def mean(a: float, b: float) -> float:
    return round((a + b) / 2, 2)


@measurement("pages")
def measure_pages(ctx: Context):
    """Every page, between two runs of the floor; the ratios use their mean.

    Measuring the floor first and last shows how steady the machine was: a drift of
    more than FLOOR_DRIFT_WARN between the two is printed as a warning.
    """
    floor_page, *pages = bench_pages(ctx)
    first = measure_page(ctx, floor_page)
    results = [(page, measure_page(ctx, page)) for page in pages]
    last = measure_page(ctx, floor_page) if first else None
    if not (first and last):
        ctx.failures.append("the floor page could not be measured")
        return {}, []
    floor = {"name": floor_page.name, "path": floor_page.path, **asdict(first)}
    floor.update(
        requests=first.requests + last.requests,
        seconds=round(first.seconds + last.seconds, 2),
        rps=mean(first.rps, last.rps),
        p50_ms=mean(first.p50_ms, last.p50_ms),
        p95_ms=mean(first.p95_ms, last.p95_ms),
        p99_ms=mean(first.p99_ms, last.p99_ms),
        max_ms=max(first.max_ms, last.max_ms),
        errors={k: first.errors[k] + last.errors[k] for k in first.errors},
        error_count=first.error_count + last.error_count,
        peak_worker_rss_mib=max(first.peak_worker_rss_mib, last.peak_worker_rss_mib),
        runs=[asdict(first), asdict(last)],
        rps_drift=round(last.rps / first.rps - 1, 3) if first.rps else None,
    )
    rows = []
    for page, result in results:
        if result is None:
            continue
        row = {"name": page.name, "path": page.path, "logged_in": bool(page.cookie)}
        row["fresh"] = page.fresh
        row.update(asdict(result))
        row["rps_vs_floor"] = ratio(result.rps, floor["rps"])
        row["p50_vs_floor"] = ratio(result.p50_ms, floor["p50_ms"])
        row["p95_vs_floor"] = ratio(result.p95_ms, floor["p95_ms"])
        rows.append(row)
    ctx.measured.update(floor=floor, pages=rows)
    lines = pages_table(floor, rows)
    lines.append(
        f"floor measured first and last: {first.rps:.1f} and {last.rps:.1f} req/s "
        f"(drift {floor['rps_drift']:+.0%}); ratios use the mean"
    )
    if floor["rps_drift"] is not None and abs(floor["rps_drift"]) > FLOOR_DRIFT_WARN:
        lines.append(
            "WARNING: the floor moved by more than "
            f"{FLOOR_DRIFT_WARN:.0%}; the machine was busy, compare ratios with care"
        )
    return {"floor": floor, "pages": rows}, lines


# --- Targets (issue 19) ------------------------------------------------------------------

ANONYMOUS_FLOOR = 0.5  # every page a visitor reads: at least half the floor's req/s
SIGNED_IN_FLOOR = 0.15  # every page of a signed-in resident or staff member
DASHBOARD_P95_MS = 100
LIST_SPREAD = 0.10  # the list at 20,000 proposals within 10 % of the list at 200


@measurement("targets")
def measure_targets(ctx: Context):
    """Each target with its figure, from the rows "pages" measured; a target not met
    fails the run."""
    rows = ctx.measured.get("pages")
    if not rows:
        return {}, []
    checks = []  # (target, page, figure, limit, met)
    for row in rows:
        if row.get("fresh"):
            continue  # a kept page rendered on every request: shown, not a target
        if row["logged_in"]:
            limit, target = SIGNED_IN_FLOOR, "signed-in page req/s ÷ floor"
        else:
            limit, target = ANONYMOUS_FLOOR, "visitor's page req/s ÷ floor"
        ratio_ = row["rps_vs_floor"]
        checks.append((target, row["name"], f"{ratio_:.2f}", f"≥ {limit}", ratio_ >= limit))
    for row in rows:
        if row["name"].startswith("dashboard"):
            p95 = row["p95_ms"]
            checks.append(
                ("dashboard p95 ms", row["name"], f"{p95:.1f}", f"≤ {DASHBOARD_P95_MS}",
                 p95 <= DASHBOARD_P95_MS)
            )  # fmt: skip
    by_name = {row["name"]: row for row in rows}
    lists = ctx.dataset.get("proposals", {}).get("lists")
    if lists:
        small = by_name.get("proposals small (resident) rendered")
        large = by_name.get("proposals large (resident) rendered")
        if small and large:
            spread = large["rps"] / small["rps"]
            checks.append(
                (
                    "list req/s at "
                    f"{lists['large']['proposals']:,} ÷ at {lists['small']['proposals']:,}",
                    "proposals large (resident) rendered",
                    f"{spread:.2f}",
                    f"≥ {1 - LIST_SPREAD:.2f}",
                    spread >= 1 - LIST_SPREAD,
                )
            )
    missed = [c for c in checks if not c[4]]
    for target, page, figure, limit, _met in missed:
        ctx.missed.append(f"target not met: {target}, {page}: {figure} (needs {limit})")
    head = f"{'target':<34} {'page':<28} {'figure':>8} {'needs':>8}  met"
    lines = [f"targets: {len(checks) - len(missed)} of {len(checks)} met", head, "-" * len(head)]
    lines += [f"{t:<34} {p:<28} {f:>8} {n:>8}  {'yes' if m else 'NO'}" for t, p, f, n, m in checks]
    result = [
        {"target": t, "page": p, "figure": f, "needs": n, "met": m} for t, p, f, n, m in checks
    ]
    return {"targets": result}, lines


def pages_table(floor: dict, rows: list[dict]) -> list[str]:
    head = (
        f"{'page':<28} {'path':<36} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'req/s÷floor':>11} {'p50÷floor':>9} {'RSS MiB':>8} {'errors':>6}"
    )
    lines = [head, "-" * len(head)]

    def line(row, rps_ratio, p50_ratio):
        path = row["path"] if len(row["path"]) <= 36 else row["path"][:35] + "…"
        return (
            f"{row['name']:<28} {path:<36} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {rps_ratio:>11} {p50_ratio:>9} "
            f"{row['peak_worker_rss_mib']:>8.1f} {row['error_count']:>6}"
        )

    lines.append(line(floor, "1.00", "1.00"))
    for row in rows:
        lines.append(line(row, f"{row['rps_vs_floor']:.2f}", f"{row['p50_vs_floor']:.2f}"))
    return lines


# --- Planning -------------------------------------------------------------------------


def planning_pages(ctx: Context) -> list[Page]:
    """The plans list, the busiest plan and the progress board (data sets from before
    planning existed have none)."""
    planning = ctx.dataset.get("planning")
    if not planning:
        return []
    town = f"/t/{ctx.dataset['town']['slug']}"
    pages = [
        Page("plans", f"{town}/plans/"),
        Page("plan", f"{town}/plans/{planning['pk']}/"),
    ]
    if ctx.staff_cookie():
        pages += [
            Page("plan (staff)", f"{town}/plans/{planning['pk']}/", ctx.staff_cookie()),
            Page("board (staff)", f"{town}/plans/board/", ctx.staff_cookie()),
        ]
    return pages


@measurement("planning")
def measure_planning(ctx: Context):
    """The planning pages on their own: ``--only planning`` measures just them (with
    the floor first, for the ratios); "pages" measures them among all the others."""
    pages = planning_pages(ctx)
    if not pages:
        return {}, ["planning: the data set has no processes (regenerate)"]
    return measure_alone(ctx, "planning", pages)


# --- Micro-renewal projects --------------------------------------------------------------


def project_pages(ctx: Context) -> list[Page]:
    """The project list (all, the completed ones, page 2) and the page of the town's
    finished project with the most on it (data sets from before projects existed
    have none)."""
    projects = ctx.dataset.get("projects")
    if not projects or not projects.get("pk"):
        return []
    town = f"/t/{ctx.dataset['town']['slug']}"
    pages = [
        Page("projects", f"{town}/projects/"),
        Page("projects completed", f"{town}/projects/?status=completed"),
        Page("projects p2", f"{town}/projects/?page=2"),
        Page("project", f"{town}/projects/{projects['pk']}/"),
    ]
    if ctx.staff_cookie():
        pages.append(
            Page("project (staff)", f"{town}/projects/{projects['pk']}/", ctx.staff_cookie())
        )
    return pages


@measurement("projects")
def measure_projects(ctx: Context):
    """The project pages on their own: ``--only projects`` measures just them (with
    the floor first, for the ratios); "pages" measures them among all the others."""
    pages = project_pages(ctx)
    if not pages:
        return {}, ["projects: the data set has no projects (regenerate)"]
    return measure_alone(ctx, "projects", pages)


# --- Reports ----------------------------------------------------------------------------


def report_pages(ctx: Context) -> list[Page]:
    """The dashboard of the generated data's busy year and the same figures as JSON
    from the statistics API (data sets from before reports existed have no year)."""
    reports = ctx.dataset.get("reports")
    if not reports:
        return []
    slug, year = ctx.dataset["town"]["slug"], reports["year"]
    pages = [
        Page("dashboard", f"/t/{slug}/reports/?year={year}"),
        Page("stats api", f"/api/v1/stats?{urlencode({'year': year, 'town': slug})}"),
    ]
    if ctx.staff_cookie():
        # Rendered for each request (signed in), from the figures kept between writes.
        pages.append(Page("dashboard (staff)", pages[0].path, ctx.staff_cookie()))
    return pages


EXPORT_TIMEOUT = 900  # seconds: the whole town's ledgers, every sheet, in one request
EXPORT_BLOCK = 64 * 1024


def download(ctx: Context, path: str, cookie: str) -> tuple[int, int, str]:
    """GET ``path`` and read the body in blocks without keeping it: (status, bytes,
    content type)."""
    connection = http.client.HTTPConnection(urlsplit(ctx.base_url).netloc, timeout=EXPORT_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        size = 0
        while block := response.read(EXPORT_BLOCK):
            size += len(block)
        return response.status, size, response.getheader("Content-Type", "")
    finally:
        connection.close()


@measurement("reports")
def measure_reports(ctx: Context):
    """The dashboard and the statistics API under wrk (on their own with ``--only
    reports``, with the floor first; "pages" measures them among all the others),
    then ONE download of the ledgers bundle of the measured town — every ledger of
    every area, all years — as its secretariat: the time, the file's size and the
    workers' peak memory while it was built and streamed."""
    pages = report_pages(ctx)
    if not pages:
        return {}, ["reports: the data set has no reports year (regenerate)"]
    output, lines = measure_alone(ctx, "reports", pages)
    cookie = ctx.staff_cookie()
    if not cookie:
        return output, [*lines, "ledgers export: the data set has no staff session"]
    path = f"/t/{ctx.dataset['town']['slug']}/reports/ledgers.xlsx"
    print(f"  {'ledgers export':<20} {path}", flush=True)
    idle = ctx.memory.sample()
    with ctx.memory.window() as peak:
        started = time.perf_counter()
        try:
            status, size, content_type = download(ctx, path, cookie)
        except OSError as error:
            status, size, content_type = type(error).__name__, 0, ""
        seconds = time.perf_counter() - started
    export = {
        "path": path,
        "status": status,
        "seconds": round(seconds, 2),
        "bytes": size,
        "mib": round(size / 1024 / 1024, 2),
        "content_type": content_type,
        "worker_rss_before_mib": round(idle / 1024, 1),
        "peak_worker_rss_mib": round(peak[0] / 1024, 1),
    }
    if status != 200 or "spreadsheetml" not in content_type:
        ctx.failures.append(f"ledgers export: status {status} ({content_type}) from {path}")
    output["ledgers_export"] = export
    lines.append(
        f"ledgers export (town {ctx.dataset['town']['slug']}, every sheet, all years): "
        f"{seconds:.2f} s, {export['mib']} MiB, status {status}; workers' peak RSS "
        f"{export['peak_worker_rss_mib']} MiB (largest worker {export['worker_rss_before_mib']} "
        "MiB just before)"
    )
    return output, lines


BATCH_TIMEOUT = 600  # seconds: 1,000 areas at most, in one transaction


@measurement("batch launch")
def measure_batch_launch(ctx: Context):
    """One POST of the batch page as the fresh town's secretariat: the default
    template launched in every area of that town (``areas``: every area's pk,
    ``team_<area pk>``: its team), timed from the request to the answer. A town can
    be launched once: regenerate the data set to measure again."""
    batch = (ctx.dataset.get("planning") or {}).get("batch")
    if not batch:
        return {}, ["batch launch: the data set has no town for it (regenerate)"]
    session = f"{batch['cookie']['name']}={batch['cookie']['value']}"
    client = BatchClient(ctx.base_url, batch["path"], session)
    if client.error:
        ctx.failures.append(f"batch launch: {client.error}")
        return {}, [f"batch launch: {client.error}"]
    fields = [
        ("csrfmiddlewaretoken", client.token),
        ("title", "基准批量启动"),
        ("template", str(batch["template"])),
    ]
    fields += [("areas", str(pk)) for pk in batch["areas"]]
    fields += [(f"team_{pk}", str(team)) for pk, team in batch["teams"].items()]
    print(f"  {'batch launch':<20} {batch['path']} ({len(batch['areas'])} areas)", flush=True)
    with ctx.memory.window() as peak:
        started = time.perf_counter()
        status, headers, body = client.post(urlencode(fields).encode())
        seconds = time.perf_counter() - started
    location = next((v for k, v in headers if k.lower() == "location"), "")
    ok = status in (302, 303) or (status == 200 and "errorlist" not in body)
    result = {
        "path": batch["path"],
        "areas": len(batch["areas"]),
        "status": status,
        "redirect": location,
        "seconds": round(seconds, 2),
        "ms_per_area": round(seconds * 1000 / len(batch["areas"]), 1),
        "peak_worker_rss_mib": round(peak[0] / 1024, 1),
    }
    if not ok:
        ctx.failures.append(f"batch launch: status {status} from {batch['path']}")
    lines = [
        f"batch launch: {len(batch['areas'])} areas in one POST: {seconds:.2f} s "
        f"({result['ms_per_area']} ms per area), status {status}"
        + (f" → {location}" if location else "")
    ]
    return {"batch_launch": result}, lines


class BatchClient:
    """The secretariat's browser on the batch page: GET for the CSRF cookie and
    token, then one POST of the form."""

    def __init__(self, base_url: str, path: str, session: str):
        self.host = urlsplit(base_url).netloc
        self.path = path
        self.session = session
        self.error = ""
        status, headers, body = self.request("GET", path, headers={"Cookie": session})
        if status != 200:
            self.error = f"the batch page {path} answered {status}"
            return
        cookies = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"]
        csrf = next((c for c in cookies if c.startswith("csrftoken=")), "")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not (csrf and found):
            self.error = "the batch page gave no CSRF cookie or token"
            return
        self.cookie = f"{session}; {csrf}"
        self.token = found.group(1)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection(self.host, timeout=BATCH_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()

    def post(self, form: bytes):
        return self.request(
            "POST",
            self.path,
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie},
        )


# --- Check-in burst ----------------------------------------------------------------

CHECKIN_CONCURRENCY = 16
# Some people scan twice (a slow phone, a second tap): those must not count twice.
CHECKIN_REPEATS = 0.1
CHECKIN_TIMEOUT = 30  # seconds per request


class CheckInClient:
    """One phone at the door: fetches the check-in page once (its CSRF cookie and
    token), then posts the quick check-in form (name, mobile number, consent) for
    each person it is given. One keep-alive-less HTTP connection per request, as
    gunicorn's sync workers close them anyway."""

    def __init__(self, base_url: str, path: str):
        self.host = urlsplit(base_url).netloc
        self.path = path
        status, headers, body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"check-in page {path}: status {status}")
        cookies = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"]
        self.cookie = "; ".join(c for c in cookies if c.startswith("csrftoken="))
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not (self.cookie and found):
            raise RuntimeError("the check-in page gave no CSRF cookie or token")
        self.token = found.group(1)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection(self.host, timeout=CHECKIN_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()

    def check_in(self, phone: str, name: str) -> tuple[int, float]:
        form = urlencode(
            {"csrfmiddlewaretoken": self.token, "name": name, "phone": phone, "consent": "on"}
        ).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": self.cookie,
        }
        started = time.perf_counter()
        status, _headers, _body = self.request("POST", self.path, form, headers)
        return status, time.perf_counter() - started


def checkin_figures(ctx: Context, activity: int) -> tuple[str, int, int]:
    """The check-in path on the QR screen right now, with the person-times and people
    it shows (read as the organiser, from its htmx part)."""
    slug = ctx.dataset["town"]["slug"]
    request = urllib.request.Request(
        ctx.url(f"/t/{slug}/activities/{activity}/qr/"),
        headers={"Cookie": ctx.staff_cookie(), "HX-Request": "true"},
    )
    with urllib.request.urlopen(request, timeout=CHECKIN_TIMEOUT) as response:
        page = response.read().decode()
    link = re.search(r'class="checkin-link" href="([^"]+)"', page)
    count = re.search(r'data-person-times="(\d+)" data-people="(\d+)"', page)
    if not (link and count):
        raise RuntimeError("the QR screen shows no check-in link or count")
    path = urlsplit(html.unescape(link.group(1))).path
    return path, int(count.group(1)), int(count.group(2))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@measurement("checkin")
def measure_checkin(ctx: Context):
    """A burst at the door: every generated person checks in once by the quick form
    (CHECKIN_CONCURRENCY at a time), a tenth of them twice; then the organiser's QR
    screen must show exactly one person-time and one person per person."""
    checkin = ctx.dataset.get("checkin")
    if not (checkin and ctx.staff_cookie()):
        return {}, ["check-in burst: the data set has no activity for it (regenerate)"]
    path, before_pt, before_people = checkin_figures(ctx, checkin["activity"])
    if before_pt or before_people:
        ctx.failures.append(
            f"check-in burst: the activity already has {before_pt} person-times; regenerate"
        )
        return {}, []
    phones = checkin["phones"]
    repeats = phones[:: round(1 / CHECKIN_REPEATS)]
    attempts = [(phone, f"居民{phone[-4:]}") for phone in phones + repeats]
    print(f"  {'check-in burst':<20} {path} ({len(attempts)} posts)", flush=True)
    clients = [CheckInClient(ctx.base_url, path) for _ in range(CHECKIN_CONCURRENCY)]

    def post(index: int):
        phone, name = attempts[index]
        try:
            return clients[index % len(clients)].check_in(phone, name)
        except OSError as error:
            return type(error).__name__, 0.0

    with ctx.memory.window() as peak:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CHECKIN_CONCURRENCY) as pool:
            results = list(pool.map(post, range(len(attempts))))
        seconds = time.perf_counter() - started
    _path, person_times, people = checkin_figures(ctx, checkin["activity"])

    statuses: dict[str, int] = {}
    for status, _elapsed in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    latencies = [elapsed * 1000 for status, elapsed in results if status == 200]
    errors = len(results) - len(latencies)
    expected = len(phones)
    result = {
        "activity": checkin["activity"],
        "people": expected,
        "repeated": len(repeats),
        "posts": len(results),
        "concurrency": CHECKIN_CONCURRENCY,
        "seconds": round(seconds, 2),
        "rps": round(len(results) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 2) if latencies else None,
        "max_ms": round(max(latencies), 2) if latencies else None,
        "statuses": statuses,
        "error_count": errors,
        "person_times_after": person_times,
        "people_after": people,
        "peak_worker_rss_mib": round(peak[0] / 1024, 1),
    }
    if errors:
        ctx.failures.append(f"check-in burst: {errors} posts failed {statuses}")
    if (person_times, people) != (expected, expected):
        ctx.failures.append(
            f"check-in burst: {expected} people checked in, but the count reads "
            f"{person_times} person-times and {people} people"
        )
    lines = [
        f"check-in burst: {len(results)} posts ({expected} people, {len(repeats)} twice), "
        f"{CHECKIN_CONCURRENCY} at a time: {result['rps']:.1f} req/s, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, errors {errors}; "
        f"afterwards {person_times} person-times, {people} people "
        + ("(none lost, none doubled)" if person_times == people == expected else "(WRONG)")
    ]
    return {"checkin": result}, lines


# --- SMS: the day-before reminders and a burst of log-in codes ----------------------

SMS_HELPER = HERE / "sms.py"
# Tasks into the database queue, with no worker running them: the reminders are
# queued, not sent (the server itself keeps the immediate backend).
TASKS_DB_BACKEND = "django_tasks_db.DatabaseBackend"
SMS_TIMEOUT = 900  # seconds for one helper process (queueing 10,000 reminders)
SMS_LOAD_CAP = 600  # seconds: wrk's duration while the reminders are queued (stopped sooner)
SMS_BEFORE = 8  # seconds of load on the pages before the reminders are queued


def sms_helper(*args: str, backend: str = "") -> dict:
    """Run bench/sms.py in its own process with the server's environment (and, when
    given, another task backend); its one line of JSON."""
    env = dict(os.environ)
    if backend:
        env["GONGZHI_TASKS_BACKEND"] = backend
    done = subprocess.run(
        [sys.executable, str(SMS_HELPER), *args],
        capture_output=True,
        text=True,
        timeout=SMS_TIMEOUT,
        env=env,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("SMS-JSON "):
            return json.loads(line.removeprefix("SMS-JSON "))
    raise RuntimeError(f"bench/sms.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")


class PageLoad:
    """wrk on several pages at once, the connections shared among them, until
    stop(): wrk stops on SIGINT and still prints its figures."""

    def __init__(self, ctx: Context, pages: list[Page], seconds: int):
        connections = max(1, ctx.load.connections // len(pages))
        self.pages = pages
        self.urls = [ctx.url(page.path) for page in pages]
        self.processes = [
            subprocess.Popen(
                wrk_command(url, ctx.load, seconds, page.cookie, 1, connections),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for url, page in zip(self.urls, pages, strict=True)
        ]

    def stop(self, early: bool = True) -> dict[str, Figures]:
        if early:
            for process in self.processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
        found = {}
        for url, page, process in zip(self.urls, self.pages, self.processes, strict=True):
            stdout, stderr = process.communicate(timeout=SMS_LOAD_CAP + 60)
            found[page.name] = figures(wrk_figures(url, stdout, stderr))
        return found


def load_for(ctx: Context, pages: list[Page], seconds: int) -> dict[str, Figures]:
    return PageLoad(ctx, pages, seconds).stop(early=False)


def load_row(before: Figures, during: Figures) -> dict:
    return {
        "before": asdict(before),
        "during": asdict(during),
        "rps_ratio": ratio(during.rps, before.rps),
        "p50_ratio": ratio(during.p50_ms, before.p50_ms),
        "p99_ratio": ratio(during.p99_ms, before.p99_ms),
    }


@measurement("sms reminders")
def measure_sms_reminders(ctx: Context):
    """The day-before reminders of one busy day (the data set's 10,000 registrations
    for tomorrow's activities in the measured town) queued in a process of their own,
    as the task worker would, with the tasks going to the database queue, while wrk
    loads the town page and one of those activities: how long the queueing takes,
    what it writes (one SMS row and one deliver_sms task per person, and nothing on
    a second run) and how the pages fare before and during. Then the queued
    reminders are sent through the console backend for at most
    BENCH_SMS_SEND_SECONDS (send_due, what ``manage.py send_due_sms`` runs)."""
    reminders = ctx.dataset.get("reminders")
    if not reminders:
        return {}, ["sms reminders: the data set has no reminders (regenerate)"]
    pages = [
        Page("town", f"/t/{reminders['town']}/"),
        Page("activity", reminders["activity_path"]),
    ]
    for page in pages:
        status = fetch_status(ctx.url(page.path))
        if status != page.expect:
            ctx.failures.append(f"sms reminders: {page.path} answered {status}")
            return {}, []
    expected = reminders["registrations"]
    start = sms_helper("counts")
    if start["reminders_due"] != expected or start["sms_rows"]:
        ctx.failures.append(
            f"sms reminders: {start['reminders_due']} reminders due and {start['sms_rows']} "
            f"reminder SMS already, expected {expected} and none (regenerate; a run across "
            "midnight moves tomorrow)"
        )
        return {}, []
    print(
        f"  {'sms reminders':<20} {expected:,} registrations on {reminders['day']}, "
        f"load on {', '.join(p.path for p in pages)}",
        flush=True,
    )
    if ctx.load.warmup:
        load_for(ctx, pages, ctx.load.warmup)
    before = load_for(ctx, pages, SMS_BEFORE)
    with ctx.memory.window() as peak:
        load = PageLoad(ctx, pages, SMS_LOAD_CAP)
        started = time.perf_counter()
        try:
            queued = sms_helper("remind", backend=TASKS_DB_BACKEND)
        finally:
            seconds = time.perf_counter() - started
            during = load.stop()
    after = sms_helper("counts")
    again = sms_helper("remind", backend=TASKS_DB_BACKEND)
    after_again = sms_helper("counts")
    send_limit = int(os.environ.get("BENCH_SMS_SEND_SECONDS", "10"))
    sent = sms_helper("send", "--seconds", str(send_limit), backend=TASKS_DB_BACKEND)

    rows = after["sms_rows"] - start["sms_rows"]
    tasks = (after["task_rows"] or 0) - (start["task_rows"] or 0)
    notes = after["notifications"] - start["notifications"]
    rows_again = after_again["sms_rows"] - after["sms_rows"]
    tasks_again = (after_again["task_rows"] or 0) - (after["task_rows"] or 0)
    per_thousand = queued["seconds"] * 1000 / expected if expected else None
    send_rate = sent["seconds"] * 1000 / sent["sent"] if sent["sent"] else None
    result = {
        "day": reminders["day"],
        "activities": len(reminders["activities"]),
        "registrations": expected,
        "tasks_backend": queued["tasks_backend"],
        "reminded": queued["reminded"],
        "seconds": round(queued["seconds"], 2),
        "seconds_with_process": round(seconds, 2),
        "seconds_per_1000": round(per_thousand, 2) if per_thousand else None,
        "sms_rows": rows,
        "sms_statuses": after["sms_statuses"],
        "task_rows": tasks,
        "notifications": notes,
        "second_run": {
            "reminded": again["reminded"],
            "seconds": round(again["seconds"], 2),
            "sms_rows": rows_again,
            "task_rows": tasks_again,
        },
        "pages": {
            page.name: {"path": page.path, **load_row(before[page.name], during[page.name])}
            for page in pages
        },
        "send": {**sent, "limit_seconds": send_limit},
        "send_seconds_per_1000": round(send_rate, 2) if send_rate else None,
        "peak_worker_rss_mib": round(peak[0] / 1024, 1),
    }
    for name, figs in [*before.items(), *during.items()]:
        if figs.error_count:
            ctx.failures.append(f"sms reminders: errors on the {name} page {figs.errors}")
    if (queued["reminded"], rows, tasks) != (expected, expected, expected):
        ctx.failures.append(
            f"sms reminders: {queued['reminded']} reminded, {rows} SMS rows and {tasks} task "
            f"rows for {expected} registrations"
        )
    if again["reminded"] or rows_again or tasks_again:
        ctx.failures.append(
            f"sms reminders: the second run reminded {again['reminded']} and queued "
            f"{rows_again} SMS rows, {tasks_again} tasks"
        )

    head = (
        f"  {'page':<10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}   {'req/s':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7}   {'req/s ratio':>11} {'p99 ratio':>9} {'errors':>6}"
    )
    lines = [
        f"sms reminders: {expected:,} registrations for {result['activities']} activities on "
        f"{reminders['day']}, queued by remind_tomorrow in its own process "
        f"(tasks: {queued['tasks_backend'].rsplit('.', 1)[-1]}, no worker) in "
        f"{queued['seconds']:.1f} s ({result['seconds_per_1000']} s per 1,000); "
        f"{queued['reminded']:,} reminded, +{rows:,} SMS rows {after['sms_statuses']}, "
        f"+{tasks:,} deliver_sms task rows, +{notes:,} notifications",
        f"  run again: {again['reminded']} reminded, +{rows_again} SMS rows, "
        f"+{tasks_again} task rows ({again['seconds']:.2f} s)",
        f"  pages before ({SMS_BEFORE} s) and during the queueing ({during['town'].seconds} s), "
        f"{ctx.load.connections // len(pages)} connections each:",
        f"  {'':<10} {'before':^23}   {'during':^23}",
        head,
    ]
    for page in pages:
        b, d = before[page.name], during[page.name]
        row = result["pages"][page.name]
        lines.append(
            f"  {page.name:<10} {b.rps:>7.1f} {b.p50_ms:>7.1f} {b.p99_ms:>7.1f}   {d.rps:>7.1f} "
            f"{d.p50_ms:>7.1f} {d.p99_ms:>7.1f}   {row['rps_ratio']:>11} {row['p99_ratio']:>9} "
            f"{b.error_count + d.error_count:>6}"
        )
    at_limit = " (stopped at the limit)" if sent["stopped_at_limit"] else ""
    lines.append(
        f"  sending (console backend, send_due, no load): {sent['sent']:,} sent in "
        f"{sent['seconds']:.1f} s{at_limit}, {result['send_seconds_per_1000']} s per 1,000; "
        f"{sent['left']:,} left queued; statuses {sent['statuses']}"
    )
    return {"sms_reminders": result}, lines


CODE_PATH = "/accounts/login/code/"
CODE_CONFIRM = "/accounts/login/code/confirm/"
CODE_CONCURRENCY = 20
CODE_POSTS = 200
CODE_REPEATED = 30  # numbers asked for twice, back to back
CODE_TIMEOUT = 30  # seconds per request


def code_request(ctx: Context, phone: str) -> tuple[int | str, str, float]:
    """What a script does: a fresh session (GET the page for the CSRF cookie and
    token), then POST the number. (status, Location, seconds of the POST)."""
    host = urlsplit(ctx.base_url).netloc

    def request(method, body=None, headers=None):
        connection = http.client.HTTPConnection(host, timeout=CODE_TIMEOUT)
        try:
            connection.request(method, CODE_PATH, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()

    try:
        status, headers, body = request("GET")
        if status != 200:
            return f"GET {status}", "", 0.0
        cookies = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"]
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not found:
            return "no CSRF token", "", 0.0
        form = urlencode({"csrfmiddlewaretoken": found.group(1), "phone": phone}).encode()
        started = time.perf_counter()
        status, headers, _body = request(
            "POST",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(cookies),
            },
        )
        location = next((v for k, v in headers if k.lower() == "location"), "")
        return status, location, time.perf_counter() - started
    except OSError as error:
        return type(error).__name__, "", 0.0


def per_ip_limit(rates: str) -> tuple[int, int]:
    """The "<n>/<period>/ip" part of an allauth rate (n, seconds); (0, 0) without one."""
    periods = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    for rate in rates.split(","):
        found = re.fullmatch(r"\s*(\d+)/(\d*)([smhd])/ip\s*", rate)
        if found:
            return int(found.group(1)), int(found.group(2) or 1) * periods[found.group(3)]
    return 0, 0


@measurement("code burst")
def measure_code_burst(ctx: Context):
    """CODE_POSTS requests for a log-in code from one address, CODE_CONCURRENCY at a
    time, each with a fresh session: the data set's existing numbers (CODE_REPEATED of
    them twice, back to back) and numbers no account uses. No 5xx; no more accepted
    than the per-address limit allows; no number gets a second code."""
    burst = ctx.dataset.get("code_burst")
    if not burst:
        return {}, ["code burst: the data set has no numbers for it (regenerate)"]
    known, unknown = burst["phones"], burst["unknown"]
    # Deterministic. The first CODE_CONCURRENCY requests, in flight together: numbers
    # asked for twice at the same moment and a few unknown ones; then the other
    # repeated numbers, the other unknown ones and the rest, shuffled.
    rng = random.Random(16)
    pairs = [phone for phone in known[:CODE_REPEATED] for _ in range(2)]
    first_pairs = (CODE_CONCURRENCY * 2 // 5) * 2  # 16 requests: 8 numbers twice
    first = pairs[:first_pairs] + unknown[: CODE_CONCURRENCY - first_pairs]
    rest = pairs[first_pairs:] + unknown[CODE_CONCURRENCY - first_pairs :]
    rest += known[CODE_REPEATED:]
    rng.shuffle(first)
    rng.shuffle(rest)
    attempts = (first + rest)[:CODE_POSTS]
    limits = sms_helper("limits")
    amount, period = per_ip_limit(limits["request_login_code"])
    caches = 1 if limits["shared"] else ctx.workers
    print(
        f"  {'code burst':<20} {CODE_PATH} ({len(attempts)} posts, {CODE_CONCURRENCY} at a time)",
        flush=True,
    )
    since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    with ctx.memory.window() as peak:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CODE_CONCURRENCY) as pool:
            results = list(pool.map(lambda phone: code_request(ctx, phone), attempts))
        seconds = time.perf_counter() - started
    sent = sms_helper("codes", "--since", since.isoformat())

    statuses: dict[str, int] = {}
    for status, _location, _elapsed in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    accepted = [
        phone
        for phone, (status, location, _e) in zip(attempts, results, strict=True)
        if status == 302 and urlsplit(location).path == CODE_CONFIRM
    ]
    failed = sum(n for s, n in statuses.items() if not (s.isdigit() and int(s) < 500))
    windows = 1 + int(seconds // period) if period else 1
    # Per address, per cache (each worker's own with locmem), per window the burst spans;
    # and never more than the distinct numbers asked (one a minute per number).
    allowed = min(amount * caches * windows, len(set(attempts))) if amount else len(attempts)
    latencies = [e * 1000 for s, _l, e in results if s in (302, 400, 200)]
    result = {
        "posts": len(results),
        "concurrency": CODE_CONCURRENCY,
        "numbers": len(set(attempts)),
        "known": len(set(attempts) & set(known)),
        "repeated": CODE_REPEATED,
        "unknown": len(set(attempts) & set(unknown)),
        "seconds": round(seconds, 2),
        "rps": round(len(results) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "statuses": statuses,
        "accepted": len(accepted),
        "accepted_unknown": len(set(accepted) & set(unknown)),
        "rate_limit": limits["request_login_code"],
        "cache": limits["cache"],
        "caches": caches,
        "allowed_max": allowed,
        "codes": sent,
        "peak_worker_rss_mib": round(peak[0] / 1024, 1),
    }
    if failed:
        ctx.failures.append(f"code burst: {failed} requests failed or answered 5xx {statuses}")
    if len(accepted) > allowed:
        ctx.failures.append(
            f"code burst: {len(accepted)} requests accepted, the limits allow {allowed}"
        )
    if sent["max_per_phone"] > 1:
        ctx.failures.append(
            f"code burst: numbers sent more than one code: {sent['phones_over_one'][:10]}"
        )
    if sent["outbox_rows"] > len(accepted):
        ctx.failures.append(
            f"code burst: {sent['outbox_rows']} codes sent for {len(accepted)} accepted requests"
        )
    shared = "one shared cache" if limits["shared"] else f"{caches} workers' own caches"
    lines = [
        f"code burst: {len(results)} code requests from one address, {CODE_CONCURRENCY} at a "
        f"time, fresh session each ({result['known']} existing numbers, {CODE_REPEATED} of them "
        f"twice, {result['unknown']} unknown): {seconds:.1f} s, {result['rps']} req/s, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms; statuses {statuses}",
        f"  accepted (302 → confirm) {len(accepted)} ({result['accepted_unknown']} of them "
        f"unknown numbers, which get no SMS); allowed at most {allowed}: "
        f"{amount} per {period} s per address ({limits['request_login_code']}) × {shared}"
        + (f" × {windows} windows" if windows > 1 else ""),
        f"  codes sent (outbox): {sent['outbox_rows']} to {sent['phones']} numbers, at most "
        f"{sent['max_per_phone']} per number"
        + (" (one each)" if sent["max_per_phone"] <= 1 else " (MORE THAN ONE)"),
    ]
    return {"code_burst": result}, lines


@measurement("memory")
def measure_memory(ctx: Context):
    peak = round(ctx.memory.high_water_kib() / 1024, 1)
    workers = len(ctx.memory.workers_seen)
    lines = [f"peak worker memory (RSS): {peak:.1f} MiB ({workers} worker processes seen)"]
    return {"peak_worker_rss_mib": peak, "workers_seen": workers}, lines


# --- Main ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--gunicorn-pid", type=int, required=True, help="the master's pid")
    parser.add_argument("--dataset", type=Path, required=True, help="from bench/generate.py")
    parser.add_argument("--server", default="gunicorn", help="how the server runs, for the record")
    parser.add_argument("--out", type=Path, help="results.json, written when nothing failed")
    parser.add_argument("--scratch", type=Path, help="folder for a dated copy of every run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers (default 2)")
    parser.add_argument(
        "--only", nargs="*", choices=sorted(MEASUREMENTS), help="run only these measurements"
    )
    defaults = Load()
    for name, value in asdict(defaults).items():
        env = os.environ.get(f"BENCH_{name.upper()}")
        parser.add_argument(
            f"--{name}", type=int, default=int(env) if env else value, help=f"default {value}"
        )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2

    dataset = json.loads(args.dataset.read_text())
    load = Load(**{name: getattr(args, name) for name in asdict(defaults)})
    sampler = MemorySampler(args.gunicorn_pid)
    ctx = Context(
        base_url=args.base_url,
        dataset=dataset,
        load=load,
        memory=sampler,
        only=args.only,
        workers=args.workers,
    )
    results = {
        "scale": dataset["scale"],
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "server": args.server,
        # Other work on the machine skews every figure: the load average says how much.
        "machine": {"cpus": os.cpu_count(), "loadavg_before": loadavg()},
        "load": {"tool": wrk_version(), **asdict(load)},
        "dataset": {k: v for k, v in dataset.items() if k not in ("staff_cookie", "journeys")},
    }
    print(
        f"load: wrk, {load.threads} threads, {load.connections} connections, "
        f"{load.duration} s per page after {load.warmup} s warm-up",
        flush=True,
    )
    report: list[str] = []
    sampler.start()
    try:
        started = time.monotonic()
        for name, function in MEASUREMENTS.items():
            if args.only and name not in args.only:
                continue
            output, lines = function(ctx)
            results.update(output)
            report += [""] + lines
        results["seconds"] = round(time.monotonic() - started, 1)
    finally:
        sampler.stop()
    results["machine"]["loadavg_after"] = loadavg()
    results["failures"] = ctx.failures

    d = dataset
    print(
        f"\nscale {d['scale']}: {d['towns']} towns, {d['areas']} areas, {d['users']:,} users, "
        f"{d['sites']} sites"
        + (
            f", {d['partners']['count']:,} partners, {d['units']['count']:,} units"
            if "partners" in d
            else ""
        )
        + f"; measured town {d['town']['slug']} "
        f"({d['town']['areas']} areas), area {d['area']['pk']} ({d['area']['residents']} residents)"
    )
    print(f"server: {args.server}")
    machine = results["machine"]
    print(
        f"machine: {machine['cpus']} CPUs; load average before the run "
        f"{machine['loadavg_before']}, after {machine['loadavg_after']} "
        "(the run itself keeps every CPU busy)"
    )
    print("\n".join(report))
    text = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    if args.scratch:
        args.scratch.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        (args.scratch / f"{d['scale']}-{stamp}.json").write_text(text)
    if ctx.failures:
        print("\nFAILED:\n  " + "\n  ".join(ctx.failures + ctx.missed), file=sys.stderr)
        return 1
    if args.out:
        args.out.write_text(text)
        print(f"\nwrote {args.out}")
    if ctx.missed:
        print("\nTARGETS NOT MET:\n  " + "\n  ".join(ctx.missed), file=sys.stderr)
        return 1
    return 0


def loadavg() -> float:
    """The one-minute load average before (or after) the run."""
    return round(os.getloadavg()[0], 2)


def wrk_version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()
    return " ".join(first[0].split()[:2]) if first else "wrk"


if __name__ == "__main__":
    sys.exit(main())

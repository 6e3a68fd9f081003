"""What a page costs a phone: the bytes it transfers and how long it blocks the main
thread, measured in the browser.

The test server (Django's live server) sends every file as it is, while production
sends static files through WhiteNoise, which serves the brotli or gzip copy that
collectstatic made of each compressible file (``CompressedManifestStaticFilesStorage``
with the ``brotli`` package installed) to a browser that accepts it, as every phone's
does over HTTPS. Pages themselves (the HTML) are compressed by Django's GZipMiddleware,
here as in production. So the weight counted here is what production sends:

- each response's headers as the browser received them (transferSize − encodedBodySize);
- the HTML document and any other non-static response: its body as transferred;
- each static file: the size of WhiteNoise's own brotli (else gzip) copy of that file
  (``Compressor``, kept only when it saves more than 5 %), else the file's size.

The raw total (every body uncompressed, as the test server sent it) is reported too.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Registered before any of the page's own scripts: collects long tasks (> 50 ms on
# the main thread) from the start of the page's life.
LONG_TASKS_INIT_JS = """(() => {
    window.__longTasks = [];
    try {
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) {
                window.__longTasks.push(entry.duration);
            }
        }).observe({type: "longtask", buffered: true});
    } catch (error) { /* no longtask support: reported as no long tasks */ }
})();"""

RESOURCES_JS = """() => {
    const entries = [
        ...performance.getEntriesByType("navigation"),
        ...performance.getEntriesByType("resource"),
    ];
    return entries.map((e) => ({
        url: e.name,
        transfer: e.transferSize,
        encoded: e.encodedBodySize,
        decoded: e.decodedBodySize,
    }));
}"""


@dataclass
class Weight:
    """A page's transfer in bytes, as production would send it, with one row per
    resource (url, production bytes, raw bytes) to say where the bytes go."""

    total: int = 0
    raw: int = 0
    rows: list[tuple[str, int, int]] = field(default_factory=list)
    blocking_ms: float = 0.0

    def __str__(self) -> str:
        lines = [f"{self.total:>9,} B as production sends it ({self.raw:,} B uncompressed)"]
        lines += [f"{sent:>9,} B  {url} (raw {raw:,} B)" for url, sent, raw in self.rows]
        lines.append(f"main thread blocked {self.blocking_ms:.0f} ms (long tasks beyond 50 ms)")
        return "\n".join(lines)


def static_size(path: Path) -> int:
    """The bytes WhiteNoise sends for this static file to a phone over HTTPS: its
    brotli copy (made by collectstatic since the brotli package is installed; phones
    accept br over HTTPS, which production uses), else its gzip copy, each kept only
    when it saves more than 5 %, else the file itself."""
    from whitenoise.compress import Compressor

    data = path.read_bytes()
    compressor = Compressor()
    if not compressor.should_compress(path.name):
        return len(data)
    # brotli is a dependency (pyproject.toml): its copy is always made.
    sizes = [len(data)]
    for compress in (Compressor.compress_brotli, Compressor.compress_gzip):
        compressed = compress(data)
        if len(compressed) <= 0.95 * len(data):
            sizes.append(len(compressed))
    return min(sizes)


def static_file(url: str) -> Path | None:
    """The file behind a static URL, found as the live server finds it."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    path = urlsplit(url).path
    if not path.startswith(settings.STATIC_URL):
        return None
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    return Path(found) if found else None


def page_weight(page) -> Weight:
    """Weigh the page open in ``page`` (loaded in a fresh context, so nothing came from
    the cache). Long tasks are counted only if ``LONG_TASKS_INIT_JS`` was added to the
    page with ``add_init_script`` before it was opened."""
    weight = Weight()
    for entry in page.evaluate(RESOURCES_JS):
        headers = max(0, entry["transfer"] - entry["encoded"])
        file = static_file(entry["url"])
        body = static_size(file) if file else entry["encoded"]
        weight.rows.append((entry["url"], headers + body, entry["decoded"]))
        weight.total += headers + body
        weight.raw += headers + entry["decoded"]
    weight.rows.sort(key=lambda row: -row[1])
    tasks = page.evaluate("() => window.__longTasks || []")
    weight.blocking_ms = sum(max(0.0, duration - 50) for duration in tasks)
    return weight

-- wrk script for bench/run.py: at the end, print one line of JSON with the figures.
-- wrk measures time in microseconds; errors.status counts responses >= 400.
-- No request() or response() hooks, so wrk runs at full speed, unless WRK_FRESH=1:
-- then every request asks a new address (?fresh=<thread>-<n>), so no cache can answer
-- it and the page is rendered each time (bench/run.py, the "rendered" pages).

if os.getenv("WRK_FRESH") == "1" then
  local threads = 0
  setup = function(thread)
    threads = threads + 1
    thread:set("id", threads)
  end
  local n = 0
  request = function()
    n = n + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "fresh=" .. id .. "-" .. n)
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end

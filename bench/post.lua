-- wrk script for bench/run.sh: POSTs one JSON body file to the target and, when done, prints a
-- single machine-readable line "BENCH_RESULT {json}" with throughput, latency percentiles and
-- error counts. Runs inside wrk's per-thread LuaJIT states (init/delay/request) and its main state
-- (done).
--
-- Arguments after "--": <body file> <authorization header value or "-"> [delay ms] [conversations]
--   delay ms > 0 paces each connection (with BENCH_PACED=1): after each response it waits a random
--   whole number of milliseconds, uniform in [0, 2 * delay], before sending the next request, so
--   the offered rate is about connections * 1000 / (delay + latency) req/s and the connections do
--   not fire in lock-step.
--   Latency is measured by wrk from writing a request to the end of its response (the pacing
--   delay is not included).
--   conversations N > 0 (with BENCH_CONVERSATIONS=1): N requests are formatted once, the body's
--   first "@CONVERSATION@" replaced by 1..N, and sent in turn, so a gateway serving from an
--   account pool sees N conversations (its affinity key is taken from the first message) instead
--   of one. Each request is then one Lua call returning a ready string.

local pace_ms = 0
local conversations = {}
local next_conversation = 0

-- wrk.init (wrk's own) calls this, then formats the request once from the wrk table: the request
-- stays static (no per-request Lua call), which keeps the load generator cheap.
function init(args)
  local f = assert(io.open(args[1], "rb"), "cannot open body file " .. tostring(args[1]))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
  if args[2] and args[2] ~= "-" then
    wrk.headers["Authorization"] = args[2]
  end
  pace_ms = tonumber(args[3] or "0") or 0
  local n = tonumber(args[4] or "0") or 0
  for i = 1, n do
    local body = wrk.body:gsub("@CONVERSATION@", tostring(i), 1)
    conversations[i] = wrk.format(nil, nil, nil, body)
  end
  math.randomseed(os.time())
end

-- wrk decides at load time whether a delay() exists, so pacing is chosen by the environment.
if os.getenv("BENCH_PACED") == "1" then
  function delay()
    return math.random(0, 2 * pace_ms)
  end
end

-- Likewise request(): without it wrk sends the request formatted once by wrk.init.
if os.getenv("BENCH_CONVERSATIONS") == "1" then
  function request()
    next_conversation = next_conversation % #conversations + 1
    return conversations[next_conversation]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"mean_us":%.1f,"bytes":%d,"err_connect":%d,"err_read":%d,' ..
    '"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
    summary.requests, secs, summary.requests / secs, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
end

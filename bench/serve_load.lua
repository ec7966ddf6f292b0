-- wrk script for bench/serve_load.sh: POST /v1/score with one candidate per
-- request (what an ATS webhook sends). Each wrk thread stops after its share
-- of the requests and leaves a file in MERIT_MARKS; the script then stops wrk
-- (wrk itself only knows durations), and done() prints the numbers as one
-- JSON line, the time being from the first thread's start to the last one's end.
local key, body_file, per_thread = os.getenv("MERIT_KEY"), os.getenv("MERIT_BODY"), tonumber(os.getenv("MERIT_PER_THREAD"))
local marks = os.getenv("MERIT_MARKS")

local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("*l"))
  p:close()
  return t
end
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  answered, bad, started, finished = 0, 0, now(), 0
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then bad = bad + 1 end
  if answered == per_thread then
    finished = now()
    io.open(marks .. "/" .. id, "w"):close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local answered_all, bad_all, first, last = 0, 0, math.huge, 0
  for _, t in ipairs(threads) do
    answered_all = answered_all + t:get("answered")
    bad_all = bad_all + t:get("bad")
    first = math.min(first, t:get("started"))
    last = math.max(last, t:get("finished"))
  end
  local seconds = last - first
  local e = summary.errors
  io.write(string.format(
    '{"answered": %d, "non_200": %d, "socket_errors": %d, "timeouts": %d, "seconds": %.3f, ' ..
    '"requests_per_second": %.0f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
    answered_all, bad_all, e.connect + e.read + e.write, e.timeout, seconds, answered_all / seconds, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end

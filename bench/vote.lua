-- wrk script of bench_ballots.py: every voter's one-time code is posted exactly once.
-- BALLOT_BODIES names a file of request bodies (JSON for the API, a form for the web page;
-- BALLOT_TYPE, BALLOT_COOKIE), one voter a line; BALLOT_PATH is the
-- vote endpoint; BALLOT_THREADS the number of wrk threads (one connection each), which
-- share the voters in equal ranges. A thread stops when its range is done and says so in
-- the file BALLOT_DONE: wrk itself waits out its -d duration, so the bench interrupts it
-- (SIGINT, which makes wrk report at once) when every thread is done.

local bodies = {}
for line in io.lines(os.getenv("BALLOT_BODIES")) do
  bodies[#bodies + 1] = line
end
local path = os.getenv("BALLOT_PATH")
local headers = { ["Content-Type"] = os.getenv("BALLOT_TYPE") }
if os.getenv("BALLOT_COOKIE") ~= "" then
  headers["Cookie"] = os.getenv("BALLOT_COOKIE")
end
-- What the answer says: counted now, or counted before (plain text, not patterns).
local counted_mark, again_mark = os.getenv("BALLOT_COUNTED"), os.getenv("BALLOT_AGAIN")

-- Main state: number the threads and keep them, to add up their counts in done().
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- Thread state from here on.
function init(args)
  local per = math.ceil(#bodies / tonumber(os.getenv("BALLOT_THREADS")))
  nxt = id * per + 1
  last = math.min(#bodies, nxt + per - 1)
  counted, again, failed = 0, 0, 0
  finished = false
  -- wrk calls the first thread's request() once before connecting, to count the requests
  -- it makes (script_verify_request); that call must not use up a code.
  checking = id == 0
end

local function finish()
  wrk.thread:stop()
  if not finished then
    finished = true
    local f = io.open(os.getenv("BALLOT_DONE"), "a")
    f:write(id, "\n")
    f:close()
  end
end

function request()
  if checking then
    checking = false
    return wrk.format("POST", path, headers, bodies[nxt])
  end
  if nxt > last then
    -- Only after a lost connection (no response() for a sent code): nothing left to send.
    finish()
    return wrk.format("GET", path)
  end
  local body = bodies[nxt]
  nxt = nxt + 1
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 200 and body:find(counted_mark, 1, true) then
    counted = counted + 1
  elseif status == 200 and body:find(again_mark, 1, true) then
    again = again + 1
  else
    failed = failed + 1
  end
  if nxt > last then
    finish()
  end
end

function done(summary, latency, requests)
  local c, a, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("counted")
    a = a + t:get("again")
    f = f + t:get("failed")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT counted=%d again=%d failed=%d responses=%d seconds=%.3f " ..
    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d\n",
    c, a, f, summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout))
end

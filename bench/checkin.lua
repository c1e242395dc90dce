-- wrk script: door check-ins by ticket code, as the organizers' desk sends them.
--
--   CODES_FILE=codes.txt BENCH_TOKEN=... WRK_THREADS=2 wrk -t2 -c64 -d10s -s bench/checkin.lua \
--       http://127.0.0.1:8080/api/v1/stops/STOP_ID/checkins
--
-- CODES_FILE holds one ticket code a line; each of wrk's threads (set WRK_THREADS to wrk's -t)
-- takes its own share of them. With ONCE=1 every code is sent once: a thread stops when its
-- share is used up, so the rate wrk reports is of first check-ins only. Without it a thread
-- cycles through all the codes from the start of its share; once every code has been used,
-- further check-ins are repeats, which the API answers 200 with "already_checked_in": true.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  local path = os.getenv("CODES_FILE") or error("set CODES_FILE")
  local token = os.getenv("BENCH_TOKEN") or error("set BENCH_TOKEN")
  codes = {}
  for line in io.lines(path) do
    if #line > 0 then
      codes[#codes + 1] = line
    end
  end
  if #codes == 0 then
    error("no codes in " .. path)
  end
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  local share = math.floor(#codes / nthreads)
  once = os.getenv("ONCE") == "1"
  first = (tid - 1) * share
  last = (tid == nthreads) and #codes or tid * share
  i = first % #codes
  sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  if once then
    if first + sent >= last then
      -- Share used up: repeat the last code until the thread has stopped.
      wrk.thread:stop()
      return wrk.format(nil, nil, nil, '{"code":"' .. codes[last] .. '"}')
    end
    sent = sent + 1
    return wrk.format(nil, nil, nil, '{"code":"' .. codes[first + sent] .. '"}')
  end
  i = i % #codes + 1
  return wrk.format(nil, nil, nil, '{"code":"' .. codes[i] .. '"}')
end

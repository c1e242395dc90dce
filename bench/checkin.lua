-- wrk script: door check-ins by ticket code, as the organizers' desk sends them.
--
--   CODES_FILE=codes.txt BENCH_TOKEN=... WRK_THREADS=2 wrk -t2 -c64 -d10s -s bench/checkin.lua \
--       http://127.0.0.1:8080/api/v1/stops/STOP_ID/checkins
--
-- CODES_FILE holds one ticket code a line. Each thread cycles through all of them from its
-- own starting point (set WRK_THREADS to wrk's -t); once every code has been used, further
-- check-ins are repeats, which the API answers 200 with "already_checked_in": true.

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
  -- Each thread starts at its own share of the list (WRK_THREADS: wrk's -t), so the first
  -- pass checks everyone in once before the repeats begin.
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  i = ((tid - 1) * math.floor(#codes / nthreads)) % #codes
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  i = i % #codes + 1
  return wrk.format(nil, nil, nil, '{"code":"' .. codes[i] .. '"}')
end

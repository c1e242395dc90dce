-- wrk script: public registrations, each with an e-mail address never used before.
--
--   BENCH_TAG=r123 wrk -t2 -c64 -d10s -s bench/register.lua \
--       http://127.0.0.1:8080/api/v1/stops/STOP_ID/registrations
--
-- Addresses are "<tag>-t<thread>-<n>@bench.example.org": the thread number (given in
-- setup, so it differs between wrk's threads) and a per-thread counter keep them distinct
-- within a run, BENCH_TAG keeps them distinct between runs against the same stop.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  n = 0
  tag = os.getenv("BENCH_TAG") or "bench"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = string.format(
    '{"name":"Bench Person %d-%d","email":"%s-t%d-%d@bench.example.org"}',
    tid, n, tag, tid, n)
  return wrk.format(nil, nil, nil, body)
end

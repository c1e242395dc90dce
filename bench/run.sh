#!/usr/bin/env bash
# HTTP benchmarks of roadshow with wrk, on SQLite and on PostgreSQL, plus nginx serving the
# same stop page as a yardstick. See bench/README.md.
#
#   bench/run.sh                                   # both backends, 10 s per wrk run
#   DURATION=3 BACKENDS=sqlite bench/run.sh        # a quick look
#   WRITE_BENCHMARKS=1 bench/run.sh                # also append the table to BENCHMARKS.md
#
# Environment:
#   BACKENDS          "sqlite postgres" (default); postgres is skipped when it does not answer
#   DURATION          seconds per wrk run (10)
#   THREADS, CONNECTIONS   wrk -t / -c (2, 64)
#   CHECKIN_PEOPLE    registrations made before the check-in run (2000)
#   BIG_STOPS, BIG_REGISTRATIONS, BIG_TALKS   the generated tour (100, 100000, 500; BIG_STOPS=0
#                     skips it)
#   PG_ADMIN_URL      postgres://postgres@127.0.0.1:5432/postgres; a fresh database is
#                     created on that server for the run and dropped afterwards
#   MAIL_WORKER       run the outbox worker inside the server during the runs (false: the
#                     e-mails of the registrations stay queued; benches/outbox.rs measures
#                     sending on its own)
#   CARGO_TARGET_DIR  where the release binary is built (default target/)
#   SKIP_BUILD=1      use the binary already built there
#   PERF=NAME         record a perf profile of the server during the wrk run NAME (for
#                     example sqlite-register) into perf-NAME.data in the current directory
#   PERF_ALL=1        profile the whole machine instead (wrk, PostgreSQL and the server)
#   WRITE_BENCHMARKS=1  append the summary to BENCHMARKS.md at the repository root
#                     (or to BENCHMARKS_FILE when set)
#
# Exit status: non-zero when a check failed (more confirmed than the target, the small stop
# not filled exactly, missing ticket codes).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PWD_AT_START="$PWD"
BENCH="$ROOT/bench"
cd "$ROOT"

BACKENDS="${BACKENDS:-sqlite postgres}"
DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
CHECKIN_PEOPLE="${CHECKIN_PEOPLE:-2000}"
BIG_STOPS="${BIG_STOPS:-100}"
BIG_REGISTRATIONS="${BIG_REGISTRATIONS:-100000}"
BIG_TALKS="${BIG_TALKS:-500}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
MAIL_WORKER="${MAIL_WORKER:-false}"
WRITE_BENCHMARKS="${WRITE_BENCHMARKS:-0}"
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-3}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="$TARGET_DIR/release/roadshow"

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 2; }
done

# --- cleanup ---------------------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/roadshow-bench.XXXXXX")"
SERVER_PID=""
NGINX_PID=""
WRK_PID=""
PG_DATABASES=()

stop_pid() { # PID: TERM, wait up to 10 s, then KILL
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

drop_database() {
  psql "$PG_ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$WRK_PID"
  stop_pid "$SERVER_PID"
  stop_pid "$NGINX_PID"
  for db in ${PG_DATABASES[@]+"${PG_DATABASES[@]}"}; do
    drop_database "$db"
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------------------

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
FAILURES=0
fail() {
  printf 'bench: CHECK FAILED: %s\n' "$*" >&2
  FAILURES=$((FAILURES + 1))
}

now_ns() { date +%s%N; }

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return
    fi
  done
}

# to_ms 812.00us|4.80ms|1.02s|2.00m -> milliseconds with 2 decimals
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v == "") { print "-"; exit }
    n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) { print v; exit }
    printf "%.2f\n", n * f
  }'
}

# to_s 3.00s|1.00m|900.00ms -> seconds
to_s() {
  awk -v v="$1" 'BEGIN {
    n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.000001 : (u == "ms") ? 0.001 : (u == "s") ? 1 : (u == "m") ? 60 : (u == "h") ? 3600 : 1
    printf "%.3f\n", n * f
  }'
}

# run_wrk NAME URL [LUA]: runs wrk, keeps its output in $WORK/wrk-NAME.txt and sets
# W_RPS W_P50 W_P99 (ms) W_NON2XX W_SOCKERR W_REQUESTS W_SECS.
run_wrk() {
  local name="$1" url="$2" script="${3:-}"
  local out="$WORK/wrk-$name.txt"
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  log "wrk $name: $url"
  # In the background and waited for, so that a signal reaches the trap at once.
  WRK_THREADS="$THREADS" wrk "${args[@]}" "$url" >"$out" 2>&1 &
  WRK_PID=$!
  if [ "${PERF:-}" = "$name" ] && [ -n "$SERVER_PID" ]; then
    local target=(-p "$SERVER_PID")
    [ "${PERF_ALL:-0}" = 1 ] && target=(-a)
    perf record --call-graph "${PERF_CALLGRAPH:-fp}" "${target[@]}" -o "$PWD_AT_START/perf-$name.data" -- sleep "$DURATION" \
      >/dev/null 2>&1 || echo "bench: perf record failed" >&2 &
  fi
  local rc=0
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  if [ "$rc" != 0 ]; then
    cat "$out" >&2
    fail "wrk $name exited with status $rc"
  fi
  sed 's/^/    /' "$out" >&2
  W_RPS="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  W_P50="$(to_ms "$(awk '$1 == "50%" {print $2; exit}' "$out")")"
  W_P99="$(to_ms "$(awk '$1 == "99%" {print $2; exit}' "$out")")"
  W_NON2XX="$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2; exit}' "$out")"
  W_NON2XX="${W_NON2XX:-0}"
  W_SOCKERR="$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10; exit}' "$out")"
  W_SOCKERR="${W_SOCKERR:-0}"
  W_SOCKERR_DETAIL="$(awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print; exit}' "$out")"
  W_REQUESTS="$(awk '/ requests in / {print $1; exit}' "$out")"
  W_REQUESTS="${W_REQUESTS:-0}"
  W_SECS="$(to_s "$(awk '/ requests in / {sub(/,$/, "", $4); print $4; exit}' "$out")")"
  W_RPS="${W_RPS:-0}"
  if [ "$W_NON2XX" != 0 ] || [ "$W_SOCKERR" != 0 ]; then
    echo "    (non-2xx/3xx: $W_NON2XX, socket errors: ${W_SOCKERR_DETAIL:-none})" >&2
  fi
}

wrk_notes() { # the common part of the notes column
  local n="non-2xx: $W_NON2XX"
  if [ "$W_SOCKERR" != 0 ]; then
    n="$n, socket errors: $W_SOCKERR_DETAIL"
  fi
  echo "$n"
}

DATE="$(date -u +%Y-%m-%dT%H:%MZ)"
NPROC="$(nproc)"
ARCH="$(uname -m)"
ROWS=()
add_row() { # BACKEND METRIC REQS P50 P99 NOTES
  ROWS+=("| $DATE | $NPROC | $ARCH | $1 | $2 | $3 | $4 | $5 | $6 |")
}

# api METHOD PATH [JSON]: calls the running server with the token; prints the body, fails
# on a status >= 300.
api() {
  local method="$1" path="$2" body="${3:-}" out="$WORK/api-body.json" code
  local args=(-sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN")
  [ -n "$body" ] && args+=(-H 'content-type: application/json' --data-binary "$body")
  code="$(curl "${args[@]}" "$BASE$path")"
  if [ "$code" -ge 300 ]; then
    echo "bench: $method $path answered $code: $(cat "$out")" >&2
    return 1
  fi
  cat "$out"
}

rfc3339_in_days() { date -u -d "+$1 days" +%Y-%m-%dT10:00:00+00:00; }

# open_stop TOUR_ID CAPACITY SHOW_RATE DAYS: a venue and an open stop in it; prints the id.
open_stop() {
  local tour="$1" capacity="$2" rate="$3" days="$4" venue stop
  venue="$(api POST /api/v1/venues "$(jq -nc --arg n "Hall $capacity-$days" --argjson c "$capacity" \
    '{name: $n, city: "北京", address: "1 Bench Road", directions: "3rd floor", capacity: $c,
      kind: "company_office", cost: "free", contact: "Ms. Li"}')" | jq -r .id)"
  stop="$(api POST "/api/v1/tours/$tour/stops" "$(jq -nc --arg v "$venue" --argjson r "$rate" \
    --arg s "$(rfc3339_in_days "$days")" --arg e "$(date -u -d "+$days days" +%Y-%m-%dT18:00:00+00:00)" \
    '{city: "北京", starts_at: $s, ends_at: $e, timezone: "Asia/Shanghai", venue_id: $v,
      show_rate: $r, status: "open"}')" | jq -r .id)"
  echo "$stop"
}

stats() { api GET "/api/v1/stops/$1/stats"; }

codes_of_stop() { # STOP_ID: its ticket codes, one a line, read from the database
  case "$ROADSHOW_DATABASE_URL" in
    sqlite://*)
      python3 -c 'import sqlite3, sys
for (code,) in sqlite3.connect(sys.argv[1]).execute("SELECT code FROM registrations WHERE stop_id = ?", (sys.argv[2],)):
    print(code)' "${ROADSHOW_DATABASE_URL#sqlite://}" "$1" ;;
    *) psql "$ROADSHOW_DATABASE_URL" -qAtc "SELECT code FROM registrations WHERE stop_id = '$1'" ;;
  esac
}

# --- build -----------------------------------------------------------------------------

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the release binary (target dir $TARGET_DIR)"
  CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --bin roadshow
fi
[ -x "$BIN" ] || { echo "bench: no binary at $BIN" >&2; exit 2; }

# --- one backend -----------------------------------------------------------------------

PAGE_FILE=""          # the stop page's bytes, from the first backend
declare -A PAGE_RPS   # backend -> stop page req/s

bench_backend() {
  local backend="$1" dir="$WORK/$backend" db_url port
  mkdir -p "$dir/data"
  case "$backend" in
    sqlite) db_url="sqlite://$dir/data/roadshow.sqlite3" ;;
    postgres)
      local name="roadshow_bench_$$_$RANDOM"
      psql "$PG_ADMIN_URL" -qAtc "CREATE DATABASE $name" >/dev/null
      PG_DATABASES+=("$name")
      db_url="${PG_ADMIN_URL%/*}/$name"
      ;;
    *) echo "bench: unknown backend $backend" >&2; return 1 ;;
  esac
  port="$(free_port)"
  BASE="http://127.0.0.1:$port"

  export ROADSHOW_CONFIG_DIR="$ROOT/config"
  export ROADSHOW_DATABASE_URL="$db_url"
  export ROADSHOW_DATA_DIR="$dir/data"
  export ROADSHOW_BIND="127.0.0.1:$port"
  export ROADSHOW_BASE_URL="$BASE"
  export ROADSHOW_LOG_FORMAT=json
  export ROADSHOW_MAIL_WORKER="$MAIL_WORKER"
  # wrk comes from one address; the limits would answer 429 to almost everything.
  export ROADSHOW_RATE_LIMITS=off
  export RUST_LOG=warn

  log "$backend: starting roadshow on $BASE"
  local t0 t1 startup_ms
  t0="$(now_ns)"
  "$BIN" serve --bind "127.0.0.1:$port" --data-dir "$dir/data" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null "$BASE/healthz"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat "$dir/server.log" >&2
      echo "bench: roadshow exited during start-up" >&2
      return 1
    fi
    if [ $(( ($(now_ns) - t0) / 1000000000 )) -ge 60 ]; then
      echo "bench: /healthz did not answer within 60 s" >&2
      return 1
    fi
    sleep 0.005
  done
  t1="$(now_ns)"
  startup_ms=$(( (t1 - t0) / 1000000 ))
  echo "    start-up (launch to /healthz, fresh database, migrations included): ${startup_ms} ms" >&2

  printf 'a bench password, long enough\n' |
    "$BIN" organizer add bench@example.org --name "Bench Admin" --admin >/dev/null
  TOKEN="$("$BIN" token create bench@example.org --label bench | tail -n1)"

  local tour big small door
  tour="$(api POST /api/v1/tours "$(jq -nc --arg n "Bench Tour $backend $$" \
    '{name: $n, description: "A *benchmark* tour.", contact_email: "team@example.org"}')" | jq -r .id)"
  big="$(open_stop "$tour" 100000 0.5 30)"
  small="$(open_stop "$tour" 50 0.5 31)"
  door="$(open_stop "$tour" 100000 0.5 32)"
  api PATCH "/api/v1/tours/$tour" '{"status": "published"}' >/dev/null

  # a. the public stop page
  local page_status
  page_status="$(curl -s -o "$dir/stop.html" -w '%{http_code}' "$BASE/stops/$big")"
  [ "$page_status" = 200 ] || fail "$backend: GET /stops/$big answered $page_status"
  echo "    stop page: $(wc -c <"$dir/stop.html") bytes, $(grep -o '<title>[^<]*' "$dir/stop.html" | head -n1 | sed 's/<title>/title "/; s/$/"/')" >&2
  if [ -z "$PAGE_FILE" ]; then
    PAGE_FILE="$WORK/stop.html"
    cp "$dir/stop.html" "$PAGE_FILE"
  fi
  run_wrk "$backend-stop-page" "$BASE/stops/$big"
  PAGE_RPS[$backend]="$W_RPS"
  add_row "$backend" "GET /stops/{id} (public page, $(wc -c <"$dir/stop.html") B)" \
    "$W_RPS" "$W_P50" "$W_P99" "$(wrk_notes)"

  # b. registrations, all confirmed (target 100000 / 0.5 = 200000)
  BENCH_TAG="big$$" run_wrk "$backend-register" "$BASE/api/v1/stops/$big/registrations" \
    "$BENCH/register.lua"
  sleep 0.5
  local s confirmed waitlisted target per_s
  s="$(stats "$big")"
  confirmed="$(jq .confirmed <<<"$s")"
  waitlisted="$(jq .waitlisted <<<"$s")"
  target="$(jq .registration_target <<<"$s")"
  per_s="$(awk -v c="$confirmed" -v t="$W_SECS" 'BEGIN { printf "%.0f", (t > 0 ? c / t : 0) }')"
  [ "$confirmed" -le "$target" ] || fail "$backend: $confirmed confirmed > target $target"
  [ "$waitlisted" = 0 ] || fail "$backend: $waitlisted waitlisted on the stop with target $target"
  echo "    confirmed $confirmed of target $target in ${W_SECS}s: $per_s confirmed/s" >&2
  add_row "$backend" "POST registrations (all confirmed)" "$W_RPS" "$W_P50" "$W_P99" \
    "$per_s confirmed/s ($confirmed confirmed ≤ target $target); $(wrk_notes)"

  # b2. first check-ins at the door: every person of the big stop scanned once
  # Read from the database: the API's list of ~50,000 people would dominate the server's peak
  # memory, which is measured at the end.
  codes_of_stop "$big" >"$dir/big-codes.txt"
  local nbig before after
  nbig="$(wc -l <"$dir/big-codes.txt")"
  before="$(stats "$big" | jq .checked_in)"
  # The people may all be in before wrk's time is up: the rate is read off the stop's count,
  # sampled while it climbs.
  (
    while :; do
      echo "$(now_ns) $(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/stops/$big/stats" | jq .checked_in)"
      sleep 0.2
    done
  ) >"$dir/checkin-samples.txt" 2>/dev/null &
  local sampler=$!
  ONCE=1 CODES_FILE="$dir/big-codes.txt" BENCH_TOKEN="$TOKEN" run_wrk "$backend-checkin-first" \
    "$BASE/api/v1/stops/$big/checkins" "$BENCH/checkin.lua"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sleep 0.5
  after="$(stats "$big" | jq .checked_in)"
  # From the last sample before the count moved to the first one at its final value (wrk
  # may stop with a few scans of its last round unanswered, so "everyone" is not the mark).
  per_s="$(awk '
    $2 ~ /^[0-9]+$/ { n++; t[n] = $1; c[n] = $2 }
    END {
      if (n < 2) { print 0; exit }
      i = 1; while (i < n && c[i + 1] == c[1]) i++
      j = i; while (j < n && c[j] != c[n]) j++
      printf "%.0f", (t[j] > t[i] ? (c[j] - c[i]) / ((t[j] - t[i]) / 1e9) : 0)
    }' "$dir/checkin-samples.txt")"
  [ "$after" -le "$nbig" ] || fail "$backend: $after checked in of $nbig registrations"
  echo "    first check-ins: $((after - before)) of $nbig, $per_s/s while they lasted" >&2
  add_row "$backend" "POST check-ins (each code once)" "$W_RPS" "$W_P50" "$W_P99" \
    "$per_s first check-ins/s ($((after - before)) of $nbig people in; rate from the stop's count sampled every 0.2 s while it climbed; wrk's req/s is everyone over the whole run); $(wrk_notes)"

  # c. registrations against a small target: never more confirmed than the target
  BENCH_TAG="small$$" run_wrk "$backend-register-small" \
    "$BASE/api/v1/stops/$small/registrations" "$BENCH/register.lua"
  sleep 0.5
  s="$(stats "$small")"
  confirmed="$(jq .confirmed <<<"$s")"
  waitlisted="$(jq .waitlisted <<<"$s")"
  target="$(jq .registration_target <<<"$s")"
  echo "    small stop: target $target, confirmed $confirmed, waitlisted $waitlisted" >&2
  [ "$target" = 100 ] || fail "$backend: the small stop's target is $target, not 100"
  [ "$confirmed" = 100 ] || fail "$backend: the small stop has $confirmed confirmed, not exactly 100"
  add_row "$backend" "POST registrations (target 100)" "$W_RPS" "$W_P50" "$W_P99" \
    "confirmed $confirmed (target $target), waitlisted $waitlisted; $(wrk_notes)"

  # d. check-ins at the door
  log "$backend: registering $CHECKIN_PEOPLE people for the check-in run"
  local cfg="$dir/preregister.curl" i
  : >"$cfg"
  for ((i = 1; i <= CHECKIN_PEOPLE; i++)); do
    [ "$i" -gt 1 ] && echo next >>"$cfg"
    printf 'url = "%s/api/v1/stops/%s/registrations"\nheader = "content-type: application/json"\ndata = "{\\"name\\":\\"Guest %d\\",\\"email\\":\\"guest-%d@bench.example.org\\"}"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
      "$BASE" "$door" "$i" "$i" >>"$cfg"
  done
  local created
  created="$(curl -s -K "$cfg" | grep -c '^201$' || true)"
  [ "$created" = "$CHECKIN_PEOPLE" ] || fail "$backend: $created of $CHECKIN_PEOPLE pre-registrations answered 201"
  api GET "/api/v1/stops/$door/registrations" | jq -r '.[].code' >"$dir/codes.txt"
  local ncodes
  ncodes="$(wc -l <"$dir/codes.txt")"
  [ "$ncodes" = "$CHECKIN_PEOPLE" ] || fail "$backend: $ncodes ticket codes listed, expected $CHECKIN_PEOPLE"
  CODES_FILE="$dir/codes.txt" BENCH_TOKEN="$TOKEN" run_wrk "$backend-checkin" \
    "$BASE/api/v1/stops/$door/checkins" "$BENCH/checkin.lua"
  sleep 0.5
  local checked
  checked="$(stats "$door" | jq .checked_in)"
  local how
  if [ "$checked" -ge "$ncodes" ]; then
    how="all $ncodes codes checked in, the later requests repeats"
  else
    how="$checked of $ncodes codes checked in, no repeats"
  fi
  echo "    $how ($W_REQUESTS requests counted by wrk)" >&2
  add_row "$backend" "POST check-ins (2000 codes, mostly repeats)" "$W_RPS" "$W_P50" "$W_P99" \
    "$how; $(wrk_notes)"

  # e. a big generated tour: its pages, and its report rendered without the page cache
  if [ "$BIG_STOPS" != 0 ]; then
    log "$backend: generating a tour of $BIG_STOPS stops, $BIG_REGISTRATIONS registrations, $BIG_TALKS talks"
    "$BIN" demo --generate --stops "$BIG_STOPS" --registrations "$BIG_REGISTRATIONS" \
      --talks "$BIG_TALKS" >"$dir/generate.txt" 2>>"$dir/server.log" || fail "$backend: demo --generate failed"
    sed 's/^/    /' "$dir/generate.txt" >&2
    local gen_slug gen_stop gen_time
    gen_slug="$(sed -n 's|.*Public page: .*/tours/||p' "$dir/generate.txt")"
    gen_stop="$(sed -n 's|.*An open stop: .*/stops/||p' "$dir/generate.txt")"
    gen_time="$(sed -n 's|^Generated .* in \(.*\)\.$|\1|p' "$dir/generate.txt")"
    add_row "$backend" "generate the big tour (CLI)" "-" "-" "-" \
      "$BIG_STOPS stops, $BIG_REGISTRATIONS registrations, $BIG_TALKS talks in $gen_time"
    # A cookie makes the request uncacheable: every one renders the report from the database.
    local times=() t
    for _ in 1 2 3 4 5 6 7; do
      t="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'Cookie: roadshow_session=none' \
        "$BASE/tours/$gen_slug/report")"
      [ "${t%% *}" = 200 ] || fail "$backend: the big report answered ${t%% *}"
      times+=("$(awk -v s="${t##* }" 'BEGIN { printf "%.1f", s * 1000 }')")
    done
    local median
    median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p)"
    echo "    big report rendered without the cache: ${times[*]} ms (median $median ms)" >&2
    add_row "$backend" "report of the big tour, rendered (no cache)" "-" "$median" "-" \
      "median of 7 sequential requests: ${times[*]} ms"
    run_wrk "$backend-big-report" "$BASE/tours/$gen_slug/report"
    add_row "$backend" "GET big tour report (cached)" "$W_RPS" "$W_P50" "$W_P99" "$(wrk_notes)"
    run_wrk "$backend-big-tour" "$BASE/tours/$gen_slug"
    add_row "$backend" "GET big tour page (100 stops)" "$W_RPS" "$W_P50" "$W_P99" "$(wrk_notes)"
    if [ -n "$gen_stop" ]; then
      run_wrk "$backend-big-stop" "$BASE/stops/$gen_stop"
      add_row "$backend" "GET stop page with agenda (big tour)" "$W_RPS" "$W_P50" "$W_P99" "$(wrk_notes)"
    fi
  fi

  # f. memory and start-up
  local hwm rss
  hwm="$(awk '/^VmHWM:/ {printf "%.1f MiB", $2 / 1024}' "/proc/$SERVER_PID/status")"
  rss="$(awk '/^VmRSS:/ {printf "%.1f MiB", $2 / 1024}
    /^RssAnon:/ {a = $2} /^RssFile:/ {f = $2} /^RssShmem:/ {m = $2}
    END {printf ": %.1f heap and stacks, %.1f files mapped, %.1f shared", a / 1024, f / 1024, m / 1024}' "/proc/$SERVER_PID/status")"
  echo "    threads: $(awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status")" >&2
  echo "    memory: peak RSS (VmHWM) $hwm, RSS now $rss" >&2
  add_row "$backend" "peak RSS after the runs (VmHWM)" "-" "-" "-" "$hwm (RSS now $rss)"
  add_row "$backend" "start-up (launch → /healthz, fresh DB)" "-" "-" "-" "$startup_ms ms"

  if grep -q '"level":"ERROR"' "$dir/server.log"; then
    echo "    the server logged errors:" >&2
    grep '"level":"ERROR"' "$dir/server.log" | head -n 5 | sed 's/^/      /' >&2
  fi

  stop_pid "$SERVER_PID"
  SERVER_PID=""
  if [ "$backend" = postgres ]; then
    drop_database "${PG_DATABASES[-1]}"
  fi
}

RAN=()
for backend in $BACKENDS; do
  if [ "$backend" = postgres ] && ! psql "$PG_ADMIN_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    echo "bench: note: PostgreSQL at $PG_ADMIN_URL does not answer; skipping the postgres backend" >&2
    continue
  fi
  bench_backend "$backend"
  RAN+=("$backend")
done

# --- nginx serving the same page -------------------------------------------------------

NGINX_RPS=""
if [ -n "$PAGE_FILE" ]; then
  NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
  if [ -x "$NGINX_BIN" ]; then
    ng="$WORK/nginx"
    mkdir -p "$ng/www" "$ng/logs" "$ng/tmp"
    cp "$PAGE_FILE" "$ng/www/stop.html"
    nport="$(free_port)"
    user_line=""
    [ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
    cat >"$ng/nginx.conf" <<EOF
$user_line
worker_processes 2;
daemon off;
pid $ng/nginx.pid;
error_log $ng/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $ng/tmp/body;
  proxy_temp_path $ng/tmp/proxy;
  fastcgi_temp_path $ng/tmp/fastcgi;
  uwsgi_temp_path $ng/tmp/uwsgi;
  scgi_temp_path $ng/tmp/scgi;
  server {
    listen 127.0.0.1:$nport;
    root $ng/www;
    location = /stop { default_type "text/html; charset=utf-8"; try_files /stop.html =404; }
  }
}
EOF
    log "nginx serving the stop page on 127.0.0.1:$nport"
    "$NGINX_BIN" -c "$ng/nginx.conf" -p "$ng" >"$ng/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    for _ in $(seq 200); do
      curl -sf -o /dev/null "http://127.0.0.1:$nport/stop" && break
      kill -0 "$NGINX_PID" 2>/dev/null || break
      sleep 0.05
    done
    if cmp -s <(curl -s "http://127.0.0.1:$nport/stop") "$PAGE_FILE"; then
      run_wrk nginx-stop-page "http://127.0.0.1:$nport/stop"
      NGINX_RPS="$W_RPS"
      add_row nginx "GET static copy of the stop page" "$W_RPS" "$W_P50" "$W_P99" "$(wrk_notes)"
      for backend in ${RAN[@]+"${RAN[@]}"}; do
        ratio="$(awk -v a="${PAGE_RPS[$backend]}" -v b="$NGINX_RPS" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
        add_row "$backend" "stop page: roadshow / nginx" "-" "-" "-" \
          "$ratio (${PAGE_RPS[$backend]} / $NGINX_RPS req/s)"
      done
    else
      cat "$ng/logs/"*.log >&2 || true
      fail "nginx did not serve the stop page"
    fi
    stop_pid "$NGINX_PID"
    NGINX_PID=""
  else
    echo "bench: note: nginx not found; no comparison" >&2
  fi
fi

# --- summary ---------------------------------------------------------------------------

TABLE="$(
  echo "| date | nproc | uname -m | backend | metric | req/s | p50 ms | p99 ms | notes |"
  echo "| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |"
  for r in ${ROWS[@]+"${ROWS[@]}"}; do echo "$r"; done
)"
SETUP="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, mail worker $MAIL_WORKER, roadshow $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '+changes'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

echo
echo "$SETUP"
echo
echo "$TABLE"

if [ "$WRITE_BENCHMARKS" = 1 ]; then
  out="${BENCHMARKS_FILE:-$ROOT/BENCHMARKS.md}"
  if [ ! -f "$out" ]; then
    cat >"$out" <<'EOF'
# Benchmarks

Measured with `bench/run.sh` (wrk against a release build on a fresh database per backend,
nginx serving a saved copy of the same stop page as a yardstick) and
`cargo bench --bench outbox` (the e-mail worker's send rate). Run them yourself with

```sh
WRITE_BENCHMARKS=1 bench/run.sh            # appends a section to this file
cargo bench --bench outbox
```

`bench/README.md` explains each metric. Figures depend on the machine: compare rows from the
same machine only.
EOF
  fi
  {
    echo
    echo "## $DATE"
    echo
    echo "$SETUP"
    echo
    echo "$TABLE"
  } >>"$out"
  echo "bench: appended to $out" >&2
fi

if [ "$FAILURES" -gt 0 ]; then
  echo "bench: $FAILURES check(s) failed" >&2
  exit 1
fi

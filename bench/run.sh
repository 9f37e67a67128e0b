#!/usr/bin/env bash
# `make bench`: copilot-sim directly vs copilot-gateway in front of it vs nginx proxy_pass in front
# of it, on loopback, one worker each. The proxy under test runs alone on core 1; the simulator and
# the load generator (wrk) share core 0. For every case and target it measures closed-loop maximum
# throughput (in rounds where the targets take turns; the median round counts), p50/p99 latency at
# a fixed paced rate, the measured process's CPU time per request (from /proc/PID/stat) and errors
# (non-2xx answers, socket errors), then prints the tables (one for direct/gateway/nginx, one per
# translated_* case, one for the account pool), also saved to bench/results/latest.md.
# Single-threaded shell script; starts and stops its own processes.
#
# Environment knobs:
#   BENCH_QUICK=1          short smoke run (~45 s of load): fails only on errors, numbers are rough
#   BENCH_CALLGRIND=1      also count instructions/request under valgrind --tool=callgrind
#   BENCH_BIN_DIR=DIR      use copilot-sim/copilot-gateway from DIR and skip the build
#   BENCH_TARGETS="direct gateway nginx"
#   BENCH_CASES="small small_stream agent agent_stream translated_stream translated_agent_stream
#     pool_small pool_small_stream"
#     (the translated_* and pool_* cases measure the gateway alone, see TRANSLATED_TARGETS and
#     POOL_TARGETS below; they are paced at the rate of small_stream / agent_stream when that case
#     ran before them)
#   BENCH_DURATION=4 (seconds per throughput round) BENCH_ROUNDS=3 (rounds, targets taking turns;
#   the median round is reported) BENCH_WARMUP=2 BENCH_LAT_DURATION=5 BENCH_CONNECTIONS=32
#   BENCH_RATE=2000 (paced req/s, capped per case at BENCH_RATE_FRACTION=0.4 of direct's max)
#   BENCH_PACED_CONNECTIONS=20 BENCH_MODEL=gpt-4.1
#   BENCH_NGINX_ACCESS_LOG=file|off (default file, like the gateway's access log)
#   BENCH_CALLGRIND_REQUESTS=300 BENCH_CALLGRIND_POOL_SECONDS=3
#   BENCH_POOL_ACCOUNTS=10 BENCH_POOL_TARGETS="gw_pool" (add gw_pool_rr for round-robin)
#   BENCH_POOL_CONVERSATIONS=100
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH="$ROOT/bench"

QUICK=${BENCH_QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
  DURATION=${BENCH_DURATION:-1}
  WARMUP=${BENCH_WARMUP:-0}
  LAT_DURATION=${BENCH_LAT_DURATION:-1}
  ROUNDS=${BENCH_ROUNDS:-1}
else
  DURATION=${BENCH_DURATION:-4}
  WARMUP=${BENCH_WARMUP:-2}
  LAT_DURATION=${BENCH_LAT_DURATION:-5}
  ROUNDS=${BENCH_ROUNDS:-3}
fi
CONNECTIONS=${BENCH_CONNECTIONS:-32}
RATE=${BENCH_RATE:-2000}
PACED_CONNECTIONS=${BENCH_PACED_CONNECTIONS:-20}
RATE_FRACTION=${BENCH_RATE_FRACTION:-0.4}
declare -A CASE_RATE=()
MODEL=${BENCH_MODEL:-gpt-4.1}
TARGETS=${BENCH_TARGETS:-direct gateway nginx}
CASES=${BENCH_CASES:-small small_stream agent agent_stream translated_stream translated_agent_stream \
pool_small pool_small_stream}
# translated_stream: the gateway alone, its pass-through chat stream (the small_stream body) in
# turns with the same stream asked for as Anthropic Messages (model gpt-4.1, which Copilot serves
# only through /chat/completions: translated both ways) and as OpenAI Responses (model
# gemini-2.5-pro, chat-only: translated both ways). Pseudo-targets gw_messages / gw_responses.
# translated_agent_stream: the same three with the ~88 KB agent body: the agent_stream chat body,
# the same content as Claude Code sends it (Messages) and as Codex sends it (Responses).
# gw_responses_pass: the Responses body again, for gpt-5-mini, which Copilot serves through
# /responses: bytes forwarded unchanged. It shows what the Responses format itself costs (its
# stream is ~1.65x the bytes of the chat stream for the same text), apart from translation.
TRANSLATED_TARGETS="gateway gw_messages gw_responses gw_responses_pass"
# pool_small, pool_small_stream: the gateway alone, the small body (non-stream, stream) sent as
# BENCH_POOL_CONVERSATIONS different conversations in turn (the first message differs, and with
# it the key that keeps a conversation on one account; with one body every request would be one
# conversation and stay on one account), to the single-account gateway and, taking turns with it
# in every round, to gw_pool: the gateway serving from BENCH_POOL_ACCOUNTS accounts saved in a
# temporary accounts database (copilot-sim's sim-user, sim-user-2 .. sim-user-N) with the default
# strategy (quota-aware; gpt-4.1 is a free model, so its free_strategy, least-busy, picks).
# gw_pool_rr: the same pool in round-robin.
POOL_ACCOUNTS=${BENCH_POOL_ACCOUNTS:-10}
POOL_TARGETS=${BENCH_POOL_TARGETS:-gw_pool}
POOL_CONVERSATIONS=${BENCH_POOL_CONVERSATIONS:-100}
NGINX_ACCESS_LOG=${BENCH_NGINX_ACCESS_LOG:-file}
CALLGRIND=${BENCH_CALLGRIND:-0}
CALLGRIND_REQUESTS=${BENCH_CALLGRIND_REQUESTS:-300}
CALLGRIND_POOL_SECONDS=${BENCH_CALLGRIND_POOL_SECONDS:-3}  # the pool cases: wrk for this long
STATIC_TOKEN="bench-static-copilot-token"
API_KEY="bench-key-$RANDOM$RANDOM"
CORE_PROXY=1
CORE_LOAD=0

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Tools: install what is missing by Debian package name.
ensure_tools() {
  local -a missing=()
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v h2load >/dev/null || missing+=(nghttp2-client)
  command -v curl >/dev/null || missing+=(curl)
  command -v pgrep >/dev/null || missing+=(procps)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v python3 >/dev/null || missing+=(python3)
  command -v valgrind >/dev/null || missing+=(valgrind)
  if ((${#missing[@]})); then
    log "installing missing packages: ${missing[*]}"
    local sudo=""
    [[ $EUID -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  (($(nproc) >= 2)) || log "WARNING: fewer than 2 cores; pinning is meaningless"
}

# ---------------------------------------------------------------------------------------------
# Build (Release) unless BENCH_BIN_DIR points at existing binaries.
GATEWAY_OK=1
build() {
  if [[ -n "${BENCH_BIN_DIR:-}" ]]; then
    BIN_DIR=$(cd "$BENCH_BIN_DIR" && pwd)
  else
    BIN_DIR="$ROOT/build/release"
    log "building Release into build/release"
    cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCG_TESTS=OFF >/dev/null
    if ! cmake --build build/release --target copilot-gateway copilot-sim -j2; then
      log "building both targets failed; trying copilot-sim alone"
      cmake --build build/release --target copilot-sim -j2 || die "copilot-sim does not build"
    fi
  fi
  [[ -x "$BIN_DIR/copilot-sim" ]] || die "no copilot-sim in $BIN_DIR"
  if [[ ! -x "$BIN_DIR/copilot-gateway" ]]; then
    log "WARNING: no copilot-gateway in $BIN_DIR: the gateway column will be empty"
    GATEWAY_OK=0
  fi
}

# ---------------------------------------------------------------------------------------------
# Process helpers.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cg-bench.XXXXXX")
declare -a PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${BENCH_KEEP_TMP:-0}" == 1 ]]; then
    log "kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_listening NAME PID OUTFILE -> prints the base URL announced as "NAME listening on URL".
wait_listening() {
  local name=$1 pid=$2 out=$3 i url
  for ((i = 0; i < 300; i++)); do
    url=$(sed -n "s/^$name listening on \(http:[^ ]*\).*/\1/p" "$out" 2>/dev/null | head -1)
    if [[ -n "$url" ]]; then
      echo "$url"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  log "$name did not start; its output:"
  tail -n 30 "$out" "${out%.out}.err" >&2 2>/dev/null || true
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# cpu_ticks PID... -> utime+stime (clock ticks) summed over the processes (all their threads).
cpu_ticks() {
  local total=0 p stat
  for p in "$@"; do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}

# ---------------------------------------------------------------------------------------------
# Bodies.
make_bodies() {
  local prompt="Hello there, please answer briefly. [[sim:chunks=20]]"
  printf '{"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":256,"stream":false}' \
    "$MODEL" "$prompt" >"$TMP/small.json"
  printf '{"model":"%s","messages":[{"role":"user","content":"%s"}],"max_tokens":256,"stream":true}' \
    "$MODEL" "$prompt" >"$TMP/small_stream.json"
  printf '{"model":"gpt-4.1","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"%s"}]}' \
    "$prompt" >"$TMP/messages_stream.json"
  printf '{"model":"gemini-2.5-pro","max_output_tokens":256,"stream":true,"input":"%s"}' \
    "$prompt" >"$TMP/responses_stream.json"
  cp "$TMP/small_stream.json" "$TMP/translated_stream.json"
  # The pool cases: post.lua numbers the conversations.
  sed 's/please answer briefly\./& (conversation @CONVERSATION@)/' "$TMP/small.json" \
    >"$TMP/pool_small.json"
  sed 's/please answer briefly\./& (conversation @CONVERSATION@)/' "$TMP/small_stream.json" \
    >"$TMP/pool_small_stream.json"
  python3 "$BENCH/gen_agent_body.py" --model "$MODEL" >"$TMP/agent.json"
  python3 "$BENCH/gen_agent_body.py" --model "$MODEL" --stream >"$TMP/agent_stream.json"
  cp "$TMP/agent_stream.json" "$TMP/translated_agent_stream.json"
  python3 "$BENCH/gen_agent_body.py" --format messages --model gpt-4.1 --stream \
    >"$TMP/messages_agent_stream.json"
  python3 "$BENCH/gen_agent_body.py" --format responses --model gemini-2.5-pro --stream \
    >"$TMP/responses_agent_stream.json"
  sed 's/"gemini-2.5-pro"/"gpt-5-mini"/' "$TMP/responses_stream.json" >"$TMP/responses_pass_stream.json"
  sed 's/"gemini-2.5-pro"/"gpt-5-mini"/' "$TMP/responses_agent_stream.json" \
    >"$TMP/responses_pass_agent_stream.json"
}

is_stream_case() { [[ "$1" == *_stream ]]; }
is_translated_case() { [[ "$1" == translated_* ]]; }
is_pool_case() { [[ "$1" == pool_* ]]; }

# ---------------------------------------------------------------------------------------------
# Targets. Each sets URL_<target> (base), PIDS_<target> (processes whose CPU is counted).
SIM_URL=""
SIM_ACCOUNTS=1  # POOL_ACCOUNTS when a pool case runs (the static token is sim-user's either way)
start_sim() {  # start_sim NAME [wrapper...] -> sets SIM_PID, prints URL
  local name=$1
  shift
  "$@" taskset -c "$CORE_LOAD" "$BIN_DIR/copilot-sim" --host 127.0.0.1 --port 0 --threads 1 \
    --static-copilot-token "$STATIC_TOKEN" --accounts "$SIM_ACCOUNTS" \
    >"$TMP/$name.out" 2>"$TMP/$name.err" &
  SIM_PID=$!
  PIDS+=("$SIM_PID")
}

start_gateway() {  # start_gateway NAME [wrapper...] -> sets GW_PID
  local name=$1
  shift
  # One account, GITHUB_TOKEN's: --no-store-accounts keeps any saved accounts of this machine out.
  "$@" "$BIN_DIR/copilot-gateway" serve --host 127.0.0.1 --port 0 --workers 1 \
    --github-api-url "$SIM_URL" --copilot-api-url "$SIM_URL" --github-token ghu_sim_default \
    --no-store-accounts --api-key "$API_KEY" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  GW_PID=$!
  PIDS+=("$GW_PID")
}

# The account pool's database: POOL_ACCOUNTS accounts added as a user would (`accounts add
# --token -`, verified against the simulator's copilot_internal/user), aliases pool1..N.
POOL_STORE=""
POOL_STORE_OK=""  # "", 1 (made) or 0 (failed)
make_pool_store() {
  local i token out="$TMP/pool-accounts.out"
  [[ -z "$POOL_STORE_OK" ]] || return $((1 - POOL_STORE_OK))
  POOL_STORE_OK=0
  POOL_STORE="$TMP/pool/gateway.db"
  : >"$out"
  for ((i = 1; i <= POOL_ACCOUNTS; i++)); do
    token=ghu_sim_$i
    ((i > 1)) || token=ghu_sim_default
    if ! printf '%s\n' "$token" | "$BIN_DIR/copilot-gateway" accounts add --token - \
      --alias "pool$i" --store "$POOL_STORE" --github-api-url "$SIM_URL" --github-url "$SIM_URL" \
      >>"$out" 2>&1; then
      log "accounts add for pool$i failed:"
      tail -n 5 "$out" >&2
      return 1
    fi
  done
  POOL_STORE_OK=1
}

# start_pool_gateway NAME STRATEGY [wrapper...] -> sets POOL_GW_PID: the gateway serving from the
# pool's database alone (no GITHUB_TOKEN / COPILOT_TOKEN account, even if set in the environment).
start_pool_gateway() {
  local name=$1 strategy=$2
  shift 2
  # env first: under a valgrind wrapper, the gateway must be the program valgrind runs.
  env -u GITHUB_TOKEN -u COPILOT_TOKEN -u POOL_USE_STORE "$@" "$BIN_DIR/copilot-gateway" serve \
    --host 127.0.0.1 --port 0 --workers 1 --github-api-url "$SIM_URL" \
    --copilot-api-url "$SIM_URL" --store "$POOL_STORE" --pool-strategy "$strategy" \
    --api-key "$API_KEY" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  POOL_GW_PID=$!
  PIDS+=("$POOL_GW_PID")
}

# pool_ready URL: /readyz answers 200, then one request pinned to each account (X-Copilot-Account)
# comes back complete, so every account has exchanged its token and fetched its catalog before
# any load.
pool_ready() {
  local url=$1 i code
  for ((i = 0; i < 300; i++)); do
    code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$url/readyz" || echo 000)
    [[ "$code" == 200 ]] && break
    sleep 0.1
  done
  if [[ "$code" != 200 ]]; then
    log "pool gateway: /readyz still $code"
    return 1
  fi
  for ((i = 1; i <= POOL_ACCOUNTS; i++)); do
    code=$(curl -s -m 20 -o "$TMP/check.body" -w '%{http_code}' \
      -H "Content-Type: application/json" -H "Authorization: Bearer $API_KEY" \
      -H "X-Copilot-Account: pool$i" --data-binary "@$TMP/small.json" \
      "$url/v1/chat/completions" || echo 000)
    if [[ "$code" != 200 ]] || ! grep -q '"choices"' "$TMP/check.body"; then
      log "pool gateway: account pool$i: HTTP $code: $(head -c 300 "$TMP/check.body")"
      return 1
    fi
  done
}

# sim_completions -> the simulator's completion count per account, space-separated, in account
# order (sim-user, sim-user-2, ...); nothing if the simulator does not answer.
sim_completions() {
  curl -s -m 5 "$SIM_URL/_sim/stats" | python3 -c '
import json, sys
print(" ".join(str(a["completions"]) for a in json.load(sys.stdin)["accounts"].values()))' \
    2>/dev/null || true
}

write_nginx_conf() {  # write_nginx_conf DIR PORT MASTER(on|off)
  local dir=$1 port=$2 master=$3 sim_hostport=${SIM_URL#http://}
  mkdir -p "$dir/tmp"
  local access="access_log off;"
  [[ "$NGINX_ACCESS_LOG" == file ]] && access="access_log $dir/access.log;"
  local user=""
  [[ $EUID -eq 0 ]] && user="user root root;"
  local proxy_common="proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Authorization \"Bearer $STATIC_TOKEN\";"
  cat >"$dir/nginx.conf" <<EOF
# generated by bench/run.sh
$user
daemon off;
master_process $master;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  $access
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  client_max_body_size 64m;
  client_body_buffer_size 1m;
  keepalive_timeout 120s;
  keepalive_requests 1000000;
  upstream sim {
    server $sim_hostport;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$port;
    location = /_bench_ready { return 204; }
    location = /chat/completions {
      proxy_pass http://sim;
      $proxy_common
    }
    location = /stream/chat/completions {
      proxy_pass http://sim/chat/completions;
      $proxy_common
      proxy_buffering off;
    }
  }
}
EOF
}

start_nginx() {  # start_nginx NAME MASTER [wrapper...] -> sets NGINX_PID, NGINX_URL
  local name=$1 master=$2
  shift 2
  local dir="$TMP/$name" port
  port=$(free_port)
  write_nginx_conf "$dir" "$port" "$master"
  "$@" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
    >"$TMP/$name.out" 2>"$TMP/$name.err" &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  NGINX_URL="http://127.0.0.1:$port"
  local i
  for ((i = 0; i < 300; i++)); do
    curl -sf -o /dev/null "$NGINX_URL/_bench_ready" && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "nginx did not start:"
  cat "$TMP/$name.err" "$dir/error.log" >&2 2>/dev/null || true
  return 1
}

is_pool_target() { [[ "$1" == gw_pool* ]]; }
# pool_strategy TARGET: the --pool-strategy a pool target runs with.
pool_strategy() {
  case $1 in
    gw_pool) echo quota-aware ;;
    gw_pool_rr) echo round-robin ;;
    *) return 1 ;;
  esac
}
declare -A POOL_URL=() POOL_PID=()

# target_url TARGET CASE, target_auth TARGET
target_url() {
  case $1 in
    direct) echo "$SIM_URL/chat/completions" ;;
    gateway) echo "$GW_URL/v1/chat/completions" ;;
    gw_messages) echo "$GW_URL/v1/messages" ;;
    gw_responses | gw_responses_pass) echo "$GW_URL/v1/responses" ;;
    gw_pool*) echo "${POOL_URL[$1]}/v1/chat/completions" ;;
    nginx) if is_stream_case "$2"; then echo "$NGINX_URL/stream/chat/completions"; else
      echo "$NGINX_URL/chat/completions"; fi ;;
  esac
}
target_auth() {
  case $1 in
    direct) echo "Bearer $STATIC_TOKEN" ;;
    gateway | gw_messages | gw_responses* | gw_pool*) echo "Bearer $API_KEY" ;;
    nginx) echo "-" ;;  # nginx injects the Copilot token itself
  esac
}
target_pids() {
  case $1 in
    direct) echo "$SIM_PID" ;;
    gateway | gw_messages | gw_responses*) echo "$GW_PID" ;;
    gw_pool*) echo "${POOL_PID[$1]}" ;;
    nginx) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
  esac
}

# target_body TARGET CASE: the request body file.
target_body() {
  case $1/$2 in
    gw_messages/translated_agent_stream) echo "$TMP/messages_agent_stream.json" ;;
    gw_responses/translated_agent_stream) echo "$TMP/responses_agent_stream.json" ;;
    gw_responses_pass/translated_agent_stream) echo "$TMP/responses_pass_agent_stream.json" ;;
    gw_responses_pass/*) echo "$TMP/responses_pass_stream.json" ;;
    gw_messages/*) echo "$TMP/messages_stream.json" ;;
    gw_responses/*) echo "$TMP/responses_stream.json" ;;
    *) echo "$TMP/$2.json" ;;
  esac
}

# check_target TARGET CASE: one request with curl; 200 and a complete body, else diagnostics.
check_target() {
  local target=$1 c=$2 url auth code
  url=$(target_url "$target" "$c")
  auth=$(target_auth "$target")
  local -a hdr=(-H "Content-Type: application/json")
  [[ "$auth" != "-" ]] && hdr+=(-H "Authorization: $auth")
  code=$(curl -s -m 20 -o "$TMP/check.body" -w '%{http_code}' "${hdr[@]}" \
    --data-binary "@$(target_body "$target" "$c")" "$url" || echo 000)
  if [[ "$code" != 200 ]]; then
    log "$target/$c: HTTP $code from $url: $(head -c 400 "$TMP/check.body" 2>/dev/null)"
    return 1
  fi
  # The answer must be complete, not just a 200: text (or, for the agent bodies, which offer
  # tools, the simulator's tool call), and the format's last event.
  if [[ "$target" == gw_messages ]]; then
    grep -Eq '"(text_delta|input_json_delta)"' "$TMP/check.body" &&
      grep -q '^event: message_stop' "$TMP/check.body" && return 0
    log "$target/$c: incomplete Messages stream: $(tail -c 300 "$TMP/check.body")"
    return 1
  fi
  if [[ "$target" == gw_responses* ]]; then
    grep -Eq '^event: response\.(output_text|function_call_arguments)\.delta' "$TMP/check.body" &&
      grep -q '^event: response.completed' "$TMP/check.body" && return 0
    log "$target/$c: incomplete Responses stream: $(tail -c 300 "$TMP/check.body")"
    return 1
  fi
  if ! grep -q '"content"' "$TMP/check.body"; then
    log "$target/$c: answer without content: $(head -c 300 "$TMP/check.body")"
    return 1
  fi
  if is_stream_case "$c" && ! grep -q '^data: \[DONE\]' "$TMP/check.body"; then
    log "$target/$c: stream answer does not end with [DONE]: $(tail -c 300 "$TMP/check.body")"
    return 1
  fi
  if ! is_stream_case "$c" && ! grep -q '"choices"' "$TMP/check.body"; then
    log "$target/$c: answer without choices: $(head -c 300 "$TMP/check.body")"
    return 1
  fi
  return 0
}

# run_wrk OUTFILE URL BODY AUTH DURATION CONNECTIONS PACE_MS [CONVERSATIONS] -> JSON object from
# post.lua
run_wrk() {
  local out=$1 url=$2 body=$3 auth=$4 dur=$5 conns=$6 pace=$7 convs=${8:-0} paced=0 conv=0
  ((pace > 0)) && paced=1
  ((convs > 0)) && conv=1
  BENCH_PACED=$paced BENCH_CONVERSATIONS=$conv taskset -c "$CORE_LOAD" wrk -t1 -c"$conns" \
    -d"${dur}s" --timeout 10s -s "$BENCH/post.lua" "$url" -- "$body" "$auth" "$pace" "$convs" \
    >"$out" 2>&1 || true
  local line
  line=$(sed -n 's/^BENCH_RESULT //p' "$out" | tail -1)
  if [[ -z "$line" ]]; then
    log "wrk produced no result for $url:"
    cat "$out" >&2
    echo '{"requests":0,"rps":0,"p50_us":0,"p99_us":0,"err_connect":1,"err_read":0,"err_write":0,"err_status":0,"err_timeout":0}'
  else
    echo "$line"
  fi
}

# json_rps '{"requests":..,"rps":123.4,..}' -> 123.4
json_rps() {
  local s=${1#*\"rps\":}
  echo "${s%%,*}"
}

RESULTS="$TMP/results.jsonl"
: >"$RESULTS"

# measure_case CASE TARGETS...: a complete-answer check per target, then ROUNDS rounds of
# closed-loop throughput in which the targets take turns (so a slow spell on a shared machine hits
# all of them alike), then one paced latency run per target. Each target's row keeps its median
# round (throughput and the CPU time of that round) and the throughput of every round. A pool case
# sends its body as POOL_CONVERSATIONS conversations in turn, to every target alike.
measure_case() {
  local c=$1 t r url auth body paced pace rate before after res convs=0
  shift
  is_pool_case "$c" && convs=$POOL_CONVERSATIONS
  local -a targets=()
  for t in "$@"; do
    if check_target "$t" "$c"; then
      targets+=("$t")
    else
      printf '{"case":"%s","target":"%s","failed":true}\n' "$c" "$t" >>"$RESULTS"
    fi
  done
  ((${#targets[@]})) || return 0
  if ((WARMUP > 0)); then
    for t in "${targets[@]}"; do
      run_wrk "$TMP/wrk.warm" "$(target_url "$t" "$c")" "$(target_body "$t" "$c")" "$(target_auth "$t")" "$WARMUP" \
        "$CONNECTIONS" 0 "$convs" >/dev/null
    done
  fi
  local rounds_file="$TMP/rounds.$c.jsonl"
  : >"$rounds_file"
  for ((r = 1; r <= ROUNDS; r++)); do
    for t in "${targets[@]}"; do
      url=$(target_url "$t" "$c")
      auth=$(target_auth "$t")
      body=$(target_body "$t" "$c")
      # shellcheck disable=SC2207
      local -a pids=($(target_pids "$t"))
      # A pool target: the simulator's completions per account over the run (outside the
      # CPU window), to show how selection spread the load.
      local spread0="" spread="null"
      is_pool_target "$t" && spread0=$(sim_completions)
      before=$(cpu_ticks "${pids[@]}")
      res=$(run_wrk "$TMP/wrk.$t.$c.max" "$url" "$body" "$auth" "$DURATION" "$CONNECTIONS" 0 \
        "$convs")
      after=$(cpu_ticks "${pids[@]}")
      if [[ -n "$spread0" ]]; then
        spread=$(python3 -c 'import sys; a, b = (list(map(int, x.split())) for x in sys.argv[1:3])
print("[%s]" % ",".join(str(y - x) for x, y in zip(a, b)))' "$spread0" "$(sim_completions)")
      fi
      printf '{"target":"%s","cpu_ticks":%d,"max":%s,"spread":%s}\n' "$t" \
        "$((after - before))" "$res" "$spread" >>"$rounds_file"
    done
  done
  for t in "${targets[@]}"; do
    url=$(target_url "$t" "$c")
    auth=$(target_auth "$t")
    body=$(target_body "$t" "$c")
    local median
    median=$(python3 - "$rounds_file" "$t" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rows = [r for r in rows if r["target"] == sys.argv[2]]
ordered = sorted(rows, key=lambda r: r["max"]["rps"])
m = ordered[len(ordered) // 2]
out = {"cpu_ticks": m["cpu_ticks"], "max": m["max"],
       "rounds_rps": [r["max"]["rps"] for r in rows],
       "rounds_cpu_ticks": [r["cpu_ticks"] for r in rows],
       "rounds_requests": [r["max"]["requests"] for r in rows]}
if any(r.get("spread") for r in rows):
  out["rounds_spread"] = [r.get("spread") for r in rows]
print(json.dumps(out))
PY
)
    # Paced rate: BENCH_RATE, but at most BENCH_RATE_FRACTION of the direct target's throughput
    # for this case, so latency is taken well below the simulator's saturation.
    if [[ "$t" == direct ]]; then
      CASE_RATE[$c]=$(python3 -c "import json, sys; print(max(1, min($RATE, \
        int(json.loads(sys.argv[1])['max']['rps'] * $RATE_FRACTION))))" "$median")
    fi
    rate=${CASE_RATE[$c]:-$RATE}
    pace=$(((PACED_CONNECTIONS * 1000 + rate / 2) / rate))
    ((pace >= 1)) || pace=1
    paced=$(run_wrk "$TMP/wrk.$t.$c.paced" "$url" "$body" "$auth" "$LAT_DURATION" \
      "$PACED_CONNECTIONS" "$pace" "$convs")
    python3 - "$median" "$paced" "$c" "$t" "$rate" >>"$RESULTS" <<'PY'
import json, sys
row = json.loads(sys.argv[1])
row.update({"case": sys.argv[3], "target": sys.argv[4], "rate": int(sys.argv[5]),
            "paced": json.loads(sys.argv[2])})
print(json.dumps(row))
PY
    log "$t/$c: $(json_rps "$(python3 -c "import json,sys; print(json.dumps(json.loads(sys.argv[1])['max']))" "$median")") req/s (median of $ROUNDS)"
  done
}

# ---------------------------------------------------------------------------------------------
# Optional: instructions per request under callgrind (fixed request count, after a warm-up).
callgrind_target() {  # callgrind_target TARGET -> appends {"callgrind":...} rows
  local target=$1 pid url c
  local -a vg=(taskset -c "$CORE_PROXY" valgrind --tool=callgrind --instr-atstart=no
    --callgrind-out-file="$TMP/callgrind.$target.%p")
  case $target in
    direct)
      local saved_url=$SIM_URL saved_pid=$SIM_PID
      "${vg[@]}" "$BIN_DIR/copilot-sim" --host 127.0.0.1 --port 0 --threads 1 \
        --static-copilot-token "$STATIC_TOKEN" >"$TMP/cg-direct.out" 2>"$TMP/cg-direct.err" &
      pid=$!
      PIDS+=("$pid")
      SIM_URL=$(wait_listening copilot-sim "$pid" "$TMP/cg-direct.out") || return 0
      ;;
    gateway)
      local saved_gw=$GW_URL saved_gwpid=$GW_PID
      start_gateway cg-gateway "${vg[@]}"
      pid=$GW_PID
      GW_URL=$(wait_listening copilot-gateway "$pid" "$TMP/cg-gateway.out") || return 0
      ;;
    nginx)
      local saved_ng=$NGINX_URL saved_ngpid=$NGINX_PID
      start_nginx cg-nginx off "${vg[@]}" || return 0
      pid=$NGINX_PID
      ;;
    gw_pool*)
      local saved_pool=${POOL_URL[$target]} pool_url
      start_pool_gateway "cg-$target" "$(pool_strategy "$target")" "${vg[@]}"
      pid=$POOL_GW_PID
      pool_url=$(wait_listening copilot-gateway "$pid" "$TMP/cg-$target.out") || return 0
      POOL_URL[$target]=$pool_url
      pool_ready "$pool_url" || return 0
      ;;
  esac
  for c in $CASES; do
    # The pool cases for the gateways that run them, and only those for a pool gateway.
    if is_pool_case "$c"; then
      [[ "$target" == gateway ]] || is_pool_target "$target" || continue
    elif is_pool_target "$target"; then
      continue
    fi
    url=$(target_url "$target" "$c")
    local auth
    auth=$(target_auth "$target")
    local -a hdr=(-H "content-type: application/json")
    [[ "$auth" != "-" ]] && hdr+=(-H "authorization: $auth")
    local ok ir dump res sent=$CALLGRIND_REQUESTS
    if is_pool_case "$c"; then
      # h2load sends one body; the pool case needs its conversations: wrk, for a fixed time
      # (what the requests cut off at the end cost is in the count, not in `ok`; two connections
      # keep that to two requests).
      run_wrk "$TMP/wrk.cg-warm" "$url" "$TMP/$c.json" "$auth" 1 2 0 "$POOL_CONVERSATIONS" \
        >/dev/null
      callgrind_control -z "$pid" >/dev/null 2>&1 || true
      callgrind_control -i on "$pid" >/dev/null 2>&1 || true
      res=$(run_wrk "$TMP/wrk.cg.$target.$c" "$url" "$TMP/$c.json" "$auth" \
        "$CALLGRIND_POOL_SECONDS" 2 0 "$POOL_CONVERSATIONS")
      ok=$(python3 -c 'import json, sys; r = json.loads(sys.argv[1])
print(r["requests"] - r["err_status"])' "$res")
      sent=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["requests"])' "$res")
    else
      # warm-up (uninstrumented), then count exactly CALLGRIND_REQUESTS requests.
      taskset -c "$CORE_LOAD" h2load --h1 -n 50 -c 2 "${hdr[@]}" -d "$TMP/$c.json" "$url" \
        >"$TMP/h2load.warm" 2>&1 || true
      callgrind_control -z "$pid" >/dev/null 2>&1 || true
      callgrind_control -i on "$pid" >/dev/null 2>&1 || true
      taskset -c "$CORE_LOAD" h2load --h1 -n "$CALLGRIND_REQUESTS" -c 2 "${hdr[@]}" \
        -d "$TMP/$c.json" "$url" >"$TMP/h2load.$target.$c" 2>&1 || true
      ok=$(sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p' "$TMP/h2load.$target.$c")
    fi
    callgrind_control -i off "$pid" >/dev/null 2>&1 || true
    rm -f "$TMP/callgrind.$target.$pid".*
    callgrind_control -d "cg-$c" "$pid" >/dev/null 2>&1 || true
    # shellcheck disable=SC2012  # newest dump; our own file names
    dump=$(ls -t "$TMP/callgrind.$target.$pid"* 2>/dev/null | head -1)
    ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$dump" 2>/dev/null | head -1)
    [[ -z "$ir" ]] && ir=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$dump" 2>/dev/null | head -1)
    printf '{"case":"%s","target":"%s","callgrind":{"ir":%s,"ok":%s,"requests":%d}}\n' \
      "$c" "$target" "${ir:-0}" "${ok:-0}" "$sent" >>"$RESULTS"
    log "callgrind $target/$c: ${ir:-?} Ir over ${ok:-0} ok requests"
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  case $target in
    direct) SIM_URL=$saved_url SIM_PID=$saved_pid ;;
    gateway) GW_URL=$saved_gw GW_PID=$saved_gwpid ;;
    nginx) NGINX_URL=$saved_ng NGINX_PID=$saved_ngpid ;;
    gw_pool*) POOL_URL[$target]=$saved_pool ;;
  esac
}

# ---------------------------------------------------------------------------------------------
main() {
  local t0=$SECONDS load0
  load0=$(cut -d' ' -f1 /proc/loadavg)
  ensure_tools
  build
  make_bodies

  if ! [[ "$POOL_ACCOUNTS" =~ ^[0-9]+$ ]] || ((POOL_ACCOUNTS < 1 || POOL_ACCOUNTS > 64)); then
    die "BENCH_POOL_ACCOUNTS must be 1..64 (the pool's limit)"
  fi
  [[ "$POOL_CONVERSATIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_POOL_CONVERSATIONS must be >= 1"
  local pool_wanted=0 c
  for c in $CASES; do
    is_pool_case "$c" && pool_wanted=1
  done
  ((pool_wanted)) && SIM_ACCOUNTS=$POOL_ACCOUNTS
  start_sim sim
  SIM_URL=$(wait_listening copilot-sim "$SIM_PID" "$TMP/sim.out") || die "copilot-sim failed"
  log "copilot-sim on $SIM_URL (core $CORE_LOAD)"

  local active="" t
  for t in $TARGETS; do
    case $t in
      direct) active+=" direct" ;;
      gateway)
        if ((GATEWAY_OK)); then
          start_gateway gateway taskset -c "$CORE_PROXY"
          if GW_URL=$(wait_listening copilot-gateway "$GW_PID" "$TMP/gateway.out"); then
            log "copilot-gateway on $GW_URL (core $CORE_PROXY), access log -> file"
            active+=" gateway"
          else
            log "copilot-gateway failed to start: gateway column marked FAIL"
            printf '{"case":"*","target":"gateway","failed":true}\n' >>"$RESULTS"
          fi
        else
          printf '{"case":"*","target":"gateway","missing":true}\n' >>"$RESULTS"
        fi
        ;;
      nginx)
        start_nginx nginx on taskset -c "$CORE_PROXY" || die "nginx failed to start"
        log "nginx on $NGINX_URL (core $CORE_PROXY), access_log $NGINX_ACCESS_LOG"
        active+=" nginx"
        ;;
      *) die "unknown target $t" ;;
    esac
  done

  # The pool gateways, when a pool case is to run beside the single-account gateway.
  local pool_active=""
  if ((pool_wanted)) && [[ " $active " == *" gateway "* ]]; then
    for t in $POOL_TARGETS; do
      pool_strategy "$t" >/dev/null || die "unknown pool target $t"
      local pool_url=""
      if make_pool_store; then
        start_pool_gateway "$t" "$(pool_strategy "$t")" taskset -c "$CORE_PROXY"
        if ! pool_url=$(wait_listening copilot-gateway "$POOL_GW_PID" "$TMP/$t.out") ||
          ! pool_ready "$pool_url"; then
          pool_url=""
        fi
      fi
      if [[ -n "$pool_url" ]]; then
        POOL_URL[$t]=$pool_url
        POOL_PID[$t]=$POOL_GW_PID
        log "copilot-gateway with $POOL_ACCOUNTS accounts ($(pool_strategy "$t")) on" \
          "$pool_url (core $CORE_PROXY): every account answered"
        pool_active+=" $t"
      else
        log "the pool gateway ($t) failed to start: marked FAIL"
        printf '{"case":"*","target":"%s","failed":true}\n' "$t" >>"$RESULTS"
      fi
    done
  fi

  for c in $CASES; do
    if is_translated_case "$c"; then
      # The gateway against itself: paced at the pass-through stream's rate (the direct target's
      # small_stream / agent_stream case, when it ran).
      [[ " $active " == *" gateway "* ]] || continue
      case $c in
        translated_stream) CASE_RATE[$c]=${CASE_RATE[small_stream]:-$RATE} ;;
        translated_agent_stream) CASE_RATE[$c]=${CASE_RATE[agent_stream]:-$RATE} ;;
        *) die "unknown case $c" ;;
      esac
      # shellcheck disable=SC2086
      measure_case "$c" $TRANSLATED_TARGETS
      continue
    fi
    if is_pool_case "$c"; then
      # The single-account gateway and the pool gateways in turns, paced like small /
      # small_stream.
      [[ " $active " == *" gateway "* ]] || continue
      case $c in
        pool_small | pool_small_stream) CASE_RATE[$c]=${CASE_RATE[${c#pool_}]:-$RATE} ;;
        *) die "unknown case $c" ;;
      esac
      # shellcheck disable=SC2086
      measure_case "$c" gateway $pool_active
      continue
    fi
    # shellcheck disable=SC2086
    measure_case "$c" $active
  done

  if [[ "$CALLGRIND" == 1 ]]; then
    for t in $active $pool_active; do
      callgrind_target "$t"
    done
  fi

  local meta="$TMP/meta.json"
  python3 - "$meta" <<EOF
import json, os, sys
sizes = {c: os.path.getsize("$TMP/%s.json" % c) for c in "$CASES".split()}
for c, pre in (("translated_stream", ""), ("translated_agent_stream", "_agent")):
  if c in sizes:
    for api in ("messages", "responses"):
      sizes["%s %s" % (c, api)] = os.path.getsize("$TMP/%s%s_stream.json" % (api, pre))
json.dump({
  "quick": "$QUICK" == "1", "duration_s": $DURATION, "warmup_s": $WARMUP, "rounds": $ROUNDS,
  "lat_duration_s": $LAT_DURATION, "connections": $CONNECTIONS, "rate": $RATE,
  "paced_connections": $PACED_CONNECTIONS, "rate_fraction": $RATE_FRACTION, "model": "$MODEL", "body_bytes": sizes,
  "nginx_access_log": "$NGINX_ACCESS_LOG", "clk_tck": os.sysconf("SC_CLK_TCK"),
  "wrk": "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)",
  "nginx": "$("$NGINX" -v 2>&1 | sed 's/.*version: //')",
  "bin_dir": "$BIN_DIR", "elapsed_s": $((SECONDS - t0)), "loadavg_start": $load0,
  "pool_accounts": $POOL_ACCOUNTS, "pool_conversations": $POOL_CONVERSATIONS,
}, open(sys.argv[1], "w"))
EOF
  mkdir -p "$BENCH/results"
  cp "$RESULTS" "$BENCH/results/latest.jsonl"
  python3 "$BENCH/report.py" "$RESULTS" "$meta" "$BENCH/results/latest.md"
}

main "$@"

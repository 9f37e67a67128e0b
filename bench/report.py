#!/usr/bin/env python3
# Benchmark report: turns bench/run.sh's results (one JSON object per case x target) into the
# markdown tables it prints and saves to bench/results/latest.md. Exit status 1 when any target failed
# or any request errored (non-2xx answer, socket error, timeout), so `make bench` and bench/smoke.sh
# fail loudly. Single-threaded; run once at the end of bench/run.sh.
import json
import sys

TARGETS = ["direct", "gateway", "nginx"]
CASE_LABELS = {
    "small": "small, non-stream",
    "small_stream": "small, stream 20 ev",
    "agent": "agent 88 KB, non-stream",
    "agent_stream": "agent 88 KB, stream 20 ev",
}
ERR_KEYS = ["err_connect", "err_read", "err_write", "err_status", "err_timeout"]
# The translated cases: the gateway against itself, same stream in three client formats, with the
# small body and with the ~88 KB agent body. Each gets its own table, in this order.
TRANSLATED_CASES = [
    ("translated_stream", "small body"),
    ("translated_agent_stream", "agent-sized body, ~88 KB"),
]
# The account pool: the single-account gateway and the gateway serving from a pool of N accounts
# (meta "pool_accounts") taking turns in every round, the small body sent as meta
# "pool_conversations" conversations. One table for both cases.
POOL_CASES = {
    "pool_small": "small, non-stream",
    "pool_small_stream": "small, stream 20 ev",
}
POOL_TARGETS = [
    ("gateway", "1 account"),
    ("gw_pool", "%d accounts, quota-aware (free model: least-busy)"),
    ("gw_pool_rr", "%d accounts, round-robin"),
]
POOL_TARGET_RATIO = 0.95  # the pool's req/s over the single account's, at least
TRANSLATED_TARGETS = [
    ("gateway", "Chat stream, pass-through (gpt-4.1)"),
    ("gw_messages", "Anthropic Messages stream from /chat/completions (gpt-4.1)"),
    ("gw_responses", "OpenAI Responses stream from /chat/completions (gemini-2.5-pro)"),
    ("gw_responses_pass", "OpenAI Responses stream, pass-through (gpt-5-mini; echoes instructions, tools)"),
]


def load(path):
    rows = {}
    broken = {}
    grind = {}
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        key = (r["case"], r["target"])
        if "callgrind" in r:
            grind[key] = r["callgrind"]
        elif r.get("failed"):
            broken[key] = "FAIL"
        elif r.get("missing"):
            broken[key] = "n/a"
        else:
            rows[key] = r
    return rows, broken, grind


def errors_of(r):
    return sum(r["max"].get(k, 0) + r["paced"].get(k, 0) for k in ERR_KEYS)


def rounds_of(r):
    return r.get("rounds_rps") or [r["max"]["rps"]]


def paired_ratio(g, n):
    """Median over rounds of gateway/nginx throughput measured in the same round."""
    if not g or not n or len(rounds_of(g)) != len(rounds_of(n)):
        return None
    ratios = sorted(a / b for a, b in zip(rounds_of(g), rounds_of(n)) if b > 0)
    return ratios[len(ratios) // 2] if ratios else None


def translated_table(case, rows, broken, tick_us):
    """Rows of one translated case's table, its request errors and whether a target failed."""
    base = rows.get((case, "gateway"))
    header = ["client format (upstream)", "req/s", "p50 µs", "p99 µs", "CPU µs/req",
              "vs pass-through req/s", "vs pass-through CPU", "errors"]
    table, errors, failed = [], 0, False
    for t, label in TRANSLATED_TARGETS:
        r = rows.get((case, t))
        if r is None:
            mark = broken.get((case, t))
            failed = failed or mark is not None
            table.append([label, mark or "-"] + ["-"] * 6)
            continue
        reqs = r["max"]["requests"]
        cpu = r["cpu_ticks"] * tick_us / reqs if reqs else None
        base_cpu = (base["cpu_ticks"] * tick_us / base["max"]["requests"]
                    if base and base["max"]["requests"] else None)
        ratio = paired_ratio(r, base) if base else None
        e = errors_of(r)
        errors += e
        table.append([label, fmt_int(r["max"]["rps"]), fmt_int(r["paced"]["p50_us"]),
                      fmt_int(r["paced"]["p99_us"]), "%.1f" % cpu if cpu is not None else "-",
                      "%.2f" % ratio if ratio is not None else "-",
                      fmt_ratio(cpu, base_cpu), str(e)])
    return header, table, errors, failed


def pool_table(cases, rows, broken, grind, tick_us, accounts):
    """The account pool's table: per case, the single-account gateway then each pool target, with
    req/s relative to the single account (median of per-round ratios), CPU (median rounds) and
    Ir relative to it, and how the simulator saw the load spread over the accounts. Returns the
    header, the rows, the request errors, whether a target failed and the (case, target, ratio)
    of every pool row."""
    header = ["case", "gateway", "req/s", "p50 µs", "p99 µs", "CPU µs/req", "vs 1 account req/s",
              "vs 1 account CPU", "req per account (min–max)", "errors"]
    if grind:
        header += ["Ir/req", "vs 1 account Ir"]
    table, errors, failed, ratios = [], 0, False, []
    for c in cases:
        base = rows.get((c, "gateway"))
        base_cpu = (base["cpu_ticks"] * tick_us / base["max"]["requests"]
                    if base and base["max"]["requests"] else None)
        base_grind = grind.get((c, "gateway"))
        base_ir = base_grind["ir"] / base_grind["ok"] if base_grind and base_grind["ok"] else None
        for t, label in POOL_TARGETS:
            if "%d" in label:
                label = label % accounts
            r = rows.get((c, t))
            mark = broken.get((c, t)) or broken.get(("*", t))
            if r is None:
                if mark is None and t != "gateway":
                    continue  # not asked for
                failed = failed or mark == "FAIL"
                table.append([POOL_CASES[c], label, mark or "-"] + ["-"] * (len(header) - 3))
                continue
            reqs = r["max"]["requests"]
            cpu = r["cpu_ticks"] * tick_us / reqs if reqs else None
            e = errors_of(r)
            errors += e
            ratio = paired_ratio(r, base) if t != "gateway" and base else None
            if ratio is not None:
                ratios.append((c, t, ratio))
            spread = "-"
            per_round = [x for x in r.get("rounds_spread") or [] if x]
            if per_round:
                totals = [sum(x) for x in zip(*per_round)]
                spread = "%d–%d" % (min(totals), max(totals))
            line = [POOL_CASES[c], label, fmt_int(r["max"]["rps"]), fmt_int(r["paced"]["p50_us"]),
                    fmt_int(r["paced"]["p99_us"]), "%.1f" % cpu if cpu is not None else "-",
                    "%.2f" % ratio if ratio is not None else "-",
                    fmt_ratio(cpu, base_cpu) if t != "gateway" else "-", spread, str(e)]
            if grind:
                x = grind.get((c, t))
                ir = x["ir"] / x["ok"] if x and x["ok"] else None
                # Instruction counts are steady: three decimals show what selection adds.
                line += [fmt_int(ir), "%.3f" % (ir / base_ir) if t != "gateway" and ir and base_ir
                         else "-"]
            table.append(line)
    return header, table, errors, failed, ratios


def fmt_int(v):
    return "%d" % round(v) if v is not None else "-"


def fmt_ratio(a, b):
    if a is None or b is None or b <= 0:
        return "-"
    return "%.2f" % (a / b)


def main():
    results, meta_path, out_path = sys.argv[1:4]
    meta = json.load(open(meta_path))
    rows, broken, grind = load(results)
    cases = [c for c in CASE_LABELS if any(k[0] == c for k in list(rows) + list(broken))]
    translated = [(c, what) for c, what in TRANSLATED_CASES
                  if any(k[0] == c for k in list(rows) + list(broken))]
    tick_us = 1e6 / meta["clk_tck"]
    pool_cases = [c for c in POOL_CASES if any(k[0] == c for k in list(rows) + list(broken))]
    pool_accounts = meta.get("pool_accounts", 10)

    def metric(c, t):
        r = rows.get((c, t))
        if r is None:
            return None
        reqs = r["max"]["requests"]
        return {
            "rps": r["max"]["rps"],
            "p50": r["paced"]["p50_us"],
            "p99": r["paced"]["p99_us"],
            "paced_rps": r["paced"]["rps"],
            "cpu": r["cpu_ticks"] * tick_us / reqs if reqs else None,
            "errors": errors_of(r),
        }

    header = ["case"]
    for t in TARGETS:
        header += ["%s req/s" % t, "p50 µs", "p99 µs", "CPU µs/req"]
    header += ["gw/nginx req/s", "gw/nginx added p99", "gw/nginx CPU", "gw/direct req/s",
               "errors d/g/n"]
    show_grind = bool(grind)
    if show_grind:
        header += ["Ir/req d/g/n"]

    table = []
    failed = False
    total_errors = 0
    for c in cases:
        m = {t: metric(c, t) for t in TARGETS}
        line = [CASE_LABELS[c]]
        for t in TARGETS:
            mark = broken.get((c, t)) or broken.get(("*", t))
            if m[t] is None:
                line += [mark or "-"] + ["-"] * 3
                failed = failed or mark is not None
                continue
            line += [fmt_int(m[t]["rps"]), fmt_int(m[t]["p50"]), fmt_int(m[t]["p99"]),
                     "%.1f" % m[t]["cpu"] if m[t]["cpu"] is not None else "-"]
        g, n, d = m["gateway"], m["nginx"], m["direct"]
        paired = paired_ratio(rows.get((c, "gateway")), rows.get((c, "nginx")))
        line.append("%.2f" % paired if paired is not None else
                    fmt_ratio(g and g["rps"], n and n["rps"]))
        if g and n and d:
            ga, na = g["p99"] - d["p99"], n["p99"] - d["p99"]
            ratio = "%.1f×" % (ga / na) if na > 0 else "-"
            line.append("%s (%+d vs %+d µs)" % (ratio, ga, na))
        else:
            line.append("-")
        line.append(fmt_ratio(g and g["cpu"], n and n["cpu"]))
        line.append(fmt_ratio(g and g["rps"], d and d["rps"]))
        errs = []
        for t in TARGETS:
            errs.append(str(m[t]["errors"]) if m[t] else "-")
            total_errors += m[t]["errors"] if m[t] else 0
        line.append("/".join(errs))
        if show_grind:
            cells = []
            for t in TARGETS:
                x = grind.get((c, t))
                cells.append("%d" % (x["ir"] / x["ok"]) if x and x["ok"] else "-")
            line.append("/".join(cells))
        table.append(line)

    widths = [max(len(r[i]) for r in [header] + table) for i in range(len(header))]

    def row(cells):
        return "| " + " | ".join(s.ljust(w) if i == 0 else s.rjust(w)
                                 for i, (s, w) in enumerate(zip(cells, widths))) + " |"

    out = []
    if table:  # none when only translated cases ran
        out = [row(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [row(r) for r in table]

    for tc, what in translated:
        t_header, t_table, t_errors, t_failed = translated_table(tc, rows, broken, tick_us)
        total_errors += t_errors
        failed = failed or t_failed
        t_widths = [max(len(r[i]) for r in [t_header] + t_table) for i in range(len(t_header))]

        def t_row(cells):
            return "| " + " | ".join(x.ljust(w) if i == 0 else x.rjust(w)
                                     for i, (x, w) in enumerate(zip(cells, t_widths))) + " |"
        out += ([""] if out else []) + [
            "Translated streaming (gateway only, %s, 20 events; the targets take "
            "turns in every round; vs pass-through = median of per-round ratios):" % what, ""]
        out += [t_row(t_header), "|" + "|".join("-" * (w + 2) for w in t_widths) + "|"]
        out += [t_row(r) for r in t_table]

    if pool_cases:
        p_header, p_table, p_errors, p_failed, p_ratios = pool_table(
            pool_cases, rows, broken, grind, tick_us, pool_accounts)
        total_errors += p_errors
        failed = failed or p_failed
        p_widths = [max(len(r[i]) for r in [p_header] + p_table) for i in range(len(p_header))]

        def p_row(cells):
            return "| " + " | ".join(x.ljust(w) if i < 2 else x.rjust(w)
                                     for i, (x, w) in enumerate(zip(cells, p_widths))) + " |"
        out += ([""] if out else []) + [
            "Account pool (gateway only: serving from %d accounts beside the same gateway with "
            "one; the small body as %d conversations in turn; the targets take turns in every "
            "round; vs 1 account = median of per-round ratios; req per account = the "
            "simulator's completions per account over the rounds):"
            % (pool_accounts, meta.get("pool_conversations", 0)), ""]
        out += [p_row(p_header), "|" + "|".join("-" * (w + 2) for w in p_widths) + "|"]
        out += [p_row(r) for r in p_table]
        if p_ratios:
            verdicts = ["%s %s %.2f %s" % (c, t, x, "ok" if x >= POOL_TARGET_RATIO else "BELOW")
                        for c, t, x in p_ratios]
            out += ["", "Target: %d accounts >= %.2f× the single account's req/s%s: %s." % (
                pool_accounts, POOL_TARGET_RATIO,
                " (QUICK run: too short to judge)" if meta["quick"] else "", "; ".join(verdicts))]

    spread = []
    for tc, _ in translated:
        parts = ["%s %s" % (t, "/".join(fmt_int(x) for x in rounds_of(rows[(tc, t)])))
                 for t, _ in TRANSLATED_TARGETS if (tc, t) in rows]
        if parts:
            spread.append("%s: %s" % (tc, ", ".join(parts)))
    for c in cases:
        parts = []
        for t in TARGETS:
            r = rows.get((c, t))
            if r:
                parts.append("%s %s" % (t, "/".join(fmt_int(x) for x in rounds_of(r))))
        g, n = rows.get((c, "gateway")), rows.get((c, "nginx"))
        if g and n and len(rounds_of(g)) == len(rounds_of(n)):
            ratios = [a / b for a, b in zip(rounds_of(g), rounds_of(n)) if b > 0]
            if ratios:
                parts.append("gw/nginx per round %s" % "/".join("%.2f" % x for x in ratios))
        spread.append("%s: %s" % (c, ", ".join(parts)))
    for c in pool_cases:
        parts = []
        g = rows.get((c, "gateway"))
        for t, _ in POOL_TARGETS:
            r = rows.get((c, t))
            if not r:
                continue
            parts.append("%s %s" % (t, "/".join(fmt_int(x) for x in rounds_of(r))))
            if t != "gateway" and g and len(rounds_of(r)) == len(rounds_of(g)):
                ratios = [a / b for a, b in zip(rounds_of(r), rounds_of(g)) if b > 0]
                if ratios:
                    parts.append("%s/gw per round %s" % (t, "/".join("%.2f" % x for x in ratios)))
        if parts:
            spread.append("%s: %s" % (c, ", ".join(parts)))

    paced = []
    for c in cases:
        got = [(t, metric(c, t)) for t in TARGETS]
        got = ["%s %d" % (t, round(x["paced_rps"])) for t, x in got if x]
        rate = next((rows[(c, t)].get("rate") for t in TARGETS if (c, t) in rows), None)
        if rate:
            paced.append("%s: target %d, achieved %s" % (c, rate, ", ".join(got)))
    for tc, _ in translated:
        got = ["%s %d" % (t, round(rows[(tc, t)]["paced"]["rps"]))
               for t, _ in TRANSLATED_TARGETS if (tc, t) in rows]
        rate = next((rows[(tc, t)].get("rate") for t, _ in TRANSLATED_TARGETS
                     if (tc, t) in rows), None)
        if rate:
            paced.append("%s: target %d, achieved %s" % (tc, rate, ", ".join(got)))
    for c in pool_cases:
        got = ["%s %d" % (t, round(rows[(c, t)]["paced"]["rps"]))
               for t, _ in POOL_TARGETS if (c, t) in rows]
        rate = next((rows[(c, t)].get("rate") for t, _ in POOL_TARGETS if (c, t) in rows), None)
        if rate:
            paced.append("%s: target %d, achieved %s" % (c, rate, ", ".join(got)))
    bodies = ", ".join("%s %d B" % (c, b) for c, b in meta["body_bytes"].items())
    notes = [
        "",
        "Method (%s): one worker per target on loopback; the proxy under test alone on core 1, "
        "copilot-sim and wrk on core 0. Throughput: wrk -t1 -c%d -d%ds closed loop after a %d s "
        "warm-up, in %d rounds where the targets take turns; the table shows each target's median "
        "round (and that round's CPU time), and gw/nginx req/s is the median of the per-round "
        "ratios (both measured in the same round). Latency: wrk -t1 -c%d -d%ds paced by a Lua delay() (after each answer a "
        "connection waits a random 0..2d ms, d = connections x 1000 / rate) at a per-case rate of "
        "min(%d, %.0f%% of direct's max throughput); latency = request written to answer complete. CPU µs/req = utime+stime of the measured process(es) from /proc/PID/stat over "
        "the throughput run ÷ completed requests (direct = copilot-sim itself, sharing core 0 "
        "with wrk; nginx = master + worker). Errors = non-2xx + socket errors + timeouts over both "
        "runs. Added p99 = target p99 − direct p99." % (
            "QUICK smoke run, numbers are rough" if meta["quick"] else "full run",
            meta["connections"], meta["duration_s"], meta["warmup_s"], meta.get("rounds", 1),
            meta["paced_connections"], meta["lat_duration_s"], meta["rate"],
            meta["rate_fraction"] * 100),
        "Bodies: %s (model %s). nginx %s with upstream keepalive 64, proxy_buffering off for "
        "streams, access_log %s; gateway access log on, to a file. wrk %s. Elapsed %d s." % (
            bodies, meta["model"], meta["nginx"],
            "to a file" if meta["nginx_access_log"] == "file" else "off",
            meta["wrk"], meta["elapsed_s"]),
        "Paced rates (req/s): " + "; ".join(paced) + ".",
        "Throughput of every round (req/s): " + "; ".join(spread) + ".",
    ]
    if pool_cases:
        notes.append(
            "Account pool: %d accounts (copilot-sim's sim-user .. sim-user-%d) saved with "
            "`accounts add --token -` into a temporary database; the pool gateway serves from it "
            "alone (--store, no GITHUB_TOKEN), 1 worker on core 1 like the single-account "
            "gateway (which runs with --no-store-accounts). Before any load /readyz answered 200 "
            "and one request pinned to each account (X-Copilot-Account) came back complete. "
            "Both gateways get the same %d requests in turn (formatted once, the first message "
            "numbered, sent by post.lua's request()): %d conversations, which the pool keeps "
            "each on its account, where one body would be one conversation on one account." % (
                pool_accounts, pool_accounts, meta.get("pool_conversations", 0),
                meta.get("pool_conversations", 0)))
    if meta.get("loadavg_start", 0) > 1.0:
        notes.append("WARNING: the machine was busy when the run started (1-min load average "
                     "%.1f on 2 cores): other processes share the cores and the numbers, tail "
                     "latencies above all, are unreliable." % meta["loadavg_start"])
    if show_grind:
        notes.append("Ir/req: instructions per request under valgrind --tool=callgrind, "
                     "instrumentation on only for a fixed h2load --h1 request count (the pool "
                     "cases: wrk with 2 connections for a fixed time, their conversations in "
                     "turn).")
    text = "\n".join(out + notes) + "\n"
    print()
    print(text)
    with open(out_path, "w") as f:
        f.write("# copilot-gateway benchmark\n\n" + text)

    if failed or total_errors:
        print("bench: FAILED (%s)" % ("a target failed" if failed else
                                     "%d request errors" % total_errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

// Helpers for driving real coding agents (installed by `npm ci` in this folder) against the
// gateway + simulator stack of ../e2e/harness.mjs: where the agents' binaries are, a sandbox
// directory per run (HOME, config, working directory), an environment built from scratch (nothing
// of this machine's agent configuration or keys leaks in), a proxy "trap" that every non-local
// connection is sent to and refused by (the agents must only talk to the gateway; what they try
// anyway is recorded, never needed), running an agent with a timeout, and reading the
// simulator's per-account stats and the gateway's access log. Runs in the node:test process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startStack } from '../e2e/harness.mjs';

export { startStack, withDiagnostics } from '../e2e/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(here, 'node_modules');
const kOutputTail = 64 * 1024; // kept per stream of an agent run

// Claude Code's npm package copies a native binary from its platform package over bin/claude.exe
// in a postinstall script; running the platform package's binary directly does not depend on that
// script having run.
export function claudeBinary() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  const platformBin = path.join(modules, '@anthropic-ai',
    `claude-code-${process.platform}-${arch}`, 'claude');
  if (existsSync(platformBin)) return platformBin;
  const wrapper = path.join(modules, '@anthropic-ai', 'claude-code', 'bin', 'claude.exe');
  if (existsSync(wrapper)) return wrapper;
  throw new Error(`Claude Code is not installed in ${modules}: run npm ci in ${here}`);
}

// Codex's npm package is a small Node launcher (bin/codex.js) that finds the native binary in its
// platform package and puts the bundled helpers (rg) on PATH.
export function codexLauncher() {
  const launcher = path.join(modules, '@openai', 'codex', 'bin', 'codex.js');
  if (!existsSync(launcher)) {
    throw new Error(`Codex CLI is not installed in ${modules}: run npm ci in ${here}`);
  }
  return launcher;
}

// A fresh directory with home/ and work/ under it; removed by cleanup().
export async function makeSandbox(prefix) {
  const root = await mkdtemp(path.join(os.tmpdir(), `cg-agents-${prefix}-`));
  return {
    root,
    home: path.join(root, 'home'),
    work: path.join(root, 'work'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

// An HTTP proxy that refuses everything: CONNECT tunnels (HTTPS) get 403, plain requests get 403.
// Agents get HTTP(S)_PROXY/ALL_PROXY pointing here and NO_PROXY for loopback, so whatever they
// try to reach besides the gateway fails fast and shows up in `attempts`.
export async function startTrap() {
  const attempts = [];
  const server = http.createServer((req, res) => {
    attempts.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
    res.end('copilot-gateway agent tests: no internet\n');
  });
  server.on('connect', (req, socket) => {
    attempts.push(`CONNECT ${req.url}`);
    socket.on('error', () => {});
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    attempts,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

// The environment every agent starts from: only PATH, locale and terminal settings of this
// process, a sandboxed HOME, and every proxy variable pointing at the trap.
export function baseEnv(sandbox, trap) {
  const env = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: sandbox.home,
    USER: process.env.USER ?? 'tester',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    TMPDIR: os.tmpdir(),
    XDG_CONFIG_HOME: path.join(sandbox.home, '.config'),
    XDG_CACHE_HOME: path.join(sandbox.home, '.cache'),
    XDG_DATA_HOME: path.join(sandbox.home, '.local', 'share'),
    XDG_STATE_HOME: path.join(sandbox.home, '.local', 'state'),
  };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY']) {
    env[name] = trap.url;
    env[name.toLowerCase()] = trap.url;
  }
  env.NO_PROXY = env.no_proxy = '127.0.0.1,localhost,::1';
  return env;
}

// Runs `file args` in its own process group with stdin closed; kills the whole group after
// timeoutMs. Resolves with {code, signal, timedOut, ms, stdout, stderr}.
export function runAgent(file, args, { env, cwd, timeoutMs }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const out = { stdout: '', stderr: '' };
    const proc = spawn(file, args,
      { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    for (const stream of ['stdout', 'stderr']) {
      proc[stream].setEncoding('utf8');
      proc[stream].on('data', (d) => {
        out[stream] += d;
        if (out[stream].length > kOutputTail) out[stream] = out[stream].slice(-kOutputTail);
      });
    }
    const finish = (code, signal) => {
      clearTimeout(timer);
      // Whatever the agent left running in its group (background shells, helpers) goes too.
      try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* nothing left */ }
      resolve({ code, signal, timedOut, ms: Date.now() - started, ...out });
    };
    proc.on('error', (err) => {
      out.stderr += `\n[agents] spawn failed: ${err.message}\n`;
      finish(-1, null);
    });
    proc.on('close', finish);
  });
}

// A run's status and output, for assertion messages.
export function describeRun(name, run) {
  const last = (s, n = 6000) => (s.length > n ? `...${s.slice(-n)}` : s).trimEnd();
  return `\n--- ${name}: exit ${run.code} signal ${run.signal}` +
    `${run.timedOut ? ' (timed out, killed)' : ''} after ${run.ms} ms ---\n` +
    `--- ${name} stdout ---\n${last(run.stdout)}\n--- ${name} stderr ---\n${last(run.stderr)}\n`;
}

// The simulator's stats of the account the gateway uses (sim-user / ghu_sim_default).
export async function simAccountStats(stack, login = 'sim-user') {
  const res = await fetch(`${stack.simURL}/_sim/stats`);
  if (!res.ok) throw new Error(`GET /_sim/stats: HTTP ${res.status}`);
  const body = await res.json();
  const stats = body.accounts?.[login];
  if (!stats) throw new Error(`no stats for ${login}: ${JSON.stringify(body)}`);
  return stats;
}

// The gateway's access log (JSON lines with msg "request" on its stderr), one short line per
// request: method, path, status, model, initiator, stream, upstream status.
export function accessLog(stack) {
  const gateway = stack.children.find((c) => c.name === 'copilot-gateway');
  const lines = [];
  for (const text of (gateway?.stderr ?? '').split('\n')) {
    if (!text.startsWith('{')) continue;
    let e;
    try {
      e = JSON.parse(text);
    } catch {
      continue;
    }
    if (e.msg !== 'request') continue;
    lines.push(`${e.method} ${e.path} ${e.status} model=${e.model ?? '-'} ` +
      `initiator=${e.initiator ?? '-'} stream=${e.stream ?? '-'} ` +
      `upstream=${e.upstream_status ?? '-'}`);
  }
  return lines;
}

// Waits (up to 5 s) until the access log has at least `n` lines and returns its length: a line is
// written once its answer has gone out, so it can trail the client's view of the request.
export async function accessLogSettled(stack, n) {
  for (let waited = 0; accessLog(stack).length < n && waited < 5000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return accessLog(stack).length;
}

// One case's fixture: a trap, a sandbox (home/ and work/ created) and a fresh gateway + simulator
// stack, made in before() and torn down in after(). Returns a getter for them.
export function useStack(hooks, { prefix, gatewayArgs = [] }) {
  const env = {};
  hooks.before(async () => {
    env.trap = await startTrap();
    env.sandbox = await makeSandbox(prefix);
    await mkdir(env.sandbox.home, { recursive: true });
    await mkdir(env.sandbox.work, { recursive: true });
    env.stack = await startStack({ gatewayArgs });
  });
  hooks.after(async () => {
    try {
      await env.stack?.stop();
    } finally {
      await env.trap?.close();
      await env.sandbox?.cleanup();
    }
  });
  return () => env;
}

// After an agent run: reports (as test diagnostics) what went upstream, the gateway's access log
// from line `logFrom` on and the refused non-local connections. Returns {stats, log}.
export async function reportUpstream(t, { stack, trap }, { agent, run, logFrom = 0 }) {
  const stats = await simAccountStats(stack);
  await accessLogSettled(stack, logFrom + stats.completions);
  const log = accessLog(stack).slice(logFrom);
  t.diagnostic(`${agent}: exit ${run.code} in ${run.ms} ms; upstream requests ` +
    `${stats.completions} ${JSON.stringify(stats.by_endpoint)}, initiator user ` +
    `${stats.initiator_user} / agent ${stats.initiator_agent}`);
  for (const line of log) t.diagnostic(`gateway: ${line}`);
  t.diagnostic('non-local connection attempts (refused): ' +
    (trap.attempts.length ? trap.attempts.join(', ') : 'none'));
  return { stats, log };
}

// The billing rule for one human prompt: >= 2 upstream requests, all on `endpoint`, exactly one
// billed as user (X-Initiator), every other one as agent.
export function assertBilledOnce({ stats, log }, endpoint) {
  const upstream = stats.by_endpoint[endpoint];
  const seen = `\ngateway access log:\n${log.join('\n')}`;
  assert.ok(upstream >= 2, `expected >= 2 upstream ${endpoint} requests, saw ${upstream}${seen}`);
  assert.equal(upstream, stats.completions, `every upstream request goes to ${endpoint}${seen}`);
  assert.equal(stats.initiator_user, 1,
    `exactly one upstream request (the human prompt) must be billed as user${seen}`);
  assert.equal(stats.initiator_agent, stats.completions - 1,
    `every other upstream request must be billed as agent${seen}`);
}

// POSTs a minimal body to the gateway; the answer's status tells whether a route exists.
export async function probe(stack, route, body) {
  const res = await fetch(`${stack.gatewayURL}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

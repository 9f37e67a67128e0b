// `copilot-gateway login` and `copilot-gateway accounts ...` as a user runs them, against the
// simulator's GitHub side (device flow, copilot_internal/user) and a fresh accounts database:
// the account saved with its login, plan and quota; tokens from stdin; a bad token refused;
// settings changed; no token ever printed; the database owner-only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { binDir, startStack } from './harness.mjs';

// The simulator's accounts reset their premium allowance on the first day of next month (UTC).
const nextMonth = (() => {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return d.toISOString().slice(0, 10);
})();

describe('accounts CLI', () => {
  let stack;
  let dir;
  let env;
  const gw = path.join(binDir(), 'copilot-gateway');

  // Runs `copilot-gateway args...`; returns {status, stdout, stderr}.
  const run = (args, input) => {
    const r = spawnSync(gw, args, { env, input, encoding: 'utf8', timeout: 60_000 });
    const all = r.stdout + r.stderr;
    for (const token of ['ghu_sim_default', 'ghu_sim_2', 'ghu_not_valid_123']) {
      assert.ok(!all.includes(token), `a token was printed by ${args.join(' ')}:\n${all}`);
    }
    return r;
  };
  const list = () => {
    const r = run(['accounts', 'list', '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  before(async () => {
    stack = await startStack({
      simArgs: ['--accounts', '2', '--device-interval', '0', '--premium-entitlement', '300,1500',
        '--premium-remaining', '300,1200.5'],
      gateway: false,
    });
    dir = mkdtempSync(path.join(tmpdir(), 'cg-accounts-'));
    env = {
      ...process.env,
      STORE_PATH: path.join(dir, 'data', 'gateway.db'),
      GITHUB_URL: stack.simURL,
      GITHUB_API_URL: stack.simURL,
      LOG_LEVEL: 'warn',
    };
  });
  after(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('login runs the device flow and saves the account', () => {
    const r = run(['login', '--alias', 'main', '--max-concurrency', '4']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Open http:\/\/127\.0\.0\.1:\d+\/login\/device and enter the code: +[A-Z0-9]{4}-[A-Z0-9]{4}/);
    assert.match(r.stdout, /Added account 1 \(sim-user, plan individual_pro\)/);
    const accounts = list();
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0].login, 'sim-user');
    assert.equal(accounts[0].alias, 'main');
    assert.equal(accounts[0].max_concurrency, 4);
    assert.equal(accounts[0].enabled, true);
    assert.equal(accounts[0].premium.entitlement, 300);
    assert.equal(accounts[0].premium.reset_date, nextMonth);
    assert.equal(accounts[0].github_token, undefined);
    // Owner-only database and directory.
    assert.equal(statSync(env.STORE_PATH).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(env.STORE_PATH)).mode & 0o777, 0o700);
    // The token is in the database (it must be, to be used), not in any output.
    assert.ok(readFileSync(env.STORE_PATH).includes('ghu_sim_default'));
  });

  test('login again for the same GitHub user updates it instead of adding a second', () => {
    const r = run(['login']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Updated account 1 \(sim-user\)/);
    assert.equal(list().length, 1);
  });

  test('accounts add reads the token from stdin and verifies it', () => {
    const r = run(['accounts', 'add', '--token', '-', '--alias', 'second', '--priority', '1',
      '--weight', '2'], 'ghu_sim_2\n');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Added account 2 \(sim-user-2/);
    const second = list().find((a) => a.id === 2);
    assert.equal(second.login, 'sim-user-2');
    assert.equal(second.priority, 1);
    assert.equal(second.weight, 2);
  });

  test('accounts quota asks GitHub for every account and prints it', () => {
    const r = run(['accounts', 'quota']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(String.raw`^1 +sim-user +individual_pro +300\.0 +300 +0\.0  ${nextMonth}$`, 'm'));
    assert.match(r.stdout, new RegExp(String.raw`^2 +sim-user-2 +individual_pro +1200\.5 +1500 +20\.0  ${nextMonth}$`, 'm'));
    const one = run(['accounts', 'quota', 'second']);
    assert.equal(one.status, 0, one.stderr);
    assert.doesNotMatch(one.stdout, /sim-user +individual/);
  });

  test('accounts models lists what each account can use', () => {
    const r = run(['accounts', 'models', 'main']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^#1 sim-user \(individual_pro\)$/m);
    assert.match(r.stdout, /^ +gpt-4\.1 +Azure OpenAI +included +\/chat\/completions/m);
    assert.match(r.stdout, /^ +claude-sonnet-4\.5 +Anthropic +1 +.*\/v1\/messages/m);
    assert.match(r.stdout, /^ +gpt-5\.1-codex +OpenAI +1 +\/responses$/m);
    assert.match(r.stdout, /^ +claude-haiku-4\.5 +Anthropic +0\.33 /m);
    assert.match(r.stdout, /^ +text-embedding-3-small +.* +included +\/embeddings$/m);
  });

  test('a token GitHub does not accept is refused', () => {
    const r = run(['accounts', 'add', '--token', 'ghu_not_valid_123']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not accepted: GitHub rejected the token \(HTTP 401\)/);
    assert.equal(list().length, 2);
  });

  test('disable, enable, set and remove by alias, login or id', () => {
    let r = run(['accounts', 'disable', 'second', '--reason', 'maintenance', '--url',
      'http://127.0.0.1:9']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /No gateway answers at http:\/\/127\.0\.0\.1:9; the change applies when it starts/);
    let second = list().find((a) => a.id === 2);
    assert.equal(second.enabled, false);
    assert.equal(second.disabled_reason, 'maintenance');
    r = run(['accounts', 'list']);
    assert.match(r.stdout, /disabled: maintenance/);
    r = run(['accounts', 'enable', 'sim-user-2']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(list().find((a) => a.id === 2).enabled, true);

    r = run(['accounts', 'set', 'main', '--weight', '3', '--egress-proxy', 'http://proxy.example:3128',
      '--max-vision-concurrency', '1', '--account-type', 'business']);
    assert.equal(r.status, 0, r.stderr);
    const main = list().find((a) => a.id === 1);
    assert.equal(main.weight, 3);
    assert.equal(main.egress_proxy, true);
    assert.equal(main.max_vision_concurrency, 1);
    assert.equal(main.account_type, 'business');
    assert.equal(main.max_concurrency, 4); // untouched

    r = run(['accounts', 'set', 'main', '--account-type', 'galactic']);
    assert.equal(r.status, 2);
    r = run(['accounts', 'set', 'main']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nothing to change/);
    r = run(['accounts', 'set', 'main', '--alias', 'second']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /alias/i);

    r = run(['accounts', 'remove', '2']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(list().map((a) => a.id), [1]);
    r = run(['accounts', 'remove', 'nobody']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no account with id, alias or login 'nobody'/);
  });

  test('an unknown subcommand or flag is a usage error', () => {
    assert.notEqual(run(['accounts', 'frobnicate']).status, 0);
    assert.equal(run(['accounts', 'list', '--no-such-flag']).status, 2);
  });
});

describe('a gateway serving from stored accounts', () => {
  let stack;
  let dir;
  let env;
  const gw = path.join(binDir(), 'copilot-gateway');
  const run = (args) => {
    const r = spawnSync(gw, args, { env, encoding: 'utf8', timeout: 60_000 });
    for (const token of ['ghu_sim_default', 'ghu_sim_2']) {
      assert.ok(!(r.stdout + r.stderr).includes(token), `a token was printed:\n${r.stdout}`);
    }
    return r;
  };
  const chat = (headers = {}) => fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json',
      ...headers },
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }),
  });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cg-served-'));
    env = { ...process.env, STORE_PATH: path.join(dir, 'gateway.db'), LOG_LEVEL: 'warn' };
    // The second simulator account, stored without asking GitHub (the simulator is not up yet).
    const add = spawnSync(gw, ['accounts', 'add', '--token', '-', '--no-verify', '--login',
      'sim-user-2', '--alias', 'second'], { env, input: 'ghu_sim_2\n', encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    // GITHUB_TOKEN (the harness's --github-token) is the first account, the store adds `second`.
    stack = await startStack({ simArgs: ['--accounts', '2'], gatewayEnv: { STORE_PATH: env.STORE_PATH } });
    env.API_KEY = stack.apiKey;
  });
  after(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('requests spread over both accounts and `accounts status` shows them live', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await chat()).status, 200);
    const r = run(['accounts', 'status', '--url', stack.gatewayURL, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const status = JSON.parse(r.stdout);
    assert.deepEqual(status.accounts.map((a) => a.id), ['env', '1']);
    assert.equal(status.accounts[1].alias, 'second');
    for (const a of status.accounts) {
      assert.equal(a.health, 'ok');
      assert.equal(a.token.state, 'valid');
      assert.equal(a.in_flight, 0);
    }
    const text = run(['accounts', 'status', '--url', stack.gatewayURL]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^2 accounts, strategy quota-aware$/m);
    assert.match(text.stdout, /^1 {2}second {2}\(sim-user-2\)/m);
  });

  test('pinning with X-Copilot-Account, and `accounts refresh`', async () => {
    const pinned = await chat({ 'x-copilot-account': 'second' });
    assert.equal(pinned.status, 200);
    const unknown = await chat({ 'x-copilot-account': 'nobody' });
    assert.equal(unknown.status, 400);
    assert.equal((await unknown.json()).error.code, 'unknown_account');
    const r = run(['accounts', 'refresh', 'second', '--url', stack.gatewayURL]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /token: +valid/);
    const bad = run(['accounts', 'refresh', 'nobody', '--url', stack.gatewayURL]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /404/);
  });

  test('disable and enable reach the running gateway at once', async () => {
    let r = run(['accounts', 'disable', 'second', '--url', stack.gatewayURL]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /took it out of rotation/);
    let status = JSON.parse(run(['accounts', 'status', '--url', stack.gatewayURL, '--json']).stdout);
    assert.equal(status.accounts[1].health, 'disabled');
    const refused = await chat({ 'x-copilot-account': 'second' });
    assert.equal(refused.status, 503);
    assert.match((await refused.json()).error.message, /pinned Copilot account is disabled/);
    for (let i = 0; i < 3; i++) assert.equal((await chat()).status, 200);  // on `env`

    r = run(['accounts', 'enable', 'second', '--url', stack.gatewayURL]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /put it back into rotation/);
    status = JSON.parse(run(['accounts', 'status', '--url', stack.gatewayURL, '--json']).stdout);
    assert.equal(status.accounts[1].health, 'ok');
    assert.equal((await chat({ 'x-copilot-account': 'second' })).status, 200);
  });

  test('status without a running gateway says so', () => {
    const r = run(['accounts', 'status', '--url', 'http://127.0.0.1:9']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /No gateway answers at http:\/\/127\.0\.0\.1:9/);
  });
});

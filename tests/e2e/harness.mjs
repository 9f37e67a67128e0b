// End-to-end harness: starts copilot-sim and `copilot-gateway serve` (both on ephemeral ports,
// the gateway pointed at the simulator with a random client API key) from $CG_BIN_DIR (default
// build/asan under the repo root), waits for their "listening on" lines and hands the test the
// base URL and key. Both processes are stopped in stop() and, as a last resort, when the test
// process exits. Their stderr is kept (tail) and attached to failing assertions by
// withDiagnostics(). stop() fails unless both shut down cleanly on SIGTERM (exit status 0, no
// sanitizer report: ASan/LSan/UBSan findings surface here). Runs in the node:test process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

const kStartTimeoutMs = 60_000; // ASan builds start slowly on a busy 2-core machine
const kStopTimeoutMs = 10_000;
const kLogTailBytes = 256 * 1024; // kept per stream
const kDescribeChars = 8 * 1024; // shown per stream in a failure message
const kSanitizerPattern = /ERROR: (Address|Leak|UndefinedBehavior|Thread)Sanitizer|runtime error: /;
const kSanitizerLines = 120;

export function binDir() {
  const dir = process.env.CG_BIN_DIR || 'build/asan';
  return path.resolve(repoRoot, dir);
}

// One child process with a bounded stdout/stderr tail and a promise for its "listening on" URL.
class Child {
  constructor(name, file, args, env) {
    this.name = name;
    this.stdout = '';
    this.stderr = '';
    this.exit = null; // {code, signal} once exited
    this.proc = spawn(file, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.proc.on('error', (err) => {
        this.stderr += `\n[harness] spawn failed: ${err.message}\n`;
        this.exit = { code: -1, signal: null };
        resolve(this.exit);
      });
    });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stderr.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => (this.stdout = tail(this.stdout + d)));
    this.sanitizer = []; // condensed sanitizer report lines (the raw report can be megabytes)
    this.partialLine = '';
    this.proc.stderr.on('data', (d) => {
      this.stderr = tail(this.stderr + d);
      this.scanSanitizer(d);
    });
  }

  // Keeps the lines of a sanitizer report that say what and where: the headline, the summary,
  // and stack frames in the project's own code (namespace cg::).
  scanSanitizer(chunk) {
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop();
    for (const line of lines) {
      if (kSanitizerPattern.test(line)) this.sanitizerHit = true;
      if (this.sanitizer.length < kSanitizerLines &&
          (kSanitizerPattern.test(line) || /leak of \d+|^SUMMARY: /.test(line) ||
           (this.sanitizerHit && / in cg::/.test(line)))) {
        this.sanitizer.push(line.length > 400 ? `${line.slice(0, 400)}...` : line);
      }
    }
  }

  // Resolves with the URL printed as "<name> listening on <url>"; rejects (with the process's
  // output) if it exits first or the timeout passes.
  waitListening(timeoutMs = kStartTimeoutMs) {
    const re = new RegExp(`^${this.name} listening on (http://\\S+)`, 'm');
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(this.stdout);
        if (m) {
          cleanup();
          resolve(m[1].replace(/\/$/, ''));
        }
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before listening` +
          this.describe()));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name} did not print "listening on" in ${timeoutMs} ms` +
          this.describe()));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.proc.stdout.off('data', check);
        this.proc.off('exit', onExit);
      };
      this.proc.stdout.on('data', check);
      this.proc.on('exit', onExit);
      if (this.exit) onExit();
      else check();
    });
  }

  // SIGTERM, then SIGKILL after kStopTimeoutMs. Returns the problems seen: an exit before
  // stop() was asked for, a non-zero exit status, a needed SIGKILL, a sanitizer report.
  async stop() {
    const problems = [];
    if (this.exit) {
      problems.push(`${this.name} had already exited (${JSON.stringify(this.exit)})`);
    } else {
      this.proc.kill('SIGTERM');
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        this.proc.kill('SIGKILL');
      }, kStopTimeoutMs);
      await this.exited;
      clearTimeout(timer);
      if (killed) {
        problems.push(`${this.name} did not exit within ${kStopTimeoutMs} ms of SIGTERM`);
      } else if (this.exit.code !== 0) {
        problems.push(`${this.name} exited with ${JSON.stringify(this.exit)} after SIGTERM`);
      }
    }
    if (this.sanitizerHit) {
      problems.push(`${this.name} printed a sanitizer report:\n  ${this.sanitizer.join('\n  ')}`);
    }
    return problems;
  }

  killNow() {
    if (!this.exit) this.proc.kill('SIGKILL');
  }

  describe(maxChars = kDescribeChars) {
    const last = (s) => (s.length > maxChars ? `...${s.slice(s.length - maxChars)}` : s).trimEnd();
    return `\n--- ${this.name} stderr (tail) ---\n${last(this.stderr)}\n` +
      `--- ${this.name} stdout (tail) ---\n${last(this.stdout)}\n`;
  }
}

function tail(s) {
  return s.length > kLogTailBytes ? s.slice(s.length - kLogTailBytes) : s;
}

// Children still running when the test process ends (normally or by a signal) are killed.
const live = new Set();
process.on('exit', () => {
  for (const c of live) c.killNow();
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => {
    for (const c of live) c.killNow();
    process.exit(code);
  });
}

// Starts simulator + gateway. Options: extra CLI args for each (simArgs, gatewayArgs) and extra
// environment for the gateway (gatewayEnv); gateway: false starts the simulator only.
export async function startStack({ simArgs = [], gatewayArgs = [], gatewayEnv = {},
  gateway: withGateway = true } = {}) {
  const dir = binDir();
  for (const bin of ['copilot-sim', 'copilot-gateway']) {
    if (!existsSync(path.join(dir, bin))) {
      throw new Error(`${bin} not found in ${dir}: build it (e.g. cmake --build ${dir} ` +
        `--target copilot-sim copilot-gateway) or set CG_BIN_DIR`);
    }
  }
  const children = [];
  let stopping = null;
  const stack = {
    apiKey: `e2e-${randomBytes(12).toString('hex')}`,
    baseURL: '',
    gatewayURL: '',
    simURL: '',
    children,
    // All captured output, for error messages.
    describe: () => children.map((c) => c.describe()).join(''),
    // Stops both (gateway first); idempotent. Rejects when either process did not shut down
    // cleanly: exit status 0 after SIGTERM, within kStopTimeoutMs, and no sanitizer report.
    stop() {
      stopping ??= (async () => {
        const problems = [];
        for (const c of [...children].reverse()) {
          problems.push(...await c.stop());
          live.delete(c);
        }
        if (problems.length) {
          throw new Error(`unclean shutdown:\n${problems.join('\n')}\n` +
            children.map((c) => c.describe(2048)).join(''));
        }
      })();
      return stopping;
    },
  };
  try {
    const sim = new Child('copilot-sim', path.join(dir, 'copilot-sim'),
      ['--host', '127.0.0.1', '--port', '0', '--threads', '1', ...simArgs], {});
    children.push(sim);
    live.add(sim);
    stack.simURL = await sim.waitListening();
    if (!withGateway) return stack;

    const gateway = new Child('copilot-gateway', path.join(dir, 'copilot-gateway'), [
      'serve', '--host', '127.0.0.1', '--port', '0', '--workers', '1',
      '--github-api-url', stack.simURL, '--copilot-api-url', stack.simURL,
      '--github-token', 'ghu_sim_default', '--api-key', stack.apiKey, ...gatewayArgs,
    ], gatewayEnv);
    children.push(gateway);
    live.add(gateway);
    stack.gatewayURL = await gateway.waitListening();
    stack.baseURL = `${stack.gatewayURL}/v1`;
    return stack;
  } catch (err) {
    await Promise.allSettled(children.map((c) => c.stop()));
    if (children.some((c) => c.sanitizerHit)) {
      err.message += children.map((c) => `\n${c.name}: ${c.sanitizer.join('\n')}`).join('');
    }
    for (const c of children) live.delete(c);
    throw err;
  }
}

// Wraps a test body so that a failure carries the simulator's and gateway's output.
// getStack is a function because the stack is created in a before() hook.
export function withDiagnostics(getStack, fn) {
  return async (t) => {
    try {
      await fn(t);
    } catch (err) {
      const stack = getStack();
      if (!stack) throw err;
      // Reporters print the error's stack, which was fixed at construction: wrap it.
      throw new Error(`${err?.message ?? err}\n${stack.describe()}`, { cause: err });
    }
  };
}

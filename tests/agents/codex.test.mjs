// Codex CLI (`codex exec`) against copilot-gateway's POST /v1/responses, with copilot-sim as
// Copilot. Codex is configured only through a temporary CODEX_HOME/config.toml: a custom model
// provider (base_url = the gateway's /v1, wire_api = "responses", the key from an environment
// variable). The prompt's [[sim:...]] directive makes the simulator answer the first turn with an
// exec_command call running printf; Codex runs it, sends the function_call_output in a follow-up
// turn, and ends with the simulator's answer ("Tool result received: <printf output>").
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  accessLogSettled, assertBilledOnce, baseEnv, codexLauncher, describeRun, probe, reportUpstream,
  runAgent, useStack, withDiagnostics,
} from './agents.mjs';

const kTimeoutMs = 120_000;

// Native: a model Copilot serves on /responses only, relayed as is. Translated: a model Copilot
// serves on /chat/completions only, so the gateway translates to and from Chat Completions.
const kCases = [
  { name: 'native /responses', model: 'gpt-5.1-codex', endpoint: '/responses' },
  { name: 'translated to /chat/completions', model: 'gemini-2.5-pro',
    endpoint: '/chat/completions' },
];

function configToml(baseURL, model) {
  return `# Written by tests/agents/codex.test.mjs for one run.
model = "${model}"
model_provider = "copilot-gateway"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[analytics]
enabled = false

[feedback]
enabled = false

# No phoning home: the curated plugin sync (git ls-remote github.com, api.github.com,
# chatgpt.com), connectors and in-app updates.
[features]
plugins = false
remote_plugin = false
apps = false
in_app_updates = false

[model_providers.copilot-gateway]
name = "copilot-gateway"
base_url = "${baseURL}"
env_key = "CG_GATEWAY_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

for (const { name, model, endpoint } of kCases) {
  describe(`Codex CLI (codex exec), ${name}`, () => {
    const fixture = useStack({ before, after }, { prefix: 'codex' });

    it('runs one tool call and a follow-up turn; one request is billed as user',
      withDiagnostics(() => fixture().stack, async (t) => {
        const fx = fixture();
        // Only while the gateway lacks the endpoint: 501 means "not implemented yet". An empty
        // body is answered by the gateway itself (400) once the route exists: nothing upstream.
        const answer = await probe(fx.stack, '/v1/responses', {});
        if (answer.status === 501) {
          t.skip(`gateway answers 501 on POST /v1/responses (not implemented yet): ${answer.text}`);
          return;
        }
        const logFrom = await accessLogSettled(fx.stack, 1); // the probe's line

        const codexHome = path.join(fx.sandbox.home, '.codex');
        await mkdir(codexHome, { recursive: true });
        await writeFile(path.join(codexHome, 'config.toml'), configToml(fx.stack.baseURL, model));
        const marker = randomBytes(4).toString('hex');
        // printf's output ("agent-<marker>") is not in the command text: seeing it in the final
        // answer proves the command ran and its output travelled back through the gateway.
        const cmd = `printf 'agent-%s\\n' ${marker}`;
        const prompt = `[[sim:tool=exec_command,args=${JSON.stringify({ cmd })}]] ` +
          'Print the marker with printf.';
        const lastMessage = path.join(fx.sandbox.root, 'last-message.txt');
        const env = {
          ...baseEnv(fx.sandbox, fx.trap),
          CODEX_HOME: codexHome,
          CG_GATEWAY_API_KEY: fx.stack.apiKey,
        };
        const args = [codexLauncher(), 'exec', '--skip-git-repo-check', '--strict-config',
          '--json', '--output-last-message', lastMessage, prompt];
        const run = await runAgent(process.execPath, args,
          { env, cwd: fx.sandbox.work, timeoutMs: kTimeoutMs });
        const upstream = await reportUpstream(t, fx, { agent: 'codex exec', run, logFrom });
        const why = describeRun('codex', run);

        assert.equal(run.timedOut, false, `codex exec did not finish in ${kTimeoutMs} ms${why}`);
        assert.equal(run.code, 0, `codex exec failed${why}`);
        // --json: one event per line; the command's execution and its output are among them.
        const events = run.stdout.split('\n').filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l));
        const commands = events.filter((e) => e.type === 'item.completed' &&
          e.item?.type === 'command_execution');
        assert.equal(commands.length, 1, `expected one command execution${why}`);
        assert.match(commands[0].item.aggregated_output ?? '', new RegExp(`agent-${marker}`),
          `the command's output is missing${why}`);
        const final = await readFile(lastMessage, 'utf8').catch(() => '');
        t.diagnostic(`final message: ${JSON.stringify(final.slice(0, 300))}`);
        assert.match(final, new RegExp(`Tool result received: [^]*agent-${marker}`),
          `final message lacks the simulator's follow-up answer with the tool output${why}`);
        assertBilledOnce(upstream, endpoint);
      }));
  });
}

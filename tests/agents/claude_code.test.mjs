// Claude Code (`claude -p`) against copilot-gateway's POST /v1/messages, with copilot-sim as
// Copilot. The prompt's [[sim:...]] directive makes the simulator answer the first turn with a
// Bash tool_use running printf; Claude Code runs it, sends the tool_result in a follow-up turn,
// and prints the simulator's answer to that ("Tool result received: <printf output>").
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, it, after, before } from 'node:test';

import {
  assertBilledOnce, baseEnv, claudeBinary, describeRun, reportUpstream, runAgent, useStack,
  withDiagnostics,
} from './agents.mjs';

const kTimeoutMs = 120_000;
const kModel = 'claude-sonnet-4.5'; // a model the simulator serves on /v1/messages
const kSmallModel = 'claude-haiku-4.5';

// Native: the gateway relays /v1/messages to Copilot's /v1/messages. Translated: with
// --no-native-messages it translates to and from /chat/completions.
const kCases = [
  { name: 'native /v1/messages', gatewayArgs: [], endpoint: '/v1/messages' },
  { name: 'translated to /chat/completions', gatewayArgs: ['--no-native-messages'],
    endpoint: '/chat/completions' },
];

function claudeEnv({ stack, trap, sandbox }) {
  return {
    ...baseEnv(sandbox, trap),
    ANTHROPIC_BASE_URL: stack.gatewayURL,
    ANTHROPIC_AUTH_TOKEN: stack.apiKey,
    ANTHROPIC_MODEL: kModel,
    ANTHROPIC_DEFAULT_SONNET_MODEL: kModel,
    ANTHROPIC_DEFAULT_OPUS_MODEL: kModel,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: kSmallModel,
    ANTHROPIC_SMALL_FAST_MODEL: kSmallModel,
    CLAUDE_CONFIG_DIR: path.join(sandbox.home, '.claude'),
    // No phoning home: telemetry, error reports, update checks, feature flags, surveys.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_UPDATES: '1',
    DISABLE_GROWTHBOOK: '1',
    DISABLE_INSTALLATION_CHECKS: '1',
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
    // A failed request fails the run instead of being retried for minutes.
    CLAUDE_CODE_MAX_RETRIES: '0',
  };
}

for (const { name, gatewayArgs, endpoint } of kCases) {
  describe(`Claude Code (claude -p), ${name}`, () => {
    const fixture = useStack({ before, after }, { prefix: 'claude', gatewayArgs });

    it('runs one tool call and a follow-up turn; one request is billed as user',
      withDiagnostics(() => fixture().stack, async (t) => {
        const fx = fixture();
        const marker = randomBytes(4).toString('hex');
        // printf's output ("agent-<marker>") is not in the command text: seeing it in the final
        // answer proves the command ran and its output travelled back through the gateway.
        const command = `printf 'agent-%s\\n' ${marker}`;
        const prompt = `[[sim:tool=Bash,args=${JSON.stringify({ command })}]] ` +
          'Print the marker with printf.';
        const args = ['-p', prompt, '--output-format', 'json', '--allowedTools', 'Bash(printf:*)',
          '--no-session-persistence'];
        const run = await runAgent(claudeBinary(), args,
          { env: claudeEnv(fx), cwd: fx.sandbox.work, timeoutMs: kTimeoutMs });
        const upstream = await reportUpstream(t, fx, { agent: 'claude -p', run });
        const why = describeRun('claude', run);

        assert.equal(run.timedOut, false, `claude -p did not finish in ${kTimeoutMs} ms${why}`);
        assert.equal(run.code, 0, `claude -p failed${why}`);
        let result;
        try {
          result = JSON.parse(run.stdout);
        } catch (err) {
          assert.fail(`claude -p --output-format json printed no JSON (${err.message})${why}`);
        }
        t.diagnostic(`final answer: ${JSON.stringify(String(result.result).slice(0, 300))}`);
        assert.equal(result.is_error, false, `claude -p reported an error${why}`);
        assert.match(result.result, new RegExp(`Tool result received: agent-${marker}`),
          `final answer lacks the simulator's follow-up answer with the tool output${why}`);
        assert.equal(result.num_turns, 2, `expected the tool turn and the follow-up turn${why}`);
        assertBilledOnce(upstream, endpoint);
      }));
  });
}

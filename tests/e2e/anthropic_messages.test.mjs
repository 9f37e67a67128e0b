// End-to-end: the official `@anthropic-ai/sdk` npm client (pinned in package.json) against
// copilot-gateway in front of copilot-sim. The Messages API plain, streamed through the
// MessageStream helper, tool-use round trips, extended thinking with signatures sent back,
// images, the error classes the SDK maps statuses to, in-stream errors, both auth headers, the
// /anthropic/v1 prefix, the Anthropic-shaped models list and count_tokens.
//
// Four routes are covered by the same tests (see `routes`): a Claude model forwarded natively to
// Copilot's /v1/messages, a non-Claude model translated to /chat/completions, a Claude model
// translated to /chat/completions because the gateway runs with --no-native-messages, and a
// responses-only model translated to /responses. Tests check, through the simulator's
// per-endpoint counters, that requests really went to the upstream endpoint of their route.
// Two simulator + gateway pairs for the whole file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { startStack, withDiagnostics } from './harness.mjs';

let nativeStack; // default gateway: Claude models go to Copilot's /v1/messages
let translatedStack; // --no-native-messages: every model goes through /chat/completions

before(async () => {
  [nativeStack, translatedStack] = await Promise.all([
    startStack(),
    startStack({ gatewayArgs: ['--no-native-messages'] }),
  ]);
});

after(async () => {
  const results = await Promise.allSettled([nativeStack?.stop(), translatedStack?.stop()]);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
});

const describeStacks = () => [nativeStack, translatedStack].filter(Boolean)
  .map((s) => s.describe()).join('');
const it = (name, fn, opts = {}) =>
  test(name, opts, withDiagnostics(() => ({ describe: describeStacks }), fn));

const kClaude = 'claude-sonnet-4-5-20250929'; // dated Anthropic name; catalog id claude-sonnet-4.5

const routes = [
  {
    name: 'claude native /v1/messages',
    model: kClaude,
    stack: () => nativeStack,
    upstream: '/v1/messages',
    claude: true, // the simulator's Claude answers put a sentence before a tool call
    native: true,
    thinking: true, // answers with thinking blocks
    verified: true, // the upstream verifies thinking signatures sent back
  },
  {
    name: 'gpt-4.1 translated to chat',
    model: 'gpt-4.1',
    stack: () => nativeStack,
    upstream: '/chat/completions',
    claude: false,
    native: false,
    thinking: false,
    verified: false,
  },
  {
    name: 'claude translated to chat (--no-native-messages)',
    model: kClaude,
    stack: () => translatedStack,
    upstream: '/chat/completions',
    claude: true,
    native: false,
    thinking: true,
    verified: false,
  },
  {
    name: 'gpt-5.1-codex translated to /responses',
    model: 'gpt-5.1-codex',
    stack: () => nativeStack,
    upstream: '/responses',
    claude: false,
    native: false,
    thinking: true, // reasoning items become thinking blocks
    verified: true, // the signature carries the encrypted reasoning, checked upstream
  },
];

function sdk(stack, options = {}) {
  return new Anthropic({
    baseURL: stack.gatewayURL,
    apiKey: stack.apiKey,
    maxRetries: 0,
    ...options,
  });
}

// Runs fn expecting it to throw; returns the error.
async function rejection(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected the request to fail');
}

// The simulator's per-endpoint request counters of the default account.
async function upstreamCounts(stack) {
  const res = await fetch(`${stack.simURL}/_sim/stats`);
  assert.equal(res.status, 200, 'simulator stats');
  const stats = await res.json();
  return stats.accounts['sim-user']?.by_endpoint ?? {};
}

// Runs fn and asserts that it made exactly one upstream request, to `endpoint`.
async function expectUpstream(stack, endpoint, fn) {
  const before = await upstreamCounts(stack);
  const result = await fn();
  const after = await upstreamCounts(stack);
  const delta = {};
  for (const [k, v] of Object.entries(after)) {
    if (v !== (before[k] ?? 0)) delta[k] = v - (before[k] ?? 0);
  }
  assert.deepEqual(delta, { [endpoint]: 1 }, `upstream requests made: ${JSON.stringify(delta)}`);
  return result;
}

const user = (content) => ({ role: 'user', content });

// The Copilot-Vision-Request header of the simulator's last API request ('true' or undefined).
async function lastVisionHeader(stack) {
  const res = await fetch(`${stack.simURL}/_sim/stats`);
  const headers = (await res.json()).accounts['sim-user']?.last_headers ?? {};
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === 'copilot-vision-request');
  return hit ? String(hit[1]) : undefined;
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
};

// A 1x1 red PNG.
const kPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const pngBlock = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: kPng } };

function checkUsage(usage) {
  assert.ok(usage, 'usage present');
  assert.ok(Number.isInteger(usage.input_tokens) && usage.input_tokens > 0,
    `input_tokens > 0: ${JSON.stringify(usage)}`);
  assert.ok(Number.isInteger(usage.output_tokens) && usage.output_tokens > 0,
    `output_tokens > 0: ${JSON.stringify(usage)}`);
}

function checkMessageShape(msg) {
  assert.equal(msg.type, 'message');
  assert.equal(msg.role, 'assistant');
  assert.match(msg.id, /^msg_/);
  assert.equal(typeof msg.model, 'string');
  assert.ok(msg.model.length > 0, 'model named');
  assert.ok(Array.isArray(msg.content), 'content is an array');
  checkUsage(msg.usage);
}

// Checks the raw event sequence of a MessageStream: message_start first, blocks strictly one
// after another with indexes 0, 1, 2..., then message_delta (with usage), then message_stop.
// Returns the number of blocks.
function checkEventOrder(events) {
  const types = events.map((e) => e.type);
  const where = `events: ${types.join(' ')}`;
  assert.equal(types[0], 'message_start', where);
  assert.deepEqual(events[0].message.content, [], 'message_start has empty content');
  assert.ok(events[0].message.usage, 'message_start carries usage');
  assert.equal(types.at(-1), 'message_stop', where);
  assert.equal(types.at(-2), 'message_delta', where);
  const delta = events.at(-2);
  assert.ok(delta.usage && Number.isInteger(delta.usage.output_tokens) &&
    delta.usage.output_tokens > 0, `message_delta usage: ${JSON.stringify(delta.usage)}`);
  let open = -1;
  let next = 0;
  for (const e of events.slice(1, -2)) {
    switch (e.type) {
      case 'content_block_start':
        assert.equal(open, -1, `block ${e.index} started while ${open} is open; ${where}`);
        assert.equal(e.index, next, where);
        open = e.index;
        break;
      case 'content_block_delta':
        assert.equal(e.index, open, `delta outside its block; ${where}`);
        break;
      case 'content_block_stop':
        assert.equal(e.index, open, `stop of a block that is not open; ${where}`);
        open = -1;
        next++;
        break;
      default:
        assert.fail(`unexpected event ${e.type} between message_start and message_delta`);
    }
  }
  assert.equal(open, -1, `a block was left open; ${where}`);
  return next;
}

// Collects every stream event of a MessageStream helper plus its text/thinking/json callbacks.
function record(stream) {
  const rec = { events: [], text: '', textDeltas: 0, thinking: '', signatures: [], json: [] };
  // The helper builds its snapshot in the message_start event's object: keep copies.
  stream.on('streamEvent', (e) => rec.events.push(structuredClone(e)));
  stream.on('text', (d) => {
    rec.text += d;
    rec.textDeltas++;
  });
  stream.on('thinking', (d) => (rec.thinking += d));
  stream.on('signature', (s) => rec.signatures.push(s));
  stream.on('inputJson', (d) => rec.json.push(d));
  return rec;
}

for (const route of routes) {
  const stack = () => route.stack();
  const client = () => sdk(stack());

  describe(`messages via ${route.name}`, () => {
    it('create(): text answer, stop_reason, usage', async () => {
      const prompt = `Plain create on ${route.name}`;
      const msg = await expectUpstream(stack(), route.upstream, () => client().messages.create({
        model: route.model,
        max_tokens: 256,
        messages: [user(prompt)],
      }));
      checkMessageShape(msg);
      assert.equal(msg.content.length, 1, `content: ${JSON.stringify(msg.content)}`);
      assert.equal(msg.content[0].type, 'text');
      assert.equal(msg.content[0].text, `You said: ${prompt}`);
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.stop_sequence, null);
      assert.equal(await lastVisionHeader(stack()), undefined, 'no image, no vision call');
    });

    it('create(): a system prompt reaches the model (input_tokens grow)', async () => {
      const prompt = 'Same question twice';
      const bare = await client().messages.create({
        model: route.model,
        max_tokens: 256,
        messages: [user(prompt)],
      });
      const withSystem = await client().messages.create({
        model: route.model,
        max_tokens: 256,
        system: 'You are a careful assistant. '.repeat(40),
        messages: [user(prompt)],
      });
      assert.equal(withSystem.content[0].text, `You said: ${prompt}`);
      assert.ok(withSystem.usage.input_tokens > bare.usage.input_tokens + 100,
        `input_tokens ${withSystem.usage.input_tokens} vs ${bare.usage.input_tokens} without system`);
    });

    it('create(): an earlier conversation is sent along; the last user turn is answered', async () => {
      const msg = await client().messages.create({
        model: route.model,
        max_tokens: 256,
        messages: [
          user('First question'),
          { role: 'assistant', content: 'First answer' },
          user([{ type: 'text', text: 'Second question' }]),
        ],
      });
      assert.equal(msg.content[0].text, 'You said: Second question');
    });

    it('stream(): events in order, text callbacks and finalMessage()', async () => {
      const prompt = `Streaming through the helper on ${route.name}`;
      const { final, rec } = await expectUpstream(stack(), route.upstream, async () => {
        const stream = client().messages.stream({
          model: route.model,
          max_tokens: 256,
          messages: [user(prompt)],
        });
        const rec = record(stream);
        const final = await stream.finalMessage();
        return { final, rec };
      });
      assert.equal(checkEventOrder(rec.events), 1, 'one content block');
      assert.equal(rec.events[1].content_block.type, 'text');
      assert.equal(rec.events[1].content_block.text, '');
      assert.equal(rec.text, `You said: ${prompt}`);
      assert.ok(rec.textDeltas > 1, `text arrived in several deltas (${rec.textDeltas})`);
      checkMessageShape(final);
      assert.deepEqual(final.content.map((b) => b.type), ['text']);
      assert.equal(final.content[0].text, `You said: ${prompt}`);
      assert.equal(final.stop_reason, 'end_turn');
      assert.equal(final.usage.output_tokens, rec.events.at(-2).usage.output_tokens,
        'final usage is the message_delta usage');
      assert.ok(final.usage.input_tokens > 0, 'input_tokens from message_start');
    });

    it('create({stream: true}): raw events, ping skipped, message_stop last', async () => {
      const prompt = 'Raw stream iteration';
      const stream = await client().messages.create({
        model: route.model,
        max_tokens: 256,
        messages: [user(prompt)],
        stream: true,
      });
      const events = [];
      for await (const event of stream) events.push(event);
      checkEventOrder(events);
      const text = events.filter((e) => e.type === 'content_block_delta')
        .map((e) => e.delta.text).join('');
      assert.equal(text, `You said: ${prompt}`);
      assert.equal(events.at(-2).delta.stop_reason, 'end_turn');
      assert.equal(events.at(-2).delta.stop_sequence, null);
    });

    it('tool use round trip: tool_use with parsed input, then tool_result', async () => {
      const prompt = 'What is the weather in Paris';
      const messages = [user(prompt)];
      const first = await expectUpstream(stack(), route.upstream, () => client().messages.create({
        model: route.model,
        max_tokens: 512,
        tools: [weatherTool],
        messages,
      }));
      checkMessageShape(first);
      assert.equal(first.stop_reason, 'tool_use');
      const types = first.content.map((b) => b.type);
      assert.equal(types.at(-1), 'tool_use', `content: ${JSON.stringify(first.content)}`);
      assert.equal(types.filter((t) => t === 'tool_use').length, 1, 'one tool call');
      assert.ok(types.slice(0, -1).every((t) => t === 'text'), `only text before it: ${types}`);
      if (route.claude) {
        // The simulator's Claude answers put a sentence before the call (on /chat/completions as
        // a separate choice that the gateway must merge).
        assert.deepEqual(types, ['text', 'tool_use']);
        assert.equal(first.content[0].text, "I'll use the get_weather tool.");
      }
      const call = first.content.at(-1);
      assert.equal(call.name, 'get_weather');
      assert.match(call.id, /^[A-Za-z0-9_-]+$/, `tool_use id pattern: ${call.id}`);
      assert.deepEqual(call.input, { city: prompt });

      const toolResult = 'Sunny and 21 degrees';
      const second = await expectUpstream(stack(), route.upstream, () => client().messages.create({
        model: route.model,
        max_tokens: 512,
        tools: [weatherTool],
        messages: [
          ...messages,
          { role: 'assistant', content: first.content },
          user([{ type: 'tool_result', tool_use_id: call.id, content: toolResult }]),
        ],
      }));
      assert.deepEqual(second.content.map((b) => b.type), ['text']);
      assert.equal(second.content[0].text, `Tool result received: ${toolResult}`);
      assert.equal(second.stop_reason, 'end_turn');
    });

    it('tool use streamed: input_json deltas assemble into the parsed input', async () => {
      const prompt = 'Weather in Lisbon via stream';
      const stream = client().messages.stream({
        model: route.model,
        max_tokens: 512,
        tools: [weatherTool],
        messages: [user(prompt)],
      });
      const rec = record(stream);
      const final = await stream.finalMessage();
      const blocks = checkEventOrder(rec.events);
      assert.equal(blocks, final.content.length);
      const start = rec.events.find((e) => e.type === 'content_block_start' &&
        e.content_block.type === 'tool_use');
      assert.ok(start, 'a tool_use block was started');
      assert.deepEqual(start.content_block.input, {}, 'tool_use starts with empty input');
      assert.ok(rec.json.length >= 2, `input arrived in several deltas (${rec.json.length})`);
      assert.deepEqual(JSON.parse(rec.json.join('')), { city: prompt });
      assert.equal(final.stop_reason, 'tool_use');
      assert.equal(rec.events.at(-2).delta.stop_reason, 'tool_use');
      const call = final.content.at(-1);
      assert.equal(call.type, 'tool_use');
      assert.equal(call.name, 'get_weather');
      assert.equal(call.id, start.content_block.id);
      assert.deepEqual(call.input, { city: prompt });
    });

    it('tool_choice {type:"none"} answers with text', async () => {
      const prompt = 'No tools this time';
      const msg = await client().messages.create({
        model: route.model,
        max_tokens: 256,
        tools: [weatherTool],
        tool_choice: { type: 'none' },
        messages: [user(prompt)],
      });
      assert.deepEqual(msg.content.map((b) => b.type), ['text']);
      assert.equal(msg.content[0].text, `You said: ${prompt}`);
      assert.equal(msg.stop_reason, 'end_turn');
    });

    if (route.thinking) {
      it('thinking: block with signature; the assistant turn sent back unchanged works',
        async () => {
          const prompt = 'Ponder this carefully';
          const thinking = { type: 'enabled', budget_tokens: 1024 };
          const first = await expectUpstream(stack(), route.upstream, () =>
            client().messages.create({
              model: route.model,
              max_tokens: 2048,
              thinking,
              messages: [user(prompt)],
            }));
          checkMessageShape(first);
          assert.deepEqual(first.content.map((b) => b.type), ['thinking', 'text']);
          assert.equal(first.content[0].thinking, `Thinking about: ${prompt}`);
          assert.equal(typeof first.content[0].signature, 'string');
          assert.ok(first.content[0].signature.length > 0, 'signature present');
          assert.equal(first.content[1].text, `You said: ${prompt}`);

          const next = 'And now a follow-up';
          const second = await expectUpstream(stack(), route.upstream, () =>
            client().messages.create({
              model: route.model,
              max_tokens: 2048,
              thinking,
              messages: [user(prompt), { role: 'assistant', content: first.content }, user(next)],
            }));
          assert.deepEqual(second.content.map((b) => b.type), ['thinking', 'text']);
          assert.equal(second.content[0].thinking, `Thinking about: ${next}`);
          assert.equal(second.content[1].text, `You said: ${next}`);
        });

      it('thinking streamed: thinking and signature deltas, then text', async () => {
        const prompt = 'Ponder this in a stream';
        const stream = client().messages.stream({
          model: route.model,
          max_tokens: 2048,
          thinking: { type: 'enabled', budget_tokens: 1024 },
          messages: [user(prompt)],
        });
        const rec = record(stream);
        const final = await stream.finalMessage();
        assert.equal(checkEventOrder(rec.events), 2, 'thinking block + text block');
        assert.equal(rec.events[1].content_block.type, 'thinking');
        assert.equal(rec.events[1].content_block.thinking, '', 'thinking block starts empty');
        assert.equal(rec.thinking, `Thinking about: ${prompt}`);
        assert.equal(rec.signatures.length, 1, 'one signature_delta');
        assert.deepEqual(final.content.map((b) => b.type), ['thinking', 'text']);
        assert.equal(final.content[0].thinking, `Thinking about: ${prompt}`);
        assert.equal(final.content[0].signature, rec.signatures[0]);
        assert.ok(final.content[0].signature.length > 0);
        assert.equal(final.content[1].text, `You said: ${prompt}`);
        assert.equal(rec.text, `You said: ${prompt}`);

        // The streamed thinking block is as good as a non-streamed one in the history.
        const next = 'Follow-up after a streamed thought';
        const second = await client().messages.create({
          model: route.model,
          max_tokens: 2048,
          thinking: { type: 'enabled', budget_tokens: 1024 },
          messages: [user(prompt), { role: 'assistant', content: final.content }, user(next)],
        });
        assert.equal(second.content.at(-1).text, `You said: ${next}`);
      });

      it('thinking + tool use: the thinking block travels with the tool_use turn', async () => {
        const prompt = 'Think, then check the weather in Oslo';
        const thinking = { type: 'enabled', budget_tokens: 1024 };
        const first = await client().messages.create({
          model: route.model,
          max_tokens: 2048,
          thinking,
          tools: [weatherTool],
          messages: [user(prompt)],
        });
        assert.equal(first.content[0].type, 'thinking');
        assert.equal(first.content.at(-1).type, 'tool_use');
        const call = first.content.at(-1);
        const second = await client().messages.create({
          model: route.model,
          max_tokens: 2048,
          thinking,
          tools: [weatherTool],
          messages: [
            user(prompt),
            { role: 'assistant', content: first.content },
            user([{ type: 'tool_result', tool_use_id: call.id, content: 'Snow' }]),
          ],
        });
        assert.equal(second.content.at(-1).text, 'Tool result received: Snow');
      });
    } else {
      it('thinking requested on a model without thinking: plain answer, no thinking block',
        async () => {
          const prompt = 'Think if you can';
          const msg = await client().messages.create({
            model: route.model,
            max_tokens: 2048,
            thinking: { type: 'enabled', budget_tokens: 1024 },
            messages: [user(prompt)],
          });
          assert.deepEqual(msg.content.map((b) => b.type), ['text']);
          assert.equal(msg.content[0].text, `You said: ${prompt}`);
        });
    }

    if (route.verified) {
      it('thinking: an altered signature sent back is rejected upstream (400)', async () => {
        const prompt = 'Think and be verified';
        const thinking = { type: 'enabled', budget_tokens: 1024 };
        const first = await client().messages.create({
          model: route.model,
          max_tokens: 2048,
          thinking,
          messages: [user(prompt)],
        });
        const flip = (sig) => {
          const c = sig[4];
          return `${sig.slice(0, 4)}${c === 'a' ? 'b' : 'a'}${sig.slice(5)}`;
        };
        const tampered = first.content.map((b) =>
          b.type === 'thinking' ? { ...b, signature: flip(b.signature) } : b);
        assert.notDeepEqual(tampered, first.content);
        const err = await expectUpstream(stack(), route.upstream, () =>
          rejection(() => client().messages.create({
            model: route.model,
            max_tokens: 2048,
            thinking,
            messages: [user(prompt), { role: 'assistant', content: tampered }, user('next')],
          })));
        assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.error?.type, 'error', `Anthropic error shape: ${JSON.stringify(err.error)}`);
        assert.equal(err.type, 'invalid_request_error');
        assert.match(err.apiMessage, /signature|encrypted|verif/i);
      });
    }

    it('image: a base64 PNG next to text in a user message', async () => {
      const prompt = 'Describe this picture';
      const msg = await expectUpstream(stack(), route.upstream, () => client().messages.create({
        model: route.model,
        max_tokens: 256,
        messages: [user([pngBlock, { type: 'text', text: prompt }])],
      }));
      assert.equal(msg.content[0].text, `You said: ${prompt}`);
      assert.equal(await lastVisionHeader(stack()), 'true', 'the upstream call is a vision call');
    });

    it('image: a base64 PNG inside a tool_result', async () => {
      const prompt = 'Chart the weather in Rome';
      const first = await client().messages.create({
        model: route.model,
        max_tokens: 512,
        tools: [weatherTool],
        messages: [user(prompt)],
      });
      const call = first.content.at(-1);
      assert.equal(call.type, 'tool_use');
      const second = await expectUpstream(stack(), route.upstream, () =>
        client().messages.create({
          model: route.model,
          max_tokens: 512,
          tools: [weatherTool],
          messages: [
            user(prompt),
            { role: 'assistant', content: first.content },
            user([{
              type: 'tool_result',
              tool_use_id: call.id,
              content: [{ type: 'text', text: 'Chart attached' }, pngBlock],
            }]),
          ],
        }));
      checkMessageShape(second);
      assert.equal(await lastVisionHeader(stack()), 'true', 'the upstream call is a vision call');
      if (route.native) {
        assert.equal(second.stop_reason, 'end_turn');
        assert.equal(second.content.at(-1).type, 'text');
        assert.equal(second.content.at(-1).text, 'Tool result received: Chart attached');
      } else {
        // Chat tool messages and Responses function_call_output items carry text only: the
        // gateway sends the tool's text as the result and the image in a user message right
        // after it, so the simulator (which answers the last message) sees an image-only user
        // turn with tools offered and calls the tool again with empty text. That shape (and the
        // vision header above) is what this checks.
        assert.equal(second.stop_reason, 'tool_use', JSON.stringify(second.content));
        assert.deepEqual(second.content.at(-1).input, { city: '' });
      }
    });

    it('image: a url source is a BadRequestError naming the problem', async () => {
      const before = await upstreamCounts(stack());
      const err = await rejection(() => client().messages.create({
        model: route.model,
        max_tokens: 256,
        messages: [user([
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          { type: 'text', text: 'What is this?' },
        ])],
      }));
      assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 400);
      assert.equal(err.error?.type, 'error', 'Anthropic error shape');
      assert.equal(err.type, 'invalid_request_error');
      assert.match(err.apiMessage, /url/i);
      assert.match(err.apiMessage, /base64/i);
      assert.deepEqual(await upstreamCounts(stack()), before, 'rejected before any upstream call');
    });

    it('an upstream 429 is a RateLimitError with rate_limit_error', async () => {
      const err = await rejection(() => client().messages.create({
        model: route.model,
        max_tokens: 256,
        messages: [user('[[sim:status=429,retry_after=1]] slow down')],
      }));
      assert.ok(err instanceof RateLimitError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 429);
      assert.equal(err.error?.type, 'error', `Anthropic error shape: ${JSON.stringify(err.error)}`);
      assert.equal(err.type, 'rate_limit_error');
      assert.equal(typeof err.apiMessage, 'string');
      // The gateway rests the account for the retry-after: let it pass for the next tests.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    });

    it('an upstream 529 is an overloaded error (InternalServerError, overloaded_error)',
      async () => {
        const err = await rejection(() => client().messages.create({
          model: route.model,
          max_tokens: 256,
          messages: [user('[[sim:status=529]] too busy')],
        }));
        assert.ok(err instanceof InternalServerError, `got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.status, 529);
        assert.equal(err.error?.type, 'error',
          `Anthropic error shape: ${JSON.stringify(err.error)}`);
        assert.equal(err.type, 'overloaded_error');
      });

    it('an upstream 529 on a streaming request is an error before any event', async () => {
      const err = await rejection(async () => {
        const stream = await client().messages.create({
          model: route.model,
          max_tokens: 256,
          messages: [user('[[sim:status=529]] too busy to stream')],
          stream: true,
        });
        for await (const _ of stream) { /* drain */ }
      });
      assert.ok(err instanceof InternalServerError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 529);
      assert.equal(err.type, 'overloaded_error');
    });

    it('a dropped upstream stream ends in an Anthropic error event (APIError)', async () => {
      const events = [];
      const err = await rejection(async () => {
        const stream = await client().messages.create({
          model: route.model,
          max_tokens: 256,
          messages: [user('[[sim:drop_after=3]] this stream breaks')],
          stream: true,
        });
        for await (const event of stream) events.push(event);
      });
      assert.ok(err instanceof APIError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, undefined, 'an in-stream error, not an HTTP status');
      assert.equal(err.error?.type, 'error', `error event body: ${JSON.stringify(err.error)}`);
      assert.equal(typeof err.error.error?.type, 'string', 'error.type present');
      assert.equal(err.type, err.error.error.type);
      assert.equal(typeof err.error.error.message, 'string');
      assert.ok(err.error.error.message.length > 0, 'error message present');
      assert.ok(events.length >= 1 && events[0].type === 'message_start',
        `the stream had started: ${events.map((e) => e.type).join(' ')}`);
      assert.ok(!events.some((e) => e.type === 'message_stop'), 'no message_stop after a drop');
    });

    it('a dropped stream makes MessageStream.finalMessage() reject', async () => {
      const stream = client().messages.stream({
        model: route.model,
        max_tokens: 256,
        messages: [user('[[sim:drop_after=3]] helper stream breaks')],
      });
      stream.on('error', () => {}); // the rejection below is what is checked
      const err = await rejection(() => stream.finalMessage());
      assert.ok(err instanceof APIError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(typeof err.type, 'string', 'error type from the error event');
    });

    it('count_tokens: input_tokens > 0 and growing with the text', async () => {
      const count = (text) => client().messages.countTokens({
        model: route.model,
        messages: [user(text)],
      });
      const short = await count('Hello there');
      assert.deepEqual(Object.keys(short), ['input_tokens']);
      assert.ok(Number.isInteger(short.input_tokens) && short.input_tokens > 0,
        `input_tokens: ${JSON.stringify(short)}`);
      const long = await count('Hello there, '.repeat(50));
      assert.ok(long.input_tokens > short.input_tokens + 40,
        `long ${long.input_tokens} vs short ${short.input_tokens}`);
      const withTools = await client().messages.countTokens({
        model: route.model,
        messages: [user('Hello there')],
        tools: [weatherTool],
      });
      assert.ok(withTools.input_tokens > short.input_tokens,
        `tools count: ${withTools.input_tokens} vs ${short.input_tokens}`);
    });
  });
}

describe('errors', () => {
  it('an unknown model is a NotFoundError naming the available models', async () => {
    const before = await upstreamCounts(nativeStack);
    const err = await rejection(() => sdk(nativeStack).messages.create({
      model: 'claude-imaginary-9',
      max_tokens: 256,
      messages: [user('hi')],
    }));
    assert.ok(err instanceof NotFoundError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 404);
    assert.equal(err.error?.type, 'error', `Anthropic error shape: ${JSON.stringify(err.error)}`);
    assert.equal(err.type, 'not_found_error');
    assert.match(err.apiMessage, /claude-imaginary-9/);
    assert.match(err.apiMessage, /claude-sonnet-4\.5/);
    assert.match(err.apiMessage, /gpt-4\.1/);
    assert.deepEqual(await upstreamCounts(nativeStack), before, 'no upstream call');
  });

  it('a missing max_tokens is a BadRequestError', async () => {
    const err = await rejection(() => sdk(nativeStack).messages.create({
      model: kClaude,
      messages: [user('hi')],
    }));
    assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 400);
    assert.equal(err.error?.type, 'error');
    assert.equal(err.type, 'invalid_request_error');
    assert.match(err.apiMessage, /max_tokens/);
  });

  it('an empty messages array is a BadRequestError', async () => {
    const err = await rejection(() => sdk(nativeStack).messages.create({
      model: kClaude,
      max_tokens: 256,
      messages: [],
    }));
    assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.type, 'invalid_request_error');
    assert.match(err.apiMessage, /messages/);
  });

  it('a wrong API key is an AuthenticationError', async () => {
    const bad = sdk(nativeStack, { apiKey: 'wrong-key' });
    const err = await rejection(() => bad.messages.create({
      model: kClaude,
      max_tokens: 256,
      messages: [user('hi')],
    }));
    assert.ok(err instanceof AuthenticationError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 401);
    assert.equal(err.error?.type, 'error', `Anthropic error shape: ${JSON.stringify(err.error)}`);
    assert.equal(err.type, 'authentication_error');
    assert.ok(!JSON.stringify(err.error).includes('wrong-key'), 'the sent key is not echoed');
    assert.ok(!JSON.stringify(err.error).includes(nativeStack.apiKey), 'the real key is not echoed');
  });

  it('answers and errors carry a request-id header (SDK _request_id / requestID)', async () => {
    const client = sdk(nativeStack);
    const { data, request_id: requestId } = await client.messages.create({
      model: kClaude,
      max_tokens: 128,
      messages: [user('which request was this')],
    }).withResponse();
    assert.equal(data.content[0].text, 'You said: which request was this');
    assert.equal(typeof requestId, 'string', 'request-id header on an answer');
    assert.ok(requestId.length > 0);
    assert.equal(data._request_id, requestId);
    const err = await rejection(() => client.messages.create({
      model: kClaude,
      messages: [user('hi')],
    }));
    assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(typeof err.requestID, 'string', 'request-id header on an error');
    assert.ok(err.requestID.length > 0);
    assert.equal(err.requestID, err.error.request_id, 'the header matches the body request_id');
  });
});

describe('auth headers and prefixes (raw fetch)', () => {
  const body = (text) => JSON.stringify({
    model: kClaude,
    max_tokens: 128,
    messages: [user(text)],
  });
  const post = (path, headers, text) => fetch(`${nativeStack.gatewayURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: body(text),
  });

  it('the SDK authenticates with Authorization: Bearer (no x-api-key)', async () => {
    const seen = [];
    const client = sdk(nativeStack, {
      fetch: (url, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(url, init);
      },
    });
    const msg = await client.messages.create({
      model: kClaude,
      max_tokens: 128,
      messages: [user('bearer from the SDK')],
    });
    assert.equal(msg.content[0].text, 'You said: bearer from the SDK');
    assert.equal(seen.length, 1);
    assert.equal(seen[0].get('authorization'), `Bearer ${nativeStack.apiKey}`);
    assert.equal(seen[0].get('x-api-key'), null);
    assert.ok(seen[0].get('anthropic-version'), 'anthropic-version sent');
  });

  it('x-api-key authenticates like Authorization: Bearer', async () => {
    const viaKey = await post('/v1/messages', { 'x-api-key': nativeStack.apiKey }, 'key header');
    assert.equal(viaKey.status, 200);
    const msg = await viaKey.json();
    assert.equal(msg.type, 'message');
    assert.equal(msg.content[0].text, 'You said: key header');
    const viaBearer = await post('/v1/messages',
      { authorization: `Bearer ${nativeStack.apiKey}` }, 'bearer header');
    assert.equal(viaBearer.status, 200);
    assert.equal((await viaBearer.json()).content[0].text, 'You said: bearer header');
  });

  it('a wrong x-api-key or no key is a 401 in Anthropic shape', async () => {
    for (const headers of [{ 'x-api-key': 'nope' }, {}]) {
      const res = await post('/v1/messages', headers, 'denied');
      assert.equal(res.status, 401, `headers ${JSON.stringify(headers)}`);
      const err = await res.json();
      assert.equal(err.type, 'error');
      assert.equal(err.error?.type, 'authentication_error');
      assert.equal(typeof err.error.message, 'string');
    }
  });

  it('POST /anthropic/v1/messages works (x-api-key)', async () => {
    const res = await post('/anthropic/v1/messages', { 'x-api-key': nativeStack.apiKey },
      'under the prefix');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const msg = await res.json();
    assert.equal(msg.type, 'message');
    assert.equal(msg.content[0].text, 'You said: under the prefix');
  });

  it('the SDK with baseURL <gateway>/anthropic streams and lists models', async () => {
    const client = sdk(nativeStack, { baseURL: `${nativeStack.gatewayURL}/anthropic` });
    const final = await client.messages.stream({
      model: kClaude,
      max_tokens: 128,
      messages: [user('prefixed stream')],
    }).finalMessage();
    assert.equal(final.content[0].text, 'You said: prefixed stream');
    const page = await client.models.list();
    assert.ok(page.data.length > 0);
    assert.equal(page.data[0].type, 'model');
  });

  it('errors under /anthropic/v1 are Anthropic-shaped even without anthropic-version', async () => {
    const res = await fetch(`${nativeStack.gatewayURL}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': nativeStack.apiKey },
      body: JSON.stringify({ model: kClaude, messages: [user('no max_tokens')] }),
    });
    assert.equal(res.status, 400);
    const err = await res.json();
    assert.equal(err.type, 'error');
    assert.equal(err.error?.type, 'invalid_request_error');
  });
});

describe('models (Anthropic shape)', () => {
  const isRfc3339 = (s) => typeof s === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) &&
    !Number.isNaN(Date.parse(s));

  it('models.list(): type, id, display_name, created_at; has_more, first_id, last_id',
    async () => {
      const page = await sdk(nativeStack).models.list();
      assert.ok(page.data.length >= 5, `models: ${page.data.length}`);
      for (const m of page.data) {
        assert.equal(m.type, 'model', JSON.stringify(m));
        assert.equal(typeof m.id, 'string');
        assert.equal(typeof m.display_name, 'string');
        assert.ok(m.display_name.length > 0);
        assert.ok(isRfc3339(m.created_at), `created_at: ${m.created_at}`);
      }
      const ids = page.data.map((m) => m.id);
      assert.ok(ids.includes('claude-sonnet-4.5'), `ids: ${ids.join(', ')}`);
      assert.ok(ids.includes('gpt-4.1'), `ids: ${ids.join(', ')}`);
      assert.equal(page.data.find((m) => m.id === 'claude-sonnet-4.5').display_name,
        'Claude Sonnet 4.5');
      assert.equal(page.has_more, false);
      assert.equal(page.first_id, ids[0]);
      assert.equal(page.last_id, ids.at(-1));
    });

  it('models.list({limit}) pages with after_id; auto-pagination yields every model once',
    async () => {
      const client = sdk(nativeStack);
      const all = (await client.models.list()).data.map((m) => m.id);
      const first = await client.models.list({ limit: 2 });
      assert.equal(first.data.length, 2);
      assert.equal(first.has_more, true);
      assert.deepEqual(first.data.map((m) => m.id), all.slice(0, 2));
      assert.equal(first.last_id, all[1]);
      const seen = [];
      for await (const m of client.models.list({ limit: 2 })) seen.push(m.id);
      assert.deepEqual(seen, all);
    });

  it('models.retrieve(): one model, unknown id → NotFoundError', async () => {
    const client = sdk(nativeStack);
    const m = await client.models.retrieve('claude-sonnet-4.5');
    assert.equal(m.type, 'model');
    assert.equal(m.id, 'claude-sonnet-4.5');
    assert.ok(isRfc3339(m.created_at));
    const err = await rejection(() => client.models.retrieve('no-such-model'));
    assert.ok(err instanceof NotFoundError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.type, 'not_found_error');
  });

  it('models.retrieve() accepts the dated name messages.create() accepts', async () => {
    const m = await sdk(nativeStack).models.retrieve(kClaude);
    assert.equal(m.type, 'model');
    assert.equal(m.id, 'claude-sonnet-4.5');
  });

  it('GET /v1/models without anthropic-version stays OpenAI-shaped', async () => {
    const res = await fetch(`${nativeStack.baseURL}/models`, {
      headers: { authorization: `Bearer ${nativeStack.apiKey}` },
    });
    assert.equal(res.status, 200);
    const list = await res.json();
    assert.equal(list.object, 'list');
    assert.equal(list.data[0].object, 'model');
    assert.equal(list.has_more, undefined);
  });
});

// End-to-end: the official `openai` npm client (pinned in package.json) against copilot-gateway
// in front of copilot-sim, for the Responses API and embeddings. responses.create / stream with
// the ResponseStream helper, function-call round trips, reasoning with encrypted content sent
// back, previous_response_id, errors; embeddings as base64 (the SDK default) and float.
//
// Responses tests run for every route in `routes`: models Copilot serves on /responses
// (forwarded natively) and a chat-only model (translated to /chat/completions). Each checks,
// through the simulator's per-endpoint counters, that the request really went to the upstream
// endpoint of its route. One simulator + gateway pair for the whole file (see harness.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { startStack, withDiagnostics } from './harness.mjs';

let stack;
let client;

before(async () => {
  stack = await startStack();
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: stack.apiKey, maxRetries: 0 });
});

after(async () => {
  await stack?.stop();
});

const it = (name, fn, opts = {}) => test(name, opts, withDiagnostics(() => stack, fn));

const routes = [
  { name: 'gpt-5 native /responses', model: 'gpt-5', upstream: '/responses', native: true },
  {
    name: 'gpt-5.1-codex native /responses (responses-only model)',
    model: 'gpt-5.1-codex',
    upstream: '/responses',
    native: true,
  },
  {
    name: 'claude-sonnet-4.5 translated to chat',
    model: 'claude-sonnet-4.5',
    upstream: '/chat/completions',
    native: false,
    claude: true,
  },
  {
    name: 'gemini-2.5-pro translated to chat',
    model: 'gemini-2.5-pro',
    upstream: '/chat/completions',
    native: false,
  },
];

// Runs fn expecting it to throw; returns the error.
async function rejection(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected the request to fail');
}

async function upstreamCounts() {
  const res = await fetch(`${stack.simURL}/_sim/stats`);
  assert.equal(res.status, 200, 'simulator stats');
  return (await res.json()).accounts['sim-user']?.by_endpoint ?? {};
}

// Runs fn and asserts that it made exactly one upstream request, to `endpoint` (or none).
async function expectUpstream(endpoint, fn) {
  const before = await upstreamCounts();
  const result = await fn();
  const after = await upstreamCounts();
  const delta = {};
  for (const [k, v] of Object.entries(after)) {
    if (v !== (before[k] ?? 0)) delta[k] = v - (before[k] ?? 0);
  }
  assert.deepEqual(delta, endpoint ? { [endpoint]: 1 } : {},
    `upstream requests made: ${JSON.stringify(delta)}`);
  return result;
}

// The Copilot-Vision-Request header of the simulator's last API request ('true' or undefined).
async function lastVisionHeader() {
  const res = await fetch(`${stack.simURL}/_sim/stats`);
  const headers = (await res.json()).accounts['sim-user']?.last_headers ?? {};
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === 'copilot-vision-request');
  return hit ? String(hit[1]) : undefined;
}

// A 1x1 red PNG.
const kPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

function checkUsage(usage) {
  assert.ok(usage, 'usage present');
  assert.ok(Number.isInteger(usage.input_tokens) && usage.input_tokens > 0,
    `input_tokens: ${JSON.stringify(usage)}`);
  assert.ok(Number.isInteger(usage.output_tokens) && usage.output_tokens > 0,
    `output_tokens: ${JSON.stringify(usage)}`);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  assert.equal(typeof usage.input_tokens_details?.cached_tokens, 'number');
  assert.equal(typeof usage.output_tokens_details?.reasoning_tokens, 'number');
}

function checkResponseShape(resp) {
  assert.equal(resp.object, 'response');
  assert.match(resp.id, /^resp_/);
  assert.equal(resp.status, 'completed');
  assert.ok(Array.isArray(resp.output), 'output is an array');
  assert.equal(typeof resp.model, 'string');
  checkUsage(resp.usage);
}

function messageItems(resp) {
  return resp.output.filter((i) => i.type === 'message');
}

// Checks a Responses event stream: response.created first, sequence numbers 0, 1, 2...,
// response.completed last, item events inside their output_item.added / .done pair.
function checkEventSequence(events) {
  const types = events.map((e) => e.type);
  const where = `events: ${types.join(' ')}`;
  assert.equal(types[0], 'response.created', where);
  assert.equal(types.at(-1), 'response.completed', where);
  assert.equal(types.filter((t) => t === 'response.completed').length, 1, where);
  events.forEach((e, i) => {
    assert.equal(e.sequence_number, events[0].sequence_number + i,
      `sequence_number of event ${i} (${e.type}); ${where}`);
  });
  assert.equal(events[0].sequence_number, 0, 'sequence numbers start at 0');
  const open = new Set();
  let added = 0;
  for (const e of events) {
    if (e.type === 'response.output_item.added') {
      assert.equal(e.output_index, added, `items appended in order; ${where}`);
      open.add(e.output_index);
      added++;
    } else if (e.type === 'response.output_item.done') {
      assert.ok(open.delete(e.output_index), `done for an item not open; ${where}`);
    } else if ('output_index' in e) {
      assert.ok(open.has(e.output_index), `${e.type} outside its item; ${where}`);
    }
  }
  assert.equal(open.size, 0, `items left open; ${where}`);
  return added;
}

for (const route of routes) {
  describe(`responses via ${route.name}`, () => {
    it('create(): text answer, output_text, usage', async () => {
      const prompt = `Plain responses call on ${route.model}`;
      const resp = await expectUpstream(route.upstream, () => client.responses.create({
        model: route.model,
        input: prompt,
      }));
      checkResponseShape(resp);
      assert.equal(resp.output_text, `You said: ${prompt}`);
      const messages = messageItems(resp);
      assert.equal(messages.length, 1, `output: ${JSON.stringify(resp.output)}`);
      assert.equal(messages[0].role, 'assistant');
      assert.match(messages[0].id, /^msg_/);
      assert.deepEqual(messages[0].content.map((c) => c.type), ['output_text']);
      assert.equal(messages[0].content[0].text, `You said: ${prompt}`);
      assert.ok(Array.isArray(messages[0].content[0].annotations), 'annotations array');
    });

    it('create(): instructions and message-array input', async () => {
      const resp = await client.responses.create({
        model: route.model,
        instructions: 'Answer briefly. '.repeat(40),
        input: [
          { role: 'user', content: 'First question' },
          { role: 'assistant', content: 'First answer' },
          { role: 'user', content: [{ type: 'input_text', text: 'Second question' }] },
        ],
      });
      assert.equal(resp.output_text, 'You said: Second question');
      const bare = await client.responses.create({
        model: route.model,
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'Second question' }] }],
      });
      assert.ok(resp.usage.input_tokens > bare.usage.input_tokens + 100,
        `instructions and history count: ${resp.usage.input_tokens} vs ${bare.usage.input_tokens}`);
    });

    it('stream(): event sequence, text deltas and finalResponse()', async () => {
      const prompt = `Streamed responses call on ${route.model}`;
      const { events, deltas, final } = await expectUpstream(route.upstream, async () => {
        const stream = client.responses.stream({ model: route.model, input: prompt });
        const events = [];
        const deltas = [];
        stream.on('event', (e) => events.push(e));
        stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
        const final = await stream.finalResponse();
        return { events, deltas, final };
      });
      assert.equal(checkEventSequence(events), final.output.length);
      assert.equal(events[0].response.status, 'in_progress');
      assert.ok(deltas.length > 1, `text arrived in several deltas (${deltas.length})`);
      assert.equal(deltas.join(''), `You said: ${prompt}`);
      const done = events.find((e) => e.type === 'response.output_text.done');
      assert.equal(done?.text, `You said: ${prompt}`);
      checkResponseShape(final);
      assert.equal(final.output_text, `You said: ${prompt}`);
      const completed = events.at(-1).response;
      assert.equal(final.id, completed.id, 'final response is the response.completed one');
      assert.equal(final.id, events[0].response.id, 'one response id throughout');
      assert.equal(completed.status, 'completed');
      assert.deepEqual(final.usage, completed.usage);
      assert.deepEqual(completed.output.map((i) => i.id), final.output.map((i) => i.id),
        'response.completed carries the full output');
      const item = completed.output.find((i) => i.type === 'message');
      assert.equal(item?.content?.[0]?.text, `You said: ${prompt}`);
    });

    it('function tool round trip: function_call, then function_call_output', async () => {
      const prompt = 'What is the weather in Paris';
      const first = await expectUpstream(route.upstream, () => client.responses.create({
        model: route.model,
        input: prompt,
        tools: [weatherTool],
      }));
      checkResponseShape(first);
      const calls = first.output.filter((i) => i.type === 'function_call');
      assert.equal(calls.length, 1, `output: ${JSON.stringify(first.output)}`);
      const call = calls[0];
      assert.equal(call.name, 'get_weather');
      assert.ok(typeof call.call_id === 'string' && call.call_id.length > 0, 'call_id');
      assert.ok(typeof call.id === 'string' && call.id.length > 0, 'item id');
      assert.deepEqual(JSON.parse(call.arguments), { city: prompt });

      const toolResult = 'Sunny and 21 degrees';
      const second = await expectUpstream(route.upstream, () => client.responses.create({
        model: route.model,
        tools: [weatherTool],
        input: [
          { role: 'user', content: prompt },
          ...first.output,
          { type: 'function_call_output', call_id: call.call_id, output: toolResult },
        ],
      }));
      checkResponseShape(second);
      assert.equal(second.output_text, `Tool result received: ${toolResult}`);
      assert.equal(second.output.filter((i) => i.type === 'function_call').length, 0);
    });

    it('function call streamed: argument deltas assemble into the final arguments', async () => {
      const prompt = 'Weather in Lisbon via stream';
      const stream = client.responses.stream({
        model: route.model,
        input: prompt,
        tools: [weatherTool],
      });
      const events = [];
      stream.on('event', (e) => events.push(e));
      const final = await stream.finalResponse();
      checkEventSequence(events);
      const deltas = events.filter((e) => e.type === 'response.function_call_arguments.delta');
      assert.ok(deltas.length >= 2, `argument deltas: ${deltas.length}`);
      assert.deepEqual(JSON.parse(deltas.map((e) => e.delta).join('')), { city: prompt });
      const added = events.find((e) => e.type === 'response.output_item.added' &&
        e.item.type === 'function_call');
      assert.ok(added, 'function_call item added');
      assert.ok(added.item.call_id, 'call_id on the added item');
      const call = final.output.find((i) => i.type === 'function_call');
      assert.equal(call.name, 'get_weather');
      assert.equal(call.call_id, added.item.call_id);
      assert.deepEqual(JSON.parse(call.arguments), { city: prompt });
    });

    it('tool_choice "none" answers with a message', async () => {
      const prompt = 'No tools now';
      const resp = await client.responses.create({
        model: route.model,
        input: prompt,
        tools: [weatherTool],
        tool_choice: 'none',
      });
      assert.equal(resp.output_text, `You said: ${prompt}`);
      assert.equal(resp.output.filter((i) => i.type === 'function_call').length, 0);
    });

    it('reasoning with encrypted content: the reasoning item sent back unchanged works',
      async () => {
        const prompt = 'Reason about this';
        const first = await client.responses.create({
          model: route.model,
          input: prompt,
          reasoning: { effort: 'low', summary: 'auto' },
          include: ['reasoning.encrypted_content'],
          store: false,
        });
        checkResponseShape(first);
        assert.equal(first.output_text, `You said: ${prompt}`);
        const reasoning = first.output.filter((i) => i.type === 'reasoning');
        if (route.native || reasoning.length) {
          assert.equal(reasoning.length, 1, `output: ${JSON.stringify(first.output)}`);
          assert.equal(first.output[0].type, 'reasoning', 'reasoning comes first');
          assert.ok(reasoning[0].id, 'reasoning item id');
          assert.equal(typeof reasoning[0].encrypted_content, 'string');
          assert.ok(reasoning[0].encrypted_content.length > 0, 'encrypted_content present');
        }
        if (route.native) {
          assert.match(reasoning[0].id, /^rs_/);
          assert.deepEqual(reasoning[0].summary,
            [{ type: 'summary_text', text: `Thinking about: ${prompt}` }]);
        }
        const next = 'Continue the reasoning';
        const second = await client.responses.create({
          model: route.model,
          input: [{ role: 'user', content: prompt }, ...first.output,
            { role: 'user', content: next }],
          reasoning: { effort: 'low', summary: 'auto' },
          include: ['reasoning.encrypted_content'],
          store: false,
        });
        assert.equal(second.output_text, `You said: ${next}`);
      });

    if (route.native) {
      it('reasoning without include has no encrypted_content', async () => {
        const resp = await client.responses.create({
          model: route.model,
          input: 'Reason quietly',
          reasoning: { effort: 'low' },
        });
        const reasoning = resp.output.find((i) => i.type === 'reasoning');
        assert.ok(reasoning, `output: ${JSON.stringify(resp.output)}`);
        assert.ok(reasoning.encrypted_content == null, 'no encrypted_content');
        assert.deepEqual(reasoning.summary, []);
      });

      it('altered encrypted reasoning is rejected (invalid_encrypted_content)', async () => {
        const first = await client.responses.create({
          model: route.model,
          input: 'Reason, then be checked',
          reasoning: { effort: 'low' },
          include: ['reasoning.encrypted_content'],
          store: false,
        });
        const tampered = first.output.map((i) => {
          if (i.type !== 'reasoning') return i;
          const bytes = Buffer.from(i.encrypted_content, 'base64');
          bytes[bytes.length - 1] ^= 1;
          return { ...i, encrypted_content: bytes.toString('base64') };
        });
        const err = await rejection(() => client.responses.create({
          model: route.model,
          input: [{ role: 'user', content: 'Reason, then be checked' }, ...tampered,
            { role: 'user', content: 'next' }],
          reasoning: { effort: 'low' },
          include: ['reasoning.encrypted_content'],
          store: false,
        }));
        assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.code, 'invalid_encrypted_content');
      });
    }

    if (route.native) {
      it('reasoning summary streamed: summary deltas, then the reasoning item', async () => {
        const prompt = 'Reason out loud in a stream';
        const stream = client.responses.stream({
          model: route.model,
          input: prompt,
          reasoning: { effort: 'low', summary: 'auto' },
          include: ['reasoning.encrypted_content'],
        });
        const events = [];
        stream.on('event', (e) => events.push(e));
        const final = await stream.finalResponse();
        checkEventSequence(events);
        const deltas = events.filter((e) => e.type === 'response.reasoning_summary_text.delta');
        assert.ok(deltas.length >= 1, `summary deltas: ${events.map((e) => e.type).join(' ')}`);
        assert.equal(deltas.map((e) => e.delta).join(''), `Thinking about: ${prompt}`);
        assert.deepEqual(final.output.map((i) => i.type), ['reasoning', 'message']);
        assert.deepEqual(final.output[0].summary,
          [{ type: 'summary_text', text: `Thinking about: ${prompt}` }]);
        assert.ok(final.output[0].encrypted_content, 'encrypted_content in the stream too');
        assert.equal(final.output_text, `You said: ${prompt}`);
      });
    } else if (route.claude) {
      it('reasoning.effort on a Claude model turns thinking on upstream', async () => {
        const prompt = 'Reason about this through chat';
        const resp = await client.responses.create({
          model: route.model,
          input: prompt,
          reasoning: { effort: 'low', summary: 'auto' },
          include: ['reasoning.encrypted_content'],
          store: false,
        });
        const reasoning = resp.output.find((i) => i.type === 'reasoning');
        assert.ok(reasoning, `a reasoning item: ${JSON.stringify(resp.output)}`);
        assert.deepEqual(reasoning.summary,
          [{ type: 'summary_text', text: `Thinking about: ${prompt}` }]);
        assert.ok(reasoning.encrypted_content, 'encrypted_content carries the signature');
      });
    }

    it('input_image (data URL) next to input_text', async () => {
      const prompt = 'Describe the attached picture';
      const resp = await expectUpstream(route.upstream, () => client.responses.create({
        model: route.model,
        input: [{
          role: 'user',
          content: [
            { type: 'input_image', image_url: `data:image/png;base64,${kPng}`, detail: 'auto' },
            { type: 'input_text', text: prompt },
          ],
        }],
      }));
      assert.equal(resp.output_text, `You said: ${prompt}`);
      assert.equal(await lastVisionHeader(), 'true', 'the upstream call is a vision call');
      await client.responses.create({ model: route.model, input: 'no picture' });
      assert.equal(await lastVisionHeader(), undefined, 'no image, no vision call');
    });

    it('previous_response_id is a 400 previous_response_not_found', async () => {
      const err = await rejection(() => client.responses.create({
        model: route.model,
        input: 'continue',
        previous_response_id: 'resp_does_not_exist',
      }));
      assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'previous_response_not_found');
      assert.equal(err.param, 'previous_response_id');
      assert.match(err.error?.message ?? '', /resp_does_not_exist/);
    });

    it('an upstream 429 is a RateLimitError', async () => {
      const err = await rejection(() => client.responses.create({
        model: route.model,
        input: '[[sim:status=429,retry_after=1]] slow down',
      }));
      assert.ok(err instanceof RateLimitError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, 429);
      assert.equal(typeof err.error?.message, 'string', 'OpenAI error shape {error:{message}}');
      // The gateway rests the account for the retry-after: let it pass for the next tests.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    });

    it('a dropped upstream stream ends in an error event (APIError)', async () => {
      const events = [];
      const err = await rejection(async () => {
        const stream = await client.responses.create({
          model: route.model,
          input: '[[sim:drop_after=3]] this stream breaks',
          stream: true,
        });
        for await (const e of stream) events.push(e);
      });
      assert.ok(err instanceof APIError, `got ${err?.constructor?.name}: ${err}`);
      assert.equal(err.status, undefined, 'an in-stream error, not an HTTP status');
      assert.equal(typeof err.message, 'string');
      assert.ok(events.length >= 1 && events[0].type === 'response.created',
        `the stream had started: ${events.map((e) => e.type).join(' ')}`);
      assert.ok(!events.some((e) => e.type === 'response.completed'), 'not completed');
    });
  });
}

describe('responses errors', () => {
  it('an unknown model is a NotFoundError', async () => {
    const err = await expectUpstream(null, () => rejection(() => client.responses.create({
      model: 'gpt-imaginary-9',
      input: 'hi',
    })));
    assert.ok(err instanceof NotFoundError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 404);
    assert.match(err.error?.message ?? '', /gpt-imaginary-9/);
    assert.match(err.error?.message ?? '', /gpt-5/);
  });

  it('a body without input is a BadRequestError', async () => {
    const err = await rejection(() => client.responses.create({ model: 'gpt-5' }));
    assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
    assert.match(err.error?.message ?? '', /input/);
  });

  it('a wrong API key is an AuthenticationError', async () => {
    const bad = new OpenAI({ baseURL: stack.baseURL, apiKey: 'wrong-key', maxRetries: 0 });
    const err = await rejection(() => bad.responses.create({ model: 'gpt-5', input: 'hi' }));
    assert.ok(err instanceof AuthenticationError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 401);
  });
});

// Embeddings: decodes a base64 little-endian float32 vector.
function decodeBase64(b64) {
  const buf = Buffer.from(b64, 'base64');
  assert.equal(buf.length % 4, 0, 'whole float32 values');
  return Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
}

const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('embeddings', () => {
  const kEmbed = 'text-embedding-3-small';

  it('create() (base64 by default, decoded by the SDK): 2 unit vectors of 1536', async () => {
    const res = await expectUpstream('/embeddings', () => client.embeddings.create({
      model: kEmbed,
      input: ['a', 'b'],
    }));
    assert.equal(res.object, 'list');
    assert.equal(res.data.length, 2);
    res.data.forEach((d, i) => {
      assert.equal(d.object, 'embedding');
      assert.equal(d.index, i);
      assert.ok(Array.isArray(d.embedding), 'decoded into numbers');
      assert.equal(d.embedding.length, 1536);
      assert.ok(d.embedding.every(Number.isFinite), 'finite values');
      assert.ok(Math.abs(norm(d.embedding) - 1) < 1e-3, `unit norm: ${norm(d.embedding)}`);
    });
    assert.notDeepEqual(res.data[0].embedding, res.data[1].embedding, 'different inputs differ');
    assert.ok(res.usage.prompt_tokens > 0);
    assert.equal(res.usage.total_tokens, res.usage.prompt_tokens);
    assert.equal(typeof res.model, 'string');
  });

  it('encoding_format "float" gives the same numbers; same input, same vector', async () => {
    const asBase64 = await client.embeddings.create({ model: kEmbed, input: ['a', 'b'] });
    const asFloat = await client.embeddings.create({
      model: kEmbed,
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    assert.equal(asFloat.data.length, 2);
    for (let i = 0; i < 2; i++) {
      const f = asFloat.data[i].embedding;
      const b = asBase64.data[i].embedding;
      assert.equal(f.length, b.length);
      const maxDiff = Math.max(...f.map((x, j) => Math.abs(x - b[j])));
      assert.ok(maxDiff < 1e-6, `vector ${i} differs by up to ${maxDiff}`);
    }
    const again = await client.embeddings.create({ model: kEmbed, input: 'a' });
    assert.deepEqual(again.data[0].embedding, asBase64.data[0].embedding);
  });

  it('encoding_format "base64" explicitly returns strings the caller decodes', async () => {
    const res = await client.embeddings.create({
      model: kEmbed,
      input: 'a',
      encoding_format: 'base64',
    });
    assert.equal(typeof res.data[0].embedding, 'string');
    const v = decodeBase64(res.data[0].embedding);
    assert.equal(v.length, 1536);
    assert.ok(Math.abs(norm(v) - 1) < 1e-3);
  });

  it('dimensions: 256 shortens the unit vectors', async () => {
    const res = await client.embeddings.create({
      model: kEmbed,
      input: ['a', 'b'],
      dimensions: 256,
    });
    for (const d of res.data) {
      assert.equal(d.embedding.length, 256);
      assert.ok(Math.abs(norm(d.embedding) - 1) < 1e-3, `unit norm: ${norm(d.embedding)}`);
    }
  });

  it('a chat model is a BadRequestError; an unknown model a NotFoundError', async () => {
    const chat = await rejection(() => client.embeddings.create({ model: 'gpt-4.1', input: 'a' }));
    assert.ok(chat instanceof BadRequestError, `got ${chat?.constructor?.name}: ${chat}`);
    assert.equal(typeof chat.error?.message, 'string');
    const unknown = await rejection(() =>
      client.embeddings.create({ model: 'embedding-imaginary', input: 'a' }));
    assert.ok(unknown instanceof NotFoundError, `got ${unknown?.constructor?.name}: ${unknown}`);
  });

  it('an empty input is a BadRequestError', async () => {
    const err = await rejection(() => client.embeddings.create({ model: kEmbed, input: [] }));
    assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
  });
});

// End-to-end: the official `openai` npm client (pinned in package.json) against copilot-gateway
// in front of copilot-sim. Chat completions plain, streamed, via the stream() helper, tool-call
// round trips, usage in streams, the models list and the error classes the SDK maps statuses to.
// One simulator + gateway pair for the whole file (see harness.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, {
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { startStack, withDiagnostics } from './harness.mjs';

const kModel = 'gpt-4.1';

let stack;
let client;

before(async () => {
  stack = await startStack();
  client = new OpenAI({ baseURL: stack.baseURL, apiKey: stack.apiKey, maxRetries: 0 });
});

after(async () => {
  await stack?.stop();
});

const it = (name, fn) => test(name, withDiagnostics(() => stack, fn));

const userTurn = (text) => [{ role: 'user', content: text }];

// Runs fn expecting it to throw; returns the error.
async function rejection(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected the request to fail');
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'City name' } },
      required: ['city'],
    },
  },
};

describe('chat.completions', () => {
  it('create() answers with the echoed prompt and usage', async () => {
    const prompt = 'Hello from the plain e2e test';
    const completion = await client.chat.completions.create({
      model: kModel,
      messages: userTurn(prompt),
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices.length, 1);
    const choice = completion.choices[0];
    assert.equal(choice.message.role, 'assistant');
    assert.equal(choice.message.content, `You said: ${prompt}`);
    assert.equal(choice.finish_reason, 'stop');
    assert.ok(completion.usage, 'usage present');
    assert.ok(completion.usage.prompt_tokens > 0, 'prompt_tokens > 0');
    assert.ok(completion.usage.completion_tokens > 0, 'completion_tokens > 0');
    assert.equal(completion.usage.total_tokens,
      completion.usage.prompt_tokens + completion.usage.completion_tokens);
  });

  it('stream: true yields deltas that concatenate to the same answer', async () => {
    const prompt = 'Stream this answer please';
    const stream = await client.chat.completions.create({
      model: kModel,
      messages: userTurn(prompt),
      stream: true,
    });
    let text = '';
    let contentChunks = 0;
    let finish = null;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      for (const choice of chunk.choices) {
        if (choice.delta?.content) {
          text += choice.delta.content;
          contentChunks++;
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
    assert.equal(text, `You said: ${prompt}`);
    assert.ok(contentChunks > 1, `answer arrived in several deltas (got ${contentChunks})`);
    assert.equal(finish, 'stop');
  });

  it('stream() helper: finalChatCompletion() and finalMessage()', async () => {
    const prompt = 'Use the stream helper';
    const runner = client.chat.completions.stream({ model: kModel, messages: userTurn(prompt) });
    let deltas = '';
    runner.on('content', (delta) => {
      deltas += delta;
    });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0].message.content, `You said: ${prompt}`);
    assert.equal(final.choices[0].finish_reason, 'stop');
    const message = await runner.finalMessage();
    assert.equal(message.role, 'assistant');
    assert.equal(message.content, `You said: ${prompt}`);
    assert.equal(deltas, `You said: ${prompt}`);
  });

  it('stream_options.include_usage ends the stream with one usage chunk', async () => {
    const prompt = 'Count my tokens';
    const stream = await client.chat.completions.create({
      model: kModel,
      messages: userTurn(prompt),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const withUsage = chunks.filter((c) => c.usage);
    assert.equal(withUsage.length, 1, 'exactly one chunk carries usage');
    const last = chunks[chunks.length - 1];
    assert.ok(last.usage, 'the usage chunk is the last one');
    assert.deepEqual(last.choices, [], 'the usage chunk has no choices');
    assert.ok(last.usage.prompt_tokens > 0);
    assert.ok(last.usage.completion_tokens > 0);
    assert.equal(last.usage.total_tokens, last.usage.prompt_tokens + last.usage.completion_tokens);
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, `You said: ${prompt}`);
  });
});

describe('tool calls', () => {
  it('round trip: tool_call with JSON arguments, then the tool result', async () => {
    const prompt = 'What is the weather in Paris';
    const messages = userTurn(prompt);
    const first = await client.chat.completions.create({
      model: kModel,
      messages,
      tools: [weatherTool],
    });
    const choice = first.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.role, 'assistant');
    assert.ok(Array.isArray(choice.message.tool_calls) && choice.message.tool_calls.length >= 1,
      'tool_calls present');
    const call = choice.message.tool_calls[0];
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.ok(typeof call.id === 'string' && call.id.length > 0, 'tool call id');
    const args = JSON.parse(call.function.arguments);
    assert.equal(typeof args, 'object');
    assert.ok(JSON.stringify(args).includes(prompt),
      `arguments mention the prompt: ${call.function.arguments}`);

    const toolResult = 'Sunny and 21 degrees';
    const second = await client.chat.completions.create({
      model: kModel,
      messages: [
        ...messages,
        choice.message,
        { role: 'tool', tool_call_id: call.id, content: toolResult },
      ],
      tools: [weatherTool],
    });
    const answer = second.choices[0].message.content;
    assert.ok(answer.startsWith('Tool result received: '), `answer: ${answer}`);
    assert.ok(answer.includes(toolResult), `answer quotes the tool result: ${answer}`);
    assert.equal(second.choices[0].finish_reason, 'stop');
  });

  it('streamed tool call assembles into parseable arguments', async () => {
    const prompt = 'Weather in Lisbon via stream';
    const runner = client.chat.completions.stream({
      model: kModel,
      messages: userTurn(prompt),
      tools: [weatherTool],
    });
    const final = await runner.finalChatCompletion();
    const choice = final.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls?.[0];
    assert.ok(call, 'tool call present');
    assert.equal(call.function.name, 'get_weather');
    const args = JSON.parse(call.function.arguments);
    assert.ok(JSON.stringify(args).includes(prompt), `arguments: ${call.function.arguments}`);
  });
});

describe('models', () => {
  it('models.list() contains gpt-4.1 and claude-sonnet-4.5', async () => {
    const ids = [];
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model');
      ids.push(model.id);
    }
    assert.ok(ids.includes('gpt-4.1'), `ids: ${ids.join(', ')}`);
    assert.ok(ids.includes('claude-sonnet-4.5'), `ids: ${ids.join(', ')}`);
  });
});

describe('errors', () => {
  it('a wrong API key is an AuthenticationError (401)', async () => {
    const bad = new OpenAI({ baseURL: stack.baseURL, apiKey: 'wrong-key', maxRetries: 0 });
    const err = await rejection(() =>
      bad.chat.completions.create({ model: kModel, messages: userTurn('hi') }));
    assert.ok(err instanceof AuthenticationError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 401);
    assert.equal(typeof err.error?.message, 'string', 'OpenAI error shape {error:{message}}');
    assert.ok(!err.error.message.includes(stack.apiKey), 'the real key is not echoed');
    assert.ok(!JSON.stringify(err.error).includes('wrong-key'), 'the sent key is not echoed');
  });

  it('an unknown route is a NotFoundError (404)', async () => {
    const err = await rejection(() => client.get('/no-such-route'));
    assert.ok(err instanceof NotFoundError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 404);
    assert.equal(typeof err.error?.message, 'string', 'OpenAI error shape {error:{message}}');
  });

  it('a body without messages is a BadRequestError (400)', async () => {
    const err = await rejection(() => client.chat.completions.create({ model: kModel }));
    assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 400);
    assert.equal(typeof err.error?.message, 'string', 'OpenAI error shape {error:{message}}');
  });

  it('an upstream 429 is a RateLimitError (429)', async () => {
    const err = await rejection(() => client.chat.completions.create({
      model: kModel,
      messages: userTurn('[[sim:status=429,retry_after=1]] slow down'),
    }));
    assert.ok(err instanceof RateLimitError, `got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 429);
    assert.equal(typeof err.error?.message, 'string', 'OpenAI error shape {error:{message}}');
    // The gateway rests the account for the retry-after: let it pass for the next tests.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  });
});

// End-to-end: the gateway's plain HTTP surface seen with fetch (no SDK): probes, metrics, and the
// two ways a client may present its API key. One simulator + gateway pair for the file.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, withDiagnostics } from './harness.mjs';

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

const it = (name, fn) => test(name, withDiagnostics(() => stack, fn));

const chatBody = JSON.stringify({
  model: 'gpt-4.1',
  messages: [{ role: 'user', content: 'key check' }],
});

it('/healthz and /readyz answer 200', async () => {
  for (const probe of ['/healthz', '/readyz']) {
    const res = await fetch(`${stack.gatewayURL}${probe}`);
    assert.equal(res.status, 200, `${probe}: ${await res.text()}`);
  }
});

// Parses Prometheus text into {"name{labels}": value}.
function samples(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

it('/metrics is Prometheus text and counts served chat requests', async () => {
  const scrape = async () => {
    const res = await fetch(`${stack.gatewayURL}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return res.text();
  };
  const first = await scrape();
  assert.match(first, /^# (HELP|TYPE) /m, 'has HELP/TYPE lines');
  const before = samples(first);
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${stack.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.apiKey}` },
      body: chatBody,
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  const after = samples(await scrape());
  // Whatever the metric names, some *_total counter about chat must have grown by exactly 3.
  const grown = Object.keys(after).filter((k) => /_total\{.*chat/.test(k) &&
    after[k] - (before[k] ?? 0) === 3);
  assert.ok(grown.length > 0, 'a chat counter grew by 3:\n' + Object.keys(after)
    .filter((k) => k.includes('chat')).map((k) => `${k} ${before[k]} -> ${after[k]}`).join('\n'));
});

it('the API key is accepted as x-api-key as well as a Bearer token', async () => {
  for (const headers of [{ authorization: `Bearer ${stack.apiKey}` },
    { 'x-api-key': stack.apiKey }]) {
    const res = await fetch(`${stack.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: chatBody,
    });
    assert.equal(res.status, 200, `${Object.keys(headers)[0]}: ${await res.clone().text()}`);
    const json = await res.json();
    assert.equal(json.choices[0].message.content, 'You said: key check');
  }
});

it('no key at all is 401 in the OpenAI error shape', async () => {
  const res = await fetch(`${stack.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: chatBody,
  });
  assert.equal(res.status, 401);
  const json = await res.json();
  assert.equal(typeof json.error?.message, 'string');
  assert.equal(typeof json.error?.type, 'string');
});

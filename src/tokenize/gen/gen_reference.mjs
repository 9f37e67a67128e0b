// Build step of the unit_tokenize test (run by CMake, src/tokenize/tokenize.cmake): encodes the
// corpus of corpus.mjs with the reference encoder, the pinned `tiktoken` npm package (OpenAI's
// Rust tiktoken compiled to WASM), and writes the expected token ids. Single-threaded, offline.
//
//   node gen_reference.mjs <node_modules dir> <output file>
//
// Output: "CGTR", u32 entry count; per entry: u32 name length, name, u32 byte length, bytes,
// u32 o200k_base count, u32 ids..., u32 cl100k_base count, u32 ids... (all little-endian).
// Byte strings that are not UTF-8 are decoded with replacement (U+FFFD) first, as bpe.h says.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { corpus } from "./corpus.mjs";

const [modulesDir, outFile] = process.argv.slice(2);
if (!modulesDir || !outFile) {
  console.error("usage: node gen_reference.mjs <node_modules dir> <output file>");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modulesDir), "..", "resolve.js"));
const { get_encoding } = require("tiktoken");
const o200k = get_encoding("o200k_base");
const cl100k = get_encoding("cl100k_base");
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

const chunks = [];
const u32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  chunks.push(b);
};
const ids = (arr) => {
  u32(arr.length);
  chunks.push(Buffer.from(Uint32Array.from(arr).buffer));
};

const items = corpus(modulesDir);
u32(items.length);
let bytes = 0;
let tokens = 0;
const started = process.hrtime.bigint();
for (const { name, bytes: b } of items) {
  const text = decoder.decode(b);
  const a = o200k.encode_ordinary(text);
  const c = cl100k.encode_ordinary(text);
  u32(Buffer.byteLength(name));
  chunks.push(Buffer.from(name));
  u32(b.length);
  chunks.push(Buffer.from(b));
  ids(a);
  ids(c);
  bytes += b.length;
  tokens += a.length + c.length;
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
o200k.free();
cl100k.free();
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error("big-endian host");
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, Buffer.concat(chunks));
console.log(
  `gen_reference: ${items.length} strings, ${bytes} bytes, ${tokens} reference tokens ` +
    `(tiktoken WASM: ${ms.toFixed(0)} ms for both encodings)`,
);

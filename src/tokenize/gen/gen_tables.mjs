// Build step of cg_tokenize (run by CMake, src/tokenize/tokenize.cmake): converts the BPE ranks of
// the pinned `tiktoken` npm package and the pre-tokenizer's character classes (unicode_classes.mjs)
// into binary files, plus a C++ source that links them into the library with .incbin.
// Single-threaded; run once per change of its inputs.
//
//   node gen_tables.mjs <node_modules dir> <output dir>
//
// Outputs (all in <output dir>):
//   o200k_base.bin, cl100k_base.bin   "CGBP" u32 magic, u32 token count N, u32 byte total,
//                                      u32 longest token; u32 offsets[N + 1]; token bytes.
//                                      Token of rank r = bytes[offsets[r], offsets[r + 1]).
//   unicode.bin                        "CGUC" u32 magic, u32 block count B, u32 0, u32 0;
//                                      u16 stage1[0x1100] (block of each 256 code points);
//                                      u8 stage2[B * 256] (class of each code point,
//                                      see unicode_classes.mjs).
//   tables_blob.cpp                    the .incbin glue (symbols declared in tables.h).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { differences, nodeClasses, pinnedClasses } from "./unicode_classes.mjs";

const [modulesDir, outDir] = process.argv.slice(2);
if (!modulesDir || !outDir) {
  console.error("usage: node gen_tables.mjs <node_modules dir> <output dir>");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

// The pre-tokenizer in pretokenize.cpp implements exactly these patterns by hand; a package whose
// patterns differ must fail the build rather than produce quietly different counts.
const PATTERNS = {
  o200k_base:
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+" +
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+" +
    "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}|" +
    " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  cl100k_base:
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|" +
    " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
};

function u32(v) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

const digest = crypto.createHash("sha256");
function writeOutput(file, data) {
  digest.update(data);
  fs.writeFileSync(file, data);
}

// ---- BPE ranks: "<name> <first rank> <base64 token> <base64 token> ..." lines, consecutive ranks.
function convertRanks(name) {
  const file = path.join(modulesDir, "tiktoken", "encoders", `${name}.json`);
  const enc = JSON.parse(fs.readFileSync(file, "utf8"));
  if (enc.pat_str !== PATTERNS[name]) {
    throw new Error(`${name}: pre-tokenization pattern changed:\n${enc.pat_str}`);
  }
  const tokens = [];
  for (const line of enc.bpe_ranks.split("\n")) {
    if (!line) continue;
    const [, first, ...b64] = line.split(" ");
    let rank = Number.parseInt(first, 10);
    for (const t of b64) tokens[rank++] = Buffer.from(t, "base64");
  }
  const seen = new Set();
  for (let r = 0; r < tokens.length; r++) {
    if (!tokens[r] || tokens[r].length === 0) throw new Error(`${name}: no token of rank ${r}`);
    const key = tokens[r].toString("latin1");
    if (seen.has(key)) throw new Error(`${name}: duplicate token at rank ${r}`);
    seen.add(key);
  }
  for (let b = 0; b < 256; b++) {
    if (!seen.has(String.fromCharCode(b))) throw new Error(`${name}: byte ${b} is not a token`);
  }
  const offsets = Buffer.alloc(4 * (tokens.length + 1));
  let total = 0;
  let longest = 0;
  tokens.forEach((t, r) => {
    offsets.writeUInt32LE(total, 4 * r);
    total += t.length;
    longest = Math.max(longest, t.length);
  });
  offsets.writeUInt32LE(total, 4 * tokens.length);
  const header = Buffer.concat([Buffer.from("CGBP"), u32(tokens.length), u32(total), u32(longest)]);
  writeOutput(path.join(outDir, `${name}.bin`), Buffer.concat([header, offsets, ...tokens]));
  return { tokens: tokens.length, longest };
}

function convertUnicode() {
  const blocks = new Map();  // block contents (latin1 key) -> block index
  const stage1 = Buffer.alloc(2 * 0x1100);
  const stage2 = [];
  const counts = new Array(8).fill(0);
  const pinned = pinnedClasses(modulesDir);
  for (let hi = 0; hi < 0x1100; hi++) {
    const block = Buffer.from(pinned.classes.subarray(hi << 8, (hi + 1) << 8));
    for (const c of block) counts[c]++;
    const key = block.toString("latin1");
    if (!blocks.has(key)) {
      blocks.set(key, stage2.length);
      stage2.push(block);
    }
    stage1.writeUInt16LE(blocks.get(key), 2 * hi);
  }
  const header = Buffer.concat([Buffer.from("CGUC"), u32(stage2.length), u32(0), u32(0)]);
  writeOutput(path.join(outDir, "unicode.bin"), Buffer.concat([header, stage1, ...stage2]));
  const node = nodeClasses();
  const differ = differences(pinned.classes, node.classes).length;
  return { version: pinned.version, blocks: stage2.length, counts, node: node.version, differ };
}

// ---- The glue: each file becomes a symbol pair [name, name_end) in read-only data.
function glue(names) {
  const lines = [
    "// Generated by src/tokenize/gen/gen_tables.mjs: links the token tables into cg_tokenize.",
    "// Do not edit.",
    // The digest makes the source change with the tables (compiler caches do not read .incbin).
    `// Tables sha256 ${digest.digest("hex")}`,
    '#include "tokenize/tables.h"',
    "",
    'asm(".section .rodata.cg_tokenize,\\"a\\",@progbits\\n"',
  ];
  for (const name of names) {
    // Escaped once for the assembler's string, once more for the C++ string literal.
    const file = path.resolve(outDir, `${name}.bin`).replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const sym = `cg_tokenize_${name}`;
    lines.push(
      `    ".balign 64\\n.globl ${sym}\\n.hidden ${sym}\\n${sym}:\\n"`,
      `    ".incbin \\"${file.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}\\"\\n"`,
      `    ".globl ${sym}_end\\n.hidden ${sym}_end\\n${sym}_end:\\n"`,
    );
  }
  lines.push('    ".previous\\n");', "");
  fs.writeFileSync(path.join(outDir, "tables_blob.cpp"), Buffer.from(lines.join("\n")));
}

const o200k = convertRanks("o200k_base");
const cl100k = convertRanks("cl100k_base");
const uni = convertUnicode();
glue(["o200k_base", "cl100k_base", "unicode"]);
console.log(
  `gen_tables: o200k_base ${o200k.tokens} tokens (longest ${o200k.longest} B), ` +
    `cl100k_base ${cl100k.tokens} tokens (longest ${cl100k.longest} B), ` +
    `Unicode ${uni.version}: ${uni.blocks} distinct blocks, class sizes ${uni.counts} ` +
    `(node's Unicode ${uni.node} classifies ${uni.differ} code points differently)`,
);

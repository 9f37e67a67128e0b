// The character classes of the pre-tokenizer for every code point, shared by gen_tables.mjs and
// corpus.mjs. The tables come from the pinned regenerate-unicode-properties package (Unicode
// 16.0, the version of the Rust regex engine inside the reference tiktoken 1.0.22), so every build
// gets the same tables whatever node it runs; node's own \p{...} tables (whose Unicode version
// follows the node release) serve as a cross-check and to find the code points that differ.
import { createRequire } from "node:module";
import path from "node:path";

// Keep in sync with enum class CharClass in unicode_class.h.
export const CLASS = { other: 0, upper: 1, lower: 2, letter: 3, mark: 4, number: 5, space: 6,
  newline: 7 };

const PROPERTIES = [
  [CLASS.upper, ["General_Category/Uppercase_Letter", "General_Category/Titlecase_Letter"],
    /^[\p{Lu}\p{Lt}]$/u],
  [CLASS.lower, ["General_Category/Lowercase_Letter"], /^\p{Ll}$/u],
  [CLASS.letter, ["General_Category/Modifier_Letter", "General_Category/Other_Letter"],
    /^[\p{Lm}\p{Lo}]$/u],
  [CLASS.mark, ["General_Category/Mark"], /^\p{M}$/u],
  [CLASS.number, ["General_Category/Number"], /^\p{N}$/u],
  // The reference (Rust regex) reads \s as Unicode White_Space, which is not JavaScript's \s.
  [CLASS.space, ["Binary_Property/White_Space"], /^\p{White_Space}$/u],
];

function finish(classes) {
  classes[0x0a] = CLASS.newline;
  classes[0x0d] = CLASS.newline;
  return classes;
}

// Uint8Array(0x110000) of classes from the pinned package; also its Unicode version.
export function pinnedClasses(modulesDir) {
  const require = createRequire(path.join(path.resolve(modulesDir), "..", "resolve.js"));
  const version = require("regenerate-unicode-properties/unicode-version.js");
  const classes = new Uint8Array(0x110000);
  for (const [cls, sets] of PROPERTIES) {
    for (const name of sets) {
      for (const cp of require(`regenerate-unicode-properties/${name}.js`).characters.toArray()) {
        if (classes[cp] !== CLASS.other) throw new Error(`U+${cp.toString(16)} in two classes`);
        classes[cp] = cls;
      }
    }
  }
  return { version, classes: finish(classes) };
}

// The same from node's regular expressions (Unicode process.versions.unicode).
export function nodeClasses() {
  const classes = new Uint8Array(0x110000);
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    for (const [cls, , re] of PROPERTIES) {
      if (re.test(s)) {
        classes[cp] = cls;
        break;
      }
    }
  }
  return { version: process.versions.unicode, classes: finish(classes) };
}

// Code points whose class differs between two tables.
export function differences(a, b) {
  const out = [];
  for (let cp = 0; cp < 0x110000; cp++) if (a[cp] !== b[cp]) out.push(cp);
  return out;
}

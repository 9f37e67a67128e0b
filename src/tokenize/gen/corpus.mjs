// The equivalence-test corpus of cg_tokenize: hand-written samples of every kind of text a request
// body carries plus seeded random strings, as byte strings (some are not valid UTF-8). Used by
// gen_reference.mjs at build time; deterministic (fixed seeds, no clock, no network).
import fs from "node:fs";
import path from "node:path";

import { differences, nodeClasses, pinnedClasses } from "./unicode_classes.mjs";

// mulberry32: a small seeded PRNG, so the corpus is the same on every machine and every run.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));  // inclusive
  next.pick = (arr) => arr[Math.floor(next() * arr.length)];
  return next;
}

const utf8 = (s) => new Uint8Array(Buffer.from(s, "utf8"));

const PROSE = [
  "The gateway sits between the coding agent and the upstream service. It accepts requests in " +
    "either dialect, rewrites them, and streams the answer back as it arrives. Nothing is " +
    "buffered longer than it has to be; a slow client never holds up a fast one.",
  "When the count is wrong by a few percent, the agent compacts its context too early (or too " +
    "late), and the user sees a summary where they expected the full history. That's why we " +
    "count with the real vocabulary instead of guessing from the number of characters.",
  "She said, \"I'll be there at 10:30, but don't wait for me if the train's late.\" He didn't " +
    "reply. They'd already decided; we're leaving without them, aren't we? I'm not sure you've " +
    "understood: it's the 3rd time this week (and the 14th this year).",
  "Q: What's the difference between 1,000,000 and 1.000.000?\nA: The first is how most English " +
    "texts write a million; the second is how many European texts do. Both are 7 digits.\n",
  "  Indented line with trailing spaces   \n\tTabbed line\t\t\n\n\n   \n  Final line without " +
    "newline",
  "# Heading\n\n- item one\n- item two\n  - nested item (with `code`)\n\n> quoted text, " +
    "*emphasis* and **strong** emphasis, a [link](https://example.com/path?q=1&r=2#frag).\n",
];

const CODE = [
  `#include <vector>
#include <string_view>

// Returns the number of words in text.
size_t count_words(std::string_view text) {
  size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\\t' || c == '\\n';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

template <typename T>
class RingBuffer {
 public:
  explicit RingBuffer(size_t capacity) : data_(capacity) {}
  bool push(T value) {
    if (size_ == data_.size()) return false;
    data_[(head_ + size_++) % data_.size()] = std::move(value);
    return true;
  }
 private:
  std::vector<T> data_;
  size_t head_ = 0, size_ = 0;
};
`,
  `import json
import sys
from dataclasses import dataclass, field


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    details: dict = field(default_factory=dict)

    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as f:
        body = json.load(f)
    usage = Usage(**body.get("usage", {}))
    print(f"{usage.total():>10,d} tokens ({usage.prompt_tokens / max(usage.total(), 1):.1%} prompt)")
    return 0 if usage.total() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`,
  `export async function* readEvents(response) {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf("\\n\\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split("\\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
      if (data.length) yield data.join("\\n") === "[DONE]" ? null : JSON.parse(data.join("\\n"));
    }
  }
}
const sum = [1, 2, 3].reduce((a, b) => a + b, 0); // => 6
`,
  `fn parse_header(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    Some((name.trim(), value.trim()))
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest?;
        match memchr::memchr(b'\\n', rest) {
            Some(i) => { self.rest = Some(&rest[i + 1..]); Some(&rest[..i]) }
            None => { self.rest = None; Some(rest) }
        }
    }
}
`,
  `package main

import (
	"fmt"
	"net/http"
)

func handler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	fmt.Fprintf(w, "{\\"ok\\":true,\\"path\\":%q}\\n", r.URL.Path)
}
`,
  `#!/usr/bin/env bash
set -euo pipefail
for f in "$@"; do
  if [[ -f "$f" ]]; then
    wc -l "$f" | awk '{printf "%8d %s\\n", $1, $2}'
  fi
done 2>/dev/null | sort -rn | head -n 20
SELECT u.id, COUNT(*) AS n FROM users u JOIN orders o ON o.user_id = u.id
WHERE o.created_at >= NOW() - INTERVAL '30 days' GROUP BY u.id HAVING COUNT(*) > 3;
`,
  `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Status</title>
<style>body{font:14px/1.4 system-ui;margin:0 auto;max-width:60em}</style></head>
<body><p class="ok">All systems&nbsp;operational &mdash; 99.98% uptime</p>
<script>document.querySelectorAll("p").forEach(p => p.hidden = false);</script></body></html>
`,
];

const SCRIPTS = [
  "中文分词是自然语言处理的基础任务之一。今天天气很好，我们去公园散步吧！",
  "日本語のテキストには、ひらがな・カタカナ・漢字が混在します。東京は晴れ、気温２５度。",
  "한국어 문장은 띄어쓰기를 사용합니다. 안녕하세요, 만나서 반갑습니다!",
  "العربية لغة جميلة. اَلسَّلَامُ عَلَيْكُمْ وَرَحْمَةُ اللهِ. الرقم ١٢٣٤٥٦٧٨٩٠ مكتوب بالأرقام الهندية.",
  "עברית נכתבת מימין לשמאל. שָׁלוֹם עֲלֵיכֶם!",
  "हिन्दी भाषा देवनागरी लिपि में लिखी जाती है। क्षत्रिय, श्रीमान्, ज़िंदगी, अंग्रेज़ी। संख्या १२३",
  "தமிழ் மொழி மிகவும் பழமையானது. ஸ்ரீ, க்ஷ, ஜ்ஞ",
  "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ สวัสดีครับ",
  "Русский текст с буквой Ё и ё. Съешь же ещё этих мягких французских булок, да выпей чаю.",
  "Ελληνικά: Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. ΤΕΛΟΣ ΚΕΦΑΛΑΙΟΥ.",
  "Français : « Où est la bibliothèque ? » — Ça coûte 12,50 €. L'été, c'est déjà là. Œuvre, cœur.",
  "Deutsch: Größenverhältnisse, Straße, ÄÖÜ äöü ß ẞ. Tiếng Việt: Người Việt Nam yêu hòa bình.",
  "Polski: Zażółć gęślą jaźń. Čeština: Příliš žluťoučký kůň úpěl ďábelské ódy. Türkçe: İıĞğŞş.",
  "Decomposed: e\u0301 a\u0300 o\u0302 n\u0303 u\u0308 A\u030a; precomposed: é à ô ñ ü Å; " +
    "stacked: Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324",
  "Emoji: 👋🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷🇯🇵 1️⃣ #️⃣ ❤️‍🔥 🧑🏿‍💻 😀😃😄 ✨🚀🔥 ©️®️™️",
  "Mixed: hello世界مرحبا мир🌍 नमस्ते123abcDEF ΑΒΓabc IPv6 ::1 x²+y³=z⁴ ½ ¾ Ⅻ ⅻ ① ⓐ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "Letters of every class: ǅungla ǈ ǋ (Lt), ʰʲʷ ˈstress ー々〻 (Lm), ªº ƻ ǀ (Lo), Ａｂｃ (fullwidth)",
  "Spaces: a\u00a0b\u2003c\u3000d\u2009e\u202ff\u205fg\u1680h\u0085i\ufeffj\u200bk\u2028l\u2029m " +
    "\u00a0\u00a0x \u3000\u3000\ny\u0085\u0085\u0085z",
];

const CONTRACTIONS = [
  "I'm you're he's she'd we'll they've it's don't can't won't shouldn't y'all",
  "I'M YOU'RE HE'S SHE'D WE'LL THEY'VE IT'S DON'T CAN'T",
  "i'M yoU'rE hE'S shE'd wE'lL thEY'Ve iT's DoN'T",
  "'s 't 're 've 'm 'll 'd 'S 'T 'RE 'VE 'M 'LL 'D 'x 'r 'l 'v 'rex 'lLama 'vE",
  "O'Neil rock'n'roll '90s l'homme dell'arte 'quoted' \"double\" ’curly’ it’s",
  "he'ſ HE'ſ x'ſy ſ'ſ 'ſ ſs'S 'K 'k",
  "ÉCOLE'S ÀB'LL Ünïcödé'd ΑΒΓ'S مرحبا's 日本's ﬁ'll",
];

function numbers(r) {
  const out = [];
  for (let len = 1; len <= 40; len++) {
    let s = "";
    for (let i = 0; i < len; i++) s += String(r.int(0, 9));
    out.push(s, `x${s}y`, ` ${s} `, `-${s}.${s}e+${len}`);
  }
  out.push("1,234,567.89 0x1F 0b1010 1e-9 3.14159 2024-06-01T12:34:56Z 192.168.0.1 +33 6 12");
  out.push("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ०१२३४५६७८९ ０１２３４５６７８９ ¹²³ ½⅓¼ ⅠⅡⅢⅣ 〇〡〢");
  return out.join("\n");
}

function whitespace(r) {
  const atoms = [" ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u3000", "\u0085", "\u2028"];
  const tails = ["", "x", "X", "!", "1", "\n", " ", "é", "'s", "日"];
  const out = [];
  for (let i = 0; i < 300; i++) {
    let s = r.pick(tails);
    const n = r.int(1, 8);
    for (let k = 0; k < n; k++) s += r.pick(atoms);
    out.push(s + r.pick(tails));
  }
  return out;
}

function repeats() {
  const rep = (s, n) => s.repeat(n);
  return [
    rep("a", 5000),
    rep("A", 3000),
    rep(" ", 3000),
    rep(" ", 200) + "x",
    rep("=", 2000),
    rep("-", 300) + "\n" + rep("#", 300),
    rep("\n", 1000),
    rep("\r\n", 500),
    rep("\t", 257) + "a",
    rep("ab", 2000),
    rep("0", 1000),
    rep("é", 1000),
    rep("日本", 800),
    rep("😀", 500),
    rep("Ab", 1500),
    rep("aB", 1500),
    rep("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 60),
    rep("abcdefghijklmnopqrstuvwxyz", 60),
    rep("z", 129),
    rep("z", 128),
    rep("z", 127),
    rep("xy", 65),
    rep("\u0301", 300),
    rep("!?", 700),
    rep(".", 4096),
  ];
}

// Concatenations of fragments from every character class the patterns tell apart: they hit the
// boundaries between alternatives far more often than natural text does.
function fragmentSalad(r, count) {
  const frags = [
    "a", "Z", "hello", "World", "HTTP", "iPhone", "ǅ", "ʰ", "あ", "中", "\u0301", "\u0308",
    "é", "É", "ß", "ﬁ", "ſ", "Ω", "ω", "1", "42", "12345", "٣", "½", "Ⅻ", " ", "  ", "\t", "\n",
    "\r\n", "\r", "\u00a0", "\u3000", "\u0085", "\ufeff", "'", "'s", "'S", "'ll", "'Re", "'ve",
    "'d", "'m", "'t", "'ſ", "!", "?", ".", ",", "/", "//", "\\", "{", "}", "(", ")", "[", "]",
    "\"", "#", "$", "%", "&", "*", "+", "-", "=", "<", ">", "@", "^", "_", "`", "|", "~", ":",
    ";", "😀", "👨‍👩‍👧", "🇫🇷", "\u200d", "\ufe0f", "<|endoftext|>", "<|fim_prefix|>", "\u0000",
    "\u007f", "\u00ad", "\u2028", "\ud7ff", "\ue000", "\uffff", "\u{10ffff}", "\u{1f3fb}",
  ];
  const out = [];
  for (let i = 0; i < count; i++) {
    let s = "";
    const n = r.int(1, 30);
    for (let k = 0; k < n; k++) s += r.pick(frags);
    out.push(s);
  }
  return out;
}

function randomAscii(r, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    let s = "";
    const n = r.int(1, 200);
    for (let k = 0; k < n; k++) {
      s += String.fromCharCode(r() < 0.1 ? r.pick([9, 10, 13]) : r.int(32, 126));
    }
    out.push(s);
  }
  return out;
}

// Random code points from the whole range (surrogates skipped), biased towards the BMP.
function randomCodePoints(r, count, allowed) {
  const out = [];
  for (let i = 0; i < count; i++) {
    let s = "";
    const n = r.int(1, 60);
    while ([...s].length < n) {
      const cp = r() < 0.7 ? r.int(0, 0xffff) : r.int(0x10000, 0x10ffff);
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (!allowed(cp)) continue;
      s += String.fromCodePoint(cp);
      if (r() < 0.2) s += r.pick([" ", "a", "A", "1", "'", "\n", "."]);
    }
    out.push(s);
  }
  return out;
}

// Probes whose token ids depend on the class of code point c: c + "'s" keeps the contraction whole
// after a letter (and, for o200k_base, a mark) but splits it after anything else; "1" + c + "234"
// groups the digits differently when c is a number. One string per 40 code points.
function classProbes(codePoints) {
  const out = [];
  for (let i = 0; i < codePoints.length; i += 40) {
    out.push(codePoints.slice(i, i + 40).map((cp) => {
      const c = String.fromCodePoint(cp);
      return `${c}'s 1${c}234`;
    }).join("\n"));
  }
  return out;
}

// Code points for the probes: all those whose class in node's own Unicode version differs from
// the pinned Unicode 16.0 tables (the build uses the latter), and a random sample of the rest.
function probeCodePoints(r, modulesDir) {
  const pinned = pinnedClasses(modulesDir).classes;
  const list = differences(pinned, nodeClasses().classes);
  for (let i = 0; i < 4000; i++) {
    const cp = r.int(0, 0x10ffff);
    if (cp < 0xd800 || cp > 0xdfff) list.push(cp);
  }
  return list.filter((cp) => cp !== 0x0a && cp !== 0x0d);
}

// Byte strings: random bytes (mostly not UTF-8), and valid text with a few bytes broken.
function randomBytes(r, count, texts) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const n = r.int(1, 120);
    const b = new Uint8Array(n);
    for (let k = 0; k < n; k++) b[k] = r() < 0.3 ? r.int(0x20, 0x7e) : r.int(0, 255);
    out.push(b);
  }
  for (let i = 0; i < count; i++) {
    const b = utf8(r.pick(texts));
    const flips = r.int(1, 4);
    for (let k = 0; k < flips && b.length; k++) b[r.int(0, b.length - 1)] = r.int(0x80, 0xff);
    out.push(b.slice(0, r.int(1, b.length)));  // also cut mid-sequence
  }
  // Every classic ill-formed case once.
  const hex = (s) => new Uint8Array(s.split(" ").map((x) => parseInt(x, 16)));
  for (const s of [
    "80", "bf", "c0 80", "c1 bf", "c2", "e0 80 80", "e0 a0", "ed a0 80", "ed 9f bf", "f0 80 80 80",
    "f4 90 80 80", "f5 80 80 80", "ff", "fe", "e2 82 61", "f0 9f 98", "f0 9f 98 61 62",
    "61 e2 82 ac 62 e2 82", "20 80 20", "27 80 73",
  ]) {
    out.push(hex(s));
  }
  return out;
}

// A request body shaped like a coding agent's (system prompt, tool schemas, code, tool output),
// about `size` bytes of JSON, from the samples above, seeded random words and `extra` texts.
export function agentBody(r, size, extra) {
  const words = (
    "the a to of and in for with file files code test tests build run command user project " +
    "directory branch commit review diff function class module import value error result path " +
    "read write edit search find list check verify prefer avoid always never only should must " +
    "tool output input line text string number object array field option default request " +
    "response stream token context task plan step note important"
  ).split(" ");
  const sentence = () => {
    const n = r.int(6, 18);
    const w = [];
    for (let i = 0; i < n; i++) w.push(r.pick(words));
    const s = w.join(" ");
    return s[0].toUpperCase() + s.slice(1) + r.pick([".", ".", "!", ":", "?"]);
  };
  const system = [];
  while (system.join("\n\n").length < size * 0.3) {
    system.push(r() < 0.3 ? "- " + sentence() + "\n- " + sentence() : sentence() + " " + sentence());
  }
  const tools = [];
  for (const name of ["Bash", "Read", "Edit", "Write", "Grep", "Glob", "WebFetch", "TodoWrite"]) {
    const properties = {};
    for (let i = 0; i < r.int(2, 6); i++) {
      properties[r.pick(words) + "_" + r.pick(words)] = {
        type: r.pick(["string", "number", "boolean", "array"]),
        description: sentence() + " " + sentence(),
      };
    }
    tools.push({ name, description: sentence() + "\n\n" + sentence(), input_schema: {
      type: "object", properties, required: Object.keys(properties).slice(0, 1),
      additionalProperties: false } });
  }
  const messages = [{ role: "user", content: PROSE[1] + "\n\n" + sentence() }];
  let i = 0;
  while (JSON.stringify({ system, tools, messages }).length < size) {
    const id = `toolu_${(i++).toString(36).padStart(8, "0")}`;
    messages.push({ role: "assistant", content: [{ type: "text", text: sentence() },
      { type: "tool_use", id, name: "Read", input: { file_path: `/work/src/file_${i}.cpp` } }] });
    const content = i % 4 === 3 && extra.length ? r.pick(extra).slice(0, 6000) : r.pick(CODE);
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: id, content }] });
  }
  return JSON.stringify({ model: "claude-sonnet-4", max_tokens: 32000, stream: true,
    system: system.map((text) => ({ type: "text", text })), tools, messages }, null, 1);
}

// Documentation and code shipped in the pinned npm package: real prose and JavaScript.
function packageTexts(modulesDir) {
  const dir = path.join(modulesDir, "tiktoken");
  return ["README.md", "tiktoken_bg.cjs", "load.cjs", "package.json", "tiktoken.d.ts"]
    .filter((f) => fs.existsSync(path.join(dir, f)))
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
}

// [{name, bytes}]: the whole corpus. `allowedCodePoint(cp)` filters the random code points.
export function corpus(modulesDir, allowedCodePoint = () => true) {
  const r = rng(20240601);
  const items = [];
  const add = (name, list) => list.forEach((s, i) =>
    items.push({ name: `${name}#${i}`, bytes: typeof s === "string" ? utf8(s) : s }));
  const extra = packageTexts(modulesDir);
  add("fixed", ["", "hello world", "Hello, World!", "<|endoftext|>", "<|endofprompt|> <|fim_prefix|>",
    " ", "\n", "a", "ab", "'", "'s"]);
  add("prose", PROSE);
  add("code", CODE);
  add("script", SCRIPTS);
  add("contraction", CONTRACTIONS);
  add("number", [numbers(r)]);
  add("whitespace", whitespace(r));
  add("repeat", repeats());
  add("package", extra);
  add("salad", fragmentSalad(r, 3000));
  add("ascii", randomAscii(r, 500));
  add("codepoint", randomCodePoints(r, 1500, allowedCodePoint));
  add("probe", classProbes(probeCodePoints(r, modulesDir)));
  add("bytes", randomBytes(r, 400, [...PROSE, ...SCRIPTS, ...CONTRACTIONS]));
  add("agent", [agentBody(rng(7), 100 * 1024, extra)]);
  return items;
}

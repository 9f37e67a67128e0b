#!/usr/bin/env python3
# Benchmark body generator: writes an OpenAI chat-completions request shaped like a coding agent's
# first request (Claude Code style): a ~29 KB system prompt in three text blocks (two carrying a
# cache breakpoint), a dozen tools with ~48 KB of JSON Schema, then a few messages, ~88 KB in all.
# All text is synthetic (seeded PRNG over a small vocabulary); no third-party prompt is reproduced.
# Used by bench/run.sh; deterministic for a given seed so runs are comparable.
import argparse
import json
import random
import sys

WORDS = (
    "the a an to of and or in on for with when before after file files code change changes test "
    "tests build run command commands user project directory repository branch commit review diff "
    "function class module package import export value values error errors result results path "
    "paths read write edit search find list show check verify prefer avoid always never only "
    "should must may can use uses using tool tools call calls output input line lines text "
    "string number object array field fields option options default explicit concise clear "
    "short exact existing new current relative absolute working shell process server client "
    "request response stream token context task tasks plan step steps note notes important"
).split()

CODE_SNIPPETS = [
    'grep -rn "TODO" src/ | head -20',
    "git diff --stat HEAD~1",
    'python3 -c "import json,sys; print(json.load(sys.stdin)[\\"name\\"])"',
    "cmake --build build --target all -j2",
    'find . -name "*.cpp" -newer CMakeLists.txt',
    "npm test -- --watch=false",
]

TOOL_NAMES = [
    "Agent", "Bash", "Glob", "Grep", "Read", "Edit", "MultiEdit", "Write",
    "NotebookEdit", "WebFetch", "TodoWrite", "ToolSearch",
]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def sentence(self, lo=6, hi=18):
        n = self.rng.randint(lo, hi)
        words = [self.rng.choice(WORDS) for _ in range(n)]
        if self.rng.random() < 0.25:
            words.insert(self.rng.randrange(len(words)), '"' + self.rng.choice(WORDS) + '"')
        if self.rng.random() < 0.15:
            words.insert(self.rng.randrange(len(words)), "`" + self.rng.choice(WORDS) + "()`")
        s = " ".join(words)
        return s[0].upper() + s[1:] + self.rng.choice([".", ".", ".", "!", ":", "?"])

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def prose(self, size):
        """Markdown-ish text of about `size` bytes: headings, bullets, quotes, code blocks."""
        out = []
        total = 0
        while total < size:
            r = self.rng.random()
            if r < 0.1:
                part = "# " + self.sentence(2, 5).rstrip(".!:?")
            elif r < 0.45:
                part = "\n".join("- " + self.sentence() for _ in range(self.rng.randint(2, 6)))
            elif r < 0.55:
                part = "```bash\n" + self.rng.choice(CODE_SNIPPETS) + "\n```"
            elif r < 0.6:
                part = "<example>\nuser: " + self.sentence() + "\nassistant: " + \
                    self.sentence() + "\n</example>"
            else:
                part = self.paragraph()
            out.append(part)
            total += len(part) + 2
        return "\n\n".join(out)[:size]

    def prop_schema(self, depth):
        r = self.rng.random()
        desc = self.sentence(8, 30)
        if depth > 0 and r < 0.15:
            return {
                "type": "array",
                "description": desc,
                "items": self.object_schema(depth - 1, self.rng.randint(2, 4)),
            }
        if depth > 0 and r < 0.25:
            return self.object_schema(depth - 1, self.rng.randint(2, 5), desc)
        if r < 0.4:
            return {"type": "string", "enum": self.rng.sample(WORDS, self.rng.randint(2, 5)),
                    "description": desc}
        if r < 0.55:
            return {"type": "number", "description": desc}
        if r < 0.65:
            return {"type": "boolean", "description": desc}
        return {"type": "string", "description": desc}

    def object_schema(self, depth, nprops, desc=None):
        props = {}
        for i in range(nprops):
            name = "_".join(self.rng.sample(WORDS, 2)) + str(i)
            props[name] = self.prop_schema(depth)
        schema = {"type": "object", "properties": props,
                  "required": sorted(self.rng.sample(list(props), max(1, nprops // 3))),
                  "additionalProperties": False}
        if desc:
            schema["description"] = desc
        return schema

    def tool(self, name, schema_bytes):
        desc = self.prose(self.rng.randint(200, 500))
        params = self.object_schema(2, 3)
        params["$schema"] = "http://json-schema.org/draft-07/schema#"
        while len(json.dumps(params)) < schema_bytes:
            pname = "_".join(self.rng.sample(WORDS, 2)) + str(len(params["properties"]))
            params["properties"][pname] = self.prop_schema(2)
        return {"type": "function",
                "function": {"name": name, "description": desc, "parameters": params}}


def build(seed, stream, model, total, chunks):
    g = Gen(seed)
    cache = {"type": "ephemeral"}
    system = [
        {"type": "text", "text": "You are an interactive command-line assistant for software "
         "engineering tasks. " + g.sentence(), "copilot_cache_control": cache},
        {"type": "text", "text": g.prose(27_500), "copilot_cache_control": cache},
        {"type": "text", "text": "<env>\nWorking directory: /home/dev/project\nIs directory a git "
         "repo: Yes\nPlatform: linux\nToday's date: 2026-11-22\n</env>\n" + g.prose(1_200)},
    ]
    tools = [g.tool(n, 3_700) for n in TOOL_NAMES]
    prompt = "Refactor the request parser so the tests pass [[sim:chunks=%d]]" % chunks
    body = {
        "model": model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": [
                {"type": "text", "text": "<system-reminder>\n" + g.prose(2_000) +
                 "\n</system-reminder>"},
                {"type": "text", "text": "Please look at the failing build first."},
            ]},
            {"role": "assistant", "content": "I'll start by reading the build output."},
            {"role": "user", "content": prompt},
        ],
        "tools": tools,
        "tool_choice": "auto",
        "max_tokens": 32000,
        "temperature": 1,
        "stream": stream,
    }
    # Pad the system-reminder so the whole body lands on the requested size.
    raw = json.dumps(body, separators=(",", ":"))
    missing = total - len(raw.encode())
    if missing > 0:
        reminder = body["messages"][1]["content"][0]
        reminder["text"] = reminder["text"].replace(
            "\n</system-reminder>", "\n" + g.prose(missing) + "\n</system-reminder>")
        raw = json.dumps(body, separators=(",", ":"))
        # prose() trims to the byte budget but json escaping may add a few bytes; trim again.
        over = len(raw.encode()) - total
        if over > 0:
            t = reminder["text"]
            cut = t.rindex("\n</system-reminder>")
            reminder["text"] = t[:cut - over - 8] + t[cut:]
            raw = json.dumps(body, separators=(",", ":"))
    return raw


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stream", action="store_true")
    ap.add_argument("--model", default="gpt-4.1")
    ap.add_argument("--bytes", type=int, default=88_000, help="target body size")
    ap.add_argument("--chunks", type=int, default=20, help="[[sim:chunks=N]] in the prompt")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--stats", action="store_true", help="print section sizes to stderr")
    args = ap.parse_args()
    raw = build(args.seed, args.stream, args.model, args.bytes, args.chunks)
    if args.stats:
        body = json.loads(raw)
        sys_bytes = sum(len(b["text"]) for b in body["messages"][0]["content"])
        tool_bytes = len(json.dumps(body["tools"], separators=(",", ":")))
        schema_bytes = sum(len(json.dumps(t["function"]["parameters"], separators=(",", ":")))
                           for t in body["tools"])
        print("total=%d system_text=%d tools=%d (schemas=%d) n_tools=%d" % (
            len(raw), sys_bytes, tool_bytes, schema_bytes, len(body["tools"])), file=sys.stderr)
    sys.stdout.write(raw)


if __name__ == "__main__":
    main()

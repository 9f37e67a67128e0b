#!/usr/bin/env python3
# Benchmark body generator: writes a request shaped like a coding agent's first request: a ~29 KB
# system prompt in three text blocks (two carrying a cache breakpoint), a dozen tools with ~48 KB
# of JSON Schema, then a few messages, ~88 KB in all. --format picks the client API: OpenAI chat
# completions (default; Claude Code's content through an OpenAI-style client), Anthropic Messages
# (as Claude Code sends it) or OpenAI Responses (as Codex sends it); all three carry the same
# system text, tools and messages, and each is padded to the requested size on its own.
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


def build(seed, stream, model, total, chunks, fmt="chat"):
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
    reminder_text = "<system-reminder>\n" + g.prose(2_000) + "\n</system-reminder>"
    first = "Please look at the failing build first."
    answer = "I'll start by reading the build output."
    if fmt == "messages":
        body, reminder = messages_body(model, stream, system, tools, reminder_text, first, answer,
                                       prompt)
    elif fmt == "responses":
        body, reminder = responses_body(model, stream, system, tools, reminder_text, first,
                                        answer, prompt)
    else:
        body, reminder = chat_body(model, stream, system, tools, reminder_text, first, answer,
                                   prompt)
    # Pad the system-reminder so the whole body lands on the requested size.
    raw = json.dumps(body, separators=(",", ":"))
    missing = total - len(raw.encode())
    if missing > 0:
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


# Each *_body returns (body, the dict whose "text" holds the system-reminder, padded by build()).
def chat_body(model, stream, system, tools, reminder_text, first, answer, prompt):
    """OpenAI chat completions, as the gateway passes it through."""
    reminder = {"type": "text", "text": reminder_text}
    body = {
        "model": model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": [reminder, {"type": "text", "text": first}]},
            {"role": "assistant", "content": answer},
            {"role": "user", "content": prompt},
        ],
        "tools": tools,
        "tool_choice": "auto",
        "max_tokens": 32000,
        "temperature": 1,
        "stream": stream,
    }
    return body, reminder


def messages_body(model, stream, system, tools, reminder_text, first, answer, prompt):
    """Anthropic Messages, shaped like Claude Code's: system as text blocks (cache breakpoints
    where the chat body has copilot_cache_control), text content blocks, flat tools."""
    blocks = []
    for b in system:
        block = {"type": "text", "text": b["text"]}
        if "copilot_cache_control" in b:
            block["cache_control"] = dict(b["copilot_cache_control"])
        blocks.append(block)
    reminder = {"type": "text", "text": reminder_text}
    body = {
        "model": model,
        "max_tokens": 32000,
        "temperature": 1,
        "system": blocks,
        "messages": [
            {"role": "user", "content": [reminder, {"type": "text", "text": first}]},
            {"role": "assistant", "content": [{"type": "text", "text": answer}]},
            {"role": "user", "content": [{"type": "text", "text": prompt}]},
        ],
        "tools": [{"name": t["function"]["name"], "description": t["function"]["description"],
                   "input_schema": t["function"]["parameters"]} for t in tools],
        "stream": stream,
    }
    return body, reminder


def responses_body(model, stream, system, tools, reminder_text, first, answer, prompt):
    """OpenAI Responses, shaped like Codex's: instructions as one string, message items with
    input_text / output_text parts, flat function tools."""
    reminder = {"type": "input_text", "text": reminder_text}
    body = {
        "model": model,
        "instructions": "\n\n".join(b["text"] for b in system),
        "input": [
            {"type": "message", "role": "user",
             "content": [reminder, {"type": "input_text", "text": first}]},
            {"type": "message", "role": "assistant",
             "content": [{"type": "output_text", "text": answer}]},
            {"type": "message", "role": "user",
             "content": [{"type": "input_text", "text": prompt}]},
        ],
        "tools": [{"type": "function", "name": t["function"]["name"],
                   "description": t["function"]["description"],
                   "parameters": t["function"]["parameters"], "strict": False} for t in tools],
        "tool_choice": "auto",
        "parallel_tool_calls": False,
        "max_output_tokens": 32000,
        "stream": stream,
    }
    return body, reminder


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--format", choices=["chat", "messages", "responses"], default="chat",
                    help="client API of the body: OpenAI chat (default), Anthropic Messages, "
                    "OpenAI Responses")
    ap.add_argument("--stream", action="store_true")
    ap.add_argument("--model", default="gpt-4.1")
    ap.add_argument("--bytes", type=int, default=88_000, help="target body size")
    ap.add_argument("--chunks", type=int, default=20, help="[[sim:chunks=N]] in the prompt")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--stats", action="store_true", help="print section sizes to stderr")
    args = ap.parse_args()
    raw = build(args.seed, args.stream, args.model, args.bytes, args.chunks, args.format)
    if args.stats:
        body = json.loads(raw)
        if args.format == "messages":
            sys_bytes = sum(len(b["text"]) for b in body["system"])
            schemas = [t["input_schema"] for t in body["tools"]]
        elif args.format == "responses":
            sys_bytes = len(body["instructions"])
            schemas = [t["parameters"] for t in body["tools"]]
        else:
            sys_bytes = sum(len(b["text"]) for b in body["messages"][0]["content"])
            schemas = [t["function"]["parameters"] for t in body["tools"]]
        tool_bytes = len(json.dumps(body["tools"], separators=(",", ":")))
        schema_bytes = sum(len(json.dumps(s, separators=(",", ":"))) for s in schemas)
        print("format=%s total=%d system_text=%d tools=%d (schemas=%d) n_tools=%d" % (
            args.format, len(raw), sys_bytes, tool_bytes, schema_bytes, len(body["tools"])),
            file=sys.stderr)
    sys.stdout.write(raw)


if __name__ == "__main__":
    main()

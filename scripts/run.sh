#!/usr/bin/env bash
# `make run`: serve with the configured GitHub account, or demo mode against the built-in
# simulator when none is configured. Extra arguments go to the gateway.
set -euo pipefail
bin="${CG_BIN:-build/release/copilot-gateway}"
if [ -n "${GITHUB_TOKEN:-}" ] || [ -n "${COPILOT_TOKEN:-}" ] || [ -n "${CONFIG:-}" ]; then
  exec "$bin" serve "$@"
fi
echo "No GITHUB_TOKEN configured: starting demo mode (built-in Copilot simulator)." >&2
exec "$bin" demo "$@"

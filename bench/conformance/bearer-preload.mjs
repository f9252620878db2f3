// Preloaded (node --import) into the conformance suite's process by `npm run conformance` only: the
// suite has no option to send a header, and its raw header probes (http-header-validation) keep
// only the URL's path, so a daemon token in `?access_token=` is lost there (401). This adds
// `Authorization: Bearer $MCP_ORCH_BENCH_BEARER` to every request the suite makes to the origin
// $MCP_ORCH_BENCH_BEARER_ORIGIN, by each of the three clients it uses (fetch, node:http, undici's
// request), and changes nothing else.
import http from 'node:http';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';

const { Headers, Request } = globalThis;
const token = process.env.MCP_ORCH_BENCH_BEARER;
const origin = process.env.MCP_ORCH_BENCH_BEARER_ORIGIN ? new URL(process.env.MCP_ORCH_BENCH_BEARER_ORIGIN) : undefined;

/** Whether a request to `url` (a URL) goes to the daemon under test. */
function toDaemon(url) {
  return origin !== undefined && url.hostname === origin.hostname && (url.port || '80') === (origin.port || '80');
}

if (token && origin) {
  const originalFetch = globalThis.fetch;
  globalThis.fetch = function fetchWithBearer(input, init) {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!toDaemon(url)) return originalFetch(input, init);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    headers.set('authorization', `Bearer ${token}`);
    return originalFetch(input, { ...init, headers });
  };

  const originalRequest = http.request;
  http.request = function requestWithBearer(...args) {
    // The suite calls request(options, callback) with hostname, port and path.
    const [options] = args;
    if (options && typeof options === 'object' && !(options instanceof URL)) {
      const url = new URL(`http://${options.hostname ?? options.host ?? 'localhost'}:${options.port ?? 80}`);
      if (toDaemon(url)) args[0] = { ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } };
    }
    return originalRequest.apply(this, args);
  };
  syncBuiltinESMExports();

  // undici is CommonJS: patched in the require cache before the suite's `import { request }` reads
  // it. Resolved from the main script (the suite's CLI); a script that cannot resolve it has no use for it.
  let undici;
  try {
    undici = createRequire(pathToFileURL(process.argv[1] ?? `${process.cwd()}/`))('undici');
  } catch {
    undici = undefined;
  }
  if (undici) {
    const originalUndiciRequest = undici.request;
    undici.request = function undiciRequestWithBearer(url, options = {}) {
      if (!toDaemon(new URL(String(url)))) return originalUndiciRequest.call(this, url, options);
      const headers = options.headers instanceof Headers ? Object.fromEntries(options.headers) : { ...options.headers };
      return originalUndiciRequest.call(this, url, { ...options, headers: { ...headers, authorization: `Bearer ${token}` } });
    };
  }
}

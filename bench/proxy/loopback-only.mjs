// Preloaded (node --import) into peers that have no option for the bind address (supergateway,
// mcp-hub): every TCP listen without a host, or on a wildcard host, binds to 127.0.0.1 instead,
// so the benchmark never opens a port beyond loopback. It changes nothing else.
import net from 'node:net';

const WILDCARDS = new Set(['::', '0.0.0.0', '']);
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (first !== null && typeof first === 'object' && first.path === undefined && first.port !== undefined) {
    if (first.host === undefined || WILDCARDS.has(first.host)) args[0] = { ...first, host: '127.0.0.1' };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second === 'string') {
      if (WILDCARDS.has(second)) args[1] = '127.0.0.1';
    } else {
      args.splice(1, 0, '127.0.0.1');
    }
  }
  return originalListen.apply(this, args);
};

// Preloaded by the tests that prove a module is not loaded: any attempt to load one of the modules
// named in FORBID_MODULES (comma-separated; a name covers its subpaths, `@scope/` a whole scope), as
// an ESM import or a CJS require, fails loudly with "<name> was imported by <parent>".
import Module, { register } from 'node:module';

const names = (process.env.FORBID_MODULES ?? '').split(',').filter(Boolean);

register(
  'data:text/javascript,' +
    encodeURIComponent(`const names = ${JSON.stringify(names)};
const banned = (s) => names.some((n) => (n.endsWith('/') ? s.startsWith(n) : s === n || s.startsWith(n + '/')));
export async function resolve(specifier, context, next) {
  if (banned(specifier)) throw new Error(specifier + ' was imported by ' + context.parentURL);
  return next(specifier, context);
}`),
);

const banned = (specifier) =>
  names.some((name) => (name.endsWith('/') ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`)));
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (banned(request)) throw new Error(`${request} was imported by ${parent?.filename}`);
  return load.call(this, request, parent, ...rest);
};

// Preloaded by the boundary test: any attempt to load 'electron' (ESM import or CJS require) fails loudly.
import Module, { register } from 'node:module';

const banned = (specifier) => specifier === 'electron' || specifier.startsWith('electron/');

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) {
    throw new Error('electron was imported by ' + context.parentURL);
  }
  return next(specifier, context);
}`),
);

const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (banned(request)) throw new Error(`electron was required by ${parent?.filename}`);
  return load.call(this, request, parent, ...rest);
};

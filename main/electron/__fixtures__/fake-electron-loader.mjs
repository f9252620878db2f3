// Module hook: `electron` resolves to the fake of fake-electron.mjs.
const fake = new URL('./fake-electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: fake, shortCircuit: true, format: 'module' };
  return next(specifier, context);
}

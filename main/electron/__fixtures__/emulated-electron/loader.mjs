// Module hook: `electron` resolves to the emulated desktop's index.ts (tsx, registered before, loads it).
const emulated = new URL('./index.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return next(emulated, context);
  return next(specifier, context);
}

// Test support: `node --import tsx --import <this>` makes `import 'electron'` load the emulated
// desktop of this folder (index.ts), so the real main.ts runs with it (see e2e/desktop/).
import { register } from 'node:module';

register('./loader.mjs', import.meta.url);

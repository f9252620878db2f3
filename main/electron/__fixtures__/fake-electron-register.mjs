// Test support: `node --import <this>` makes `import 'electron'` load fake-electron.mjs, so the
// real main.ts can run under plain Node (see main.smoke.test.ts).
import { register } from 'node:module';

register('./fake-electron-loader.mjs', import.meta.url);

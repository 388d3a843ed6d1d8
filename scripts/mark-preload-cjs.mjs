// The package is ESM, but a sandboxed Electron preload must be CommonJS: mark its output folder so.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/preload/package.json', import.meta.url), '{ "type": "commonjs" }\n');

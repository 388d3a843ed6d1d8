// tsc writes plain files; the package's bin entries (npx watchroom-verify, watchroom-host) must be executable.
import { chmodSync, readFileSync } from 'node:fs';
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const file of Object.values(pkg.bin)) chmodSync(new URL(`../${file}`, import.meta.url), 0o755);

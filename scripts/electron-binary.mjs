// Where the Electron binary is, or null: never triggers electron's download (which fails offline).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));

/** @returns {{ path: string | null, why: string }} */
export function findElectronBinary() {
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, why: 'node_modules/electron has no downloaded binary (path.txt missing)' };
  const rel = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
  const full = join(dist, rel);
  return existsSync(full) ? { path: full, why: '' } : { path: null, why: `${full} does not exist` };
}

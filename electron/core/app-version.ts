/** The version from package.json, read once; the core is shipped with its package.json beside dist/. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function appVersion(): string {
  if (cached) return cached;
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'watchroom' && pkg.version) return (cached = pkg.version);
    } catch {
      // Try the next location: source (electron/core) and build (dist/electron/core) sit at different depths.
    }
  }
  return (cached = '0.0.0');
}

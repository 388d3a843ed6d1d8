/**
 * What a packaged app needs that no other test would notice: electron-builder puts only
 * `dependencies` into the app, so a run-time import of a devDependency starts in development and
 * fails once installed; and the Electron fuses are flipped only at packaging.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Specifiers loaded at run time: static imports and re-exports that are not type-only, dynamic import(). */
function runtimeImports(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) if (!m[1]) found.push(m[2]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`); null for relative paths and Node's own modules. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

describe('packaging', () => {
  it('reads its own import parser right: type-only imports do not count, re-exports and dynamic imports do', () => {
    const source = [
      "import type { A } from 'types-only';",
      "import { type B, c } from 'mixed';",
      'import Default, {\n  d,\n} from "multi-line";',
      "import 'side-effect';",
      "export { e } from 're-exported';",
      "export type { F } from 'type-re-export';",
      "const g = await import('dynamic');",
      "// import x from 'commented-out';",
    ].join('\n');
    expect(runtimeImports(source)).toEqual(['mixed', 'multi-line', 'side-effect', 're-exported', 'dynamic']);
    expect(['@scope/pkg/sub', 'pkg/sub', 'node:fs', 'fs', './x.js'].map(packageOf)).toEqual(['@scope/pkg', 'pkg', null, null, null]);
  });

  it('lists every package the main process, the shells and the CLIs import at run time in dependencies (electron is the runtime)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const missing: string[] = [];
    // The renderer is bundled by vite: its imports end up inside dist/renderer, not in node_modules.
    for (const file of [...tsFiles(join(root, 'electron')), ...tsFiles(join(root, 'shared'))]) {
      for (const specifier of runtimeImports(readFileSync(file, 'utf8'))) {
        const name = packageOf(specifier);
        if (name && name !== 'electron' && !(name in pkg.dependencies)) missing.push(`${name} (imported by ${relative(root, file)})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('flips the Electron fuses at packaging: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; only the checked app.asar', async () => {
    // Read and validated by electron-builder itself, so a misspelt key fails here rather than being ignored.
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      // The renderer comes from app://, so file:// pages need no privileges beyond a browser's.
      grantFileProtocolExtraPrivileges: false,
    });
  }, 60_000); // electron-builder's config loader is slow to import on a busy machine
});

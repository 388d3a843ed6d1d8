import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('code size', () => {
  it('keeps every function in electron/ at 80 lines or fewer (nested ones and factories counted whole)', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'function-sizes.mjs'), '80', 'electron'], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { over: number; functions: Array<{ file: string; name: string; lines: number }> };
    expect(report.functions).toEqual([]);
    expect(run.status).toBe(0);
  }, 60_000);

  it('finds a long function when there is one (the check can fail)', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'function-sizes.mjs'), '5', 'electron/core/people'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { over: number }).over).toBeGreaterThan(0);
  }, 60_000);
});

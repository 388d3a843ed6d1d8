import { describe, expect, it } from 'vitest';
import { formatSums, mediaName, parseSums, readableName } from '../../electron/core/evidence/package-files.js';
import { printable, printableJson } from '../../electron/core/printable.js';

describe('package file names', () => {
  it('keep names in any script readable, and never let two cameras or two clips share a name', () => {
    expect(readableName('Вход')).toBe('Вход');
    expect(readableName('北门')).toBe('北门');
    expect(readableName('Gate/1')).toBe('Gate_1');
    expect(readableName('../..')).toBe('camera');
    const taken = new Set<string>();
    const at = Date.UTC(2026, 10, 23, 2, 10, 0, 123);
    const names = [
      mediaName({ id: 'cam-a', name: 'Вход' }, at, at + 20_000, '.mp4', taken),
      mediaName({ id: 'cam-b', name: '北门' }, at, at + 20_000, '.mp4', taken),
      mediaName({ id: 'cam-c', name: 'Gate 1' }, at, at + 20_000, '.mp4', taken),
      mediaName({ id: 'cam-d', name: 'Gate/1' }, at, at + 20_000, '.mp4', taken),
      mediaName({ id: 'cam-e', name: 'Gate:1' }, at, at + 20_000, '.mp4', taken),
      // Two clips of one camera a millisecond apart, and an exact repeat (a clock stepped back).
      mediaName({ id: 'cam-e', name: 'Gate:1' }, at + 1, at + 20_000, '.mp4', taken),
      mediaName({ id: 'cam-e', name: 'Gate:1' }, at, at + 20_000, '.mp4', taken),
    ];
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toBe('cam-a_Вход_20261123T021000.123Z_20261123T021020.123Z.mp4');
    expect(names[6]).toBe('cam-e_Gate_1_20261123T021000.123Z_20261123T021020.123Z.mp4_2');
    for (const n of names) expect(n).not.toMatch(/[/\\\n:]/);
  });

  it('refuses SHA256SUMS listing one path twice, and round-trips names in any script', () => {
    const h = 'a'.repeat(64);
    expect(() => formatSums([{ path: 'master/x.mp4', sha256: h }, { path: 'master/x.mp4', sha256: 'b'.repeat(64) }])).toThrow(expect.objectContaining({ code: 'export.duplicate-path' }));
    const text = formatSums([{ path: 'master/cam-a_Вход_1.mp4', sha256: h }, { path: 'manifest.json', sha256: h }]);
    expect(parseSums(text)).toEqual({ ok: true, entries: [{ path: 'manifest.json', sha256: h }, { path: 'master/cam-a_Вход_1.mp4', sha256: h }] });
  });
});

describe('printable', () => {
  it('shows control characters and bidi overrides as visible escapes, in text and in JSON', () => {
    const painted = 'CASE-1\u001b[2K\rRESULT:  VERIFIED\u009b\u202eFAILED';
    expect(printable(painted)).toBe('CASE-1\\u{1b}[2K\\u{d}RESULT:  VERIFIED\\u{9b}\\u{202e}FAILED');
    const json = printableJson({ caseReference: painted });
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(json)).toEqual({ caseReference: painted });
  });
});

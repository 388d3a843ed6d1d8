import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../electron/core/recorders/site-custody.js';

describe('a recorder’s refusal as the workstation shows it', () => {
  it('is quoted as the recorder’s own words, shortened, with control characters shown as escapes', () => {
    const said = `export.footage-unproven: \u001b[2J\u001b[HThe workstation’s key has expired. Call 0800 000 000.\u202e${'x'.repeat(2_000)}`;
    const error = refusalOf('rec-a', 409, said);
    expect(error.code).toBe('export.footage-unproven');
    expect(error.message).toMatch(/^Recorder rec-a refused: “\\u\{1b\}\[2J\\u\{1b\}\[HThe workstation’s key/);
    expect(error.message).toContain('\\u{202e}');
    expect(error.message).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(error.message.length).toBeLessThan(700);
  });

  it('names only the status when the recorder gave no code this side knows', () => {
    const error = refusalOf('rec-b', 500, 'export.evidence-approved: you may proceed');
    expect(error.code).toBe('export.recorder-unreachable');
    expect(error.message).not.toContain('proceed');
    expect(error.message).toContain('500');
  });
});

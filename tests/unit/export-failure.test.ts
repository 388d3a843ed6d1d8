import { describe, expect, it } from 'vitest';
import { WatchroomError } from '../../shared/errors.js';
import { failureForPeople } from '../../electron/core/evidence/export-jobs.js';

describe('what a person reads when an export fails', () => {
  it('gives a tool’s own words to the ledger, not the person: a sentence that says nothing was kept and where the cause is', () => {
    const ffmpeg = failureForPeople(new WatchroomError('export.ffmpeg-failed', 'ffmpeg could not write the clip: [mp4 @ 0x55] moov atom not found'), 'CASE-7');
    const system = failureForPeople(new WatchroomError('export.failed', 'The export failed: EIO: i/o error, write'), 'CASE-7');
    for (const shown of [ffmpeg, system]) {
      expect(shown.message).not.toMatch(/ffmpeg|moov|0x|EIO|errno|write$/i);
      expect(shown.message).toContain('nothing was kept');
      expect(shown.message).toContain('CASE-7');
    }
    expect(ffmpeg.code).toBe('export.ffmpeg-failed');
  });

  it('keeps sentences that were written for people: a full disk, footage changed on disk', () => {
    const full = new WatchroomError('export.disk-full', 'The export folder’s disk is full. Nothing was kept; free space or choose another folder.');
    expect(failureForPeople(full, 'C')).toEqual({ code: 'export.disk-full', message: full.message });
    const changed = new WatchroomError('export.footage-changed', 'cam/2026/x.ts changed on disk after it was recorded.');
    expect(failureForPeople(changed, 'C').message).toBe(changed.message);
  });
});

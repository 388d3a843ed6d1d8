/** The import report says each problem once, then what became of the import. */
import { describe, expect, it } from 'vitest';
import { WatchroomError } from '../../shared/errors.js';
import { importFailed, importSucceeded } from '../../renderer/src/cameras/import-report.js';

describe('import report', () => {
  it('lists each problem once, not again in its summary, and says nothing was imported', () => {
    const error = new WatchroomError('import.invalid', 'Nothing was imported: 2 lines of the file need fixing.', [
      { field: 'rows[1].url', code: 'camera.url.scheme', message: 'Line 3: Only rtsp:// and rtsps:// addresses are supported, not ftp://.' },
      { field: 'rows[2].name', code: 'camera.name.required', message: 'Line 5: Give the camera a name operators will recognise.' },
    ]);
    const report = importFailed('site.csv', error);
    expect(report).toEqual({
      ok: false,
      summary: 'site.csv has 2 problems:',
      problems: ['Line 3: Only rtsp:// and rtsps:// addresses are supported, not ftp://.', 'Line 5: Give the camera a name operators will recognise.'],
      outcome: 'Nothing was imported: fix the lines above and import again.',
    });
    const text = [report.summary, ...report.problems, report.outcome].join('\n');
    for (const f of error.fields!) expect(text.split(f.message).length - 1).toBe(1);
  });

  it('says what went wrong with a file that is not a list at all, and that nothing was imported', () => {
    expect(importFailed('site.json', new WatchroomError('import.malformed', 'The file is not readable as JSON: look at line 2, character 4.'))).toEqual({
      ok: false,
      summary: 'site.json: The file is not readable as JSON: look at line 2, character 4.',
      problems: [],
      outcome: 'Nothing was imported.',
    });
    expect(importFailed('site.csv', new WatchroomError('import.empty', 'The file lists no cameras; nothing was imported.')).outcome).toBeNull();
  });

  it('counts what was imported and skipped', () => {
    expect(importSucceeded({ added: [], skipped: ['Gate'] }).summary).toBe('Imported 0 cameras. Already present, skipped: Gate.');
  });
});

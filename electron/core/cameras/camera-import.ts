/**
 * Parses a camera list from JSON (`[{name, url, subUrl?, group?}]`) or CSV (`name,url,subUrl,group`).
 * Each row carries where it came from in words its author can find: a CSV line numbered as a text
 * editor numbers it (the header is line 1, blank lines count), a JSON list entry counted from 1.
 */
import { WatchroomError, type FieldError } from '../../../shared/errors.js';
import type { CameraInput } from '../../../shared/api.js';

export interface ImportRow {
  camera: CameraInput;
  /** "Line 3" or "Entry 2": how every problem with this row begins. */
  where: string;
}

export function parseCameraList(text: string, format: 'json' | 'csv'): ImportRow[] {
  return format === 'json' ? parseJson(text) : parseCsv(text);
}

/** The refusal of a list some of whose rows are wrong: nothing is imported, each problem named once. */
export function rowProblems(errors: readonly FieldError[], format: 'json' | 'csv'): WatchroomError {
  const rows = new Set(errors.map((e) => /^rows\[(\d+)\]/.exec(e.field)?.[1])).size;
  const what = format === 'csv' ? (rows === 1 ? 'line' : 'lines') : rows === 1 ? 'entry' : 'entries';
  return new WatchroomError('import.invalid', `Nothing was imported: ${rows} ${what} of the file need${rows === 1 ? 's' : ''} fixing.`, [...errors]);
}

/** "line 2, character 5" for JSON.parse's "… at position 17", whose own words are for developers. */
function jsonPlace(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
  const at = position === undefined ? text.length : Number(position);
  const before = text.slice(0, at).split(/\r?\n/);
  return position === undefined ? 'it ends too early' : `look at line ${before.length}, character ${before[before.length - 1]!.length + 1}`;
}

function parseJson(text: string): ImportRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new WatchroomError('import.malformed', `The file is not readable as JSON: ${jsonPlace(text, error)}.`);
  }
  if (!Array.isArray(data)) throw new WatchroomError('import.malformed', 'The JSON must be a list: [{ "name": …, "url": …, "subUrl": …, "group": … }].');
  const errors: FieldError[] = [];
  const rows = data.map((item, i): ImportRow => {
    const where = `Entry ${i + 1}`;
    const row = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const str = (key: string, required: boolean): string | undefined => {
      const v = row[key];
      if (v === undefined || v === null) {
        if (required) errors.push({ field: `rows[${i}].${key}`, code: `import.${key}.required`, message: `${where}: “${key}” is missing.` });
        return undefined;
      }
      if (typeof v !== 'string') {
        errors.push({ field: `rows[${i}].${key}`, code: `import.${key}.type`, message: `${where}: “${key}” must be text in quotes.` });
        return undefined;
      }
      return v;
    };
    const subUrl = str('subUrl', false);
    const group = str('group', false);
    return { camera: { name: str('name', true) ?? '', url: str('url', true) ?? '', ...(subUrl ? { subUrl } : {}), ...(group ? { group } : {}) }, where };
  });
  if (errors.length) throw rowProblems(errors, 'json');
  return rows;
}

/** RFC 4180 fields: quotes around a field allow commas and doubled quotes inside it. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return fields.map((f) => f.trim());
}

function parseCsv(text: string): ImportRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l, i) => ({ line: l, n: i + 1 })).filter((l) => l.line.trim() !== '');
  if (lines[0] && /^name\s*,\s*url/i.test(lines[0].line)) lines.shift();
  const errors: FieldError[] = [];
  const rows = lines.map(({ line, n }, i): ImportRow => {
    const fields = splitCsvLine(line);
    if (fields.length < 2 || fields.length > 4) {
      errors.push({ field: `rows[${i}]`, code: 'import.columns', message: `Line ${n} has ${fields.length} column${fields.length === 1 ? '' : 's'}; a line is name, address, and optionally a sub-stream address and a group, separated by commas.` });
    }
    const [name = '', url = '', subUrl, group] = fields;
    return { camera: { name, url, ...(subUrl ? { subUrl } : {}), ...(group ? { group } : {}) }, where: `Line ${n}` };
  });
  if (errors.length) throw rowProblems(errors, 'csv');
  return rows;
}

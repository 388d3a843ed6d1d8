/** Parses a camera list from JSON (`[{name, url, subUrl?, group?}]`) or CSV (`name,url,subUrl,group`). */
import { WatchroomError, type FieldError } from '../../../shared/errors.js';
import type { CameraInput } from '../../../shared/api.js';

export function parseCameraList(text: string, format: 'json' | 'csv'): CameraInput[] {
  return format === 'json' ? parseJson(text) : parseCsv(text);
}

function parseJson(text: string): CameraInput[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new WatchroomError('import.malformed', `The file is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new WatchroomError('import.malformed', 'The JSON must be a list: [{ "name": …, "url": …, "subUrl": …, "group": … }].');
  const errors: FieldError[] = [];
  const rows = data.map((item, i): CameraInput => {
    const row = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const str = (key: string, required: boolean): string | undefined => {
      const v = row[key];
      if (v === undefined || v === null) {
        if (required) errors.push({ field: `rows[${i}].${key}`, code: `import.${key}.required`, message: `Row ${i + 1}: “${key}” is missing.` });
        return undefined;
      }
      if (typeof v !== 'string') {
        errors.push({ field: `rows[${i}].${key}`, code: `import.${key}.type`, message: `Row ${i + 1}: “${key}” must be text.` });
        return undefined;
      }
      return v;
    };
    const subUrl = str('subUrl', false);
    const group = str('group', false);
    return { name: str('name', true) ?? '', url: str('url', true) ?? '', ...(subUrl ? { subUrl } : {}), ...(group ? { group } : {}) };
  });
  if (errors.length) throw new WatchroomError('import.invalid', 'Some rows are not valid; nothing was imported.', errors);
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

function parseCsv(text: string): CameraInput[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l, i) => ({ line: l, n: i + 1 })).filter((l) => l.line.trim() !== '');
  if (lines[0] && /^name\s*,\s*url/i.test(lines[0].line)) lines.shift();
  const errors: FieldError[] = [];
  const rows = lines.map(({ line, n }, i): CameraInput => {
    const fields = splitCsvLine(line);
    if (fields.length < 2 || fields.length > 4) {
      errors.push({ field: `rows[${i}]`, code: 'import.columns', message: `Line ${n}: expected name,url[,subUrl[,group]], found ${fields.length} columns.` });
    }
    const [name = '', url = '', subUrl, group] = fields;
    return { name, url, ...(subUrl ? { subUrl } : {}), ...(group ? { group } : {}) };
  });
  if (errors.length) throw new WatchroomError('import.invalid', 'Some lines are not valid; nothing was imported.', errors);
  return rows;
}

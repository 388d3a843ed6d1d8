/**
 * Words for an argument the contract refused, for the person who typed it. Schemas give their own
 * sentence where a rule needs one ("Give the bookmark a title."); every other rule falls back to zod's
 * defaults ("Too small: expected number to be >=0"), which name types and operators, not fields.
 * `fieldSentence` is the error map that replaces those: the field in words, what it needs, in units
 * the form shows. The dispatcher parses every argument with it, so no message escapes without one.
 */
import type { z } from 'zod';

/** How a field reads in a sentence; `scale` turns the stored unit into the one the form shows. */
interface FieldWords {
  /** The field as a phrase: "the title". */
  the: string;
  /** `hidden`: set by the page, never typed (an id): only a stale page or a script gets it wrong. */
  kind?: 'number' | 'time' | 'choice' | 'list' | 'switch' | 'hidden';
  unit?: { word: string; scale: number };
  /** One entry of a list field: "camera". */
  item?: string;
}

const HIDDEN: FieldWords = { the: 'it', kind: 'hidden' };
const SECONDS = { word: 'seconds', scale: 1000 };
/** The retention form shows sizes in (decimal) gigabytes. */
const GIGABYTES = { word: 'GB', scale: 1e9 };

/** Fields whose words do not follow from their key (`caseReference` reads as "the case reference" by itself). */
const FIELD_WORDS: Record<string, FieldWords> = {
  name: { the: 'the name' },
  displayName: { the: 'the full name' },
  role: { the: 'the role', kind: 'choice' },
  password: { the: 'the password' },
  current: { the: 'your current password' },
  next: { the: 'the new password' },
  id: HIDDEN,
  wallId: HIDDEN,
  state: HIDDEN,
  changes: HIDDEN,
  minutes: { the: 'the idle time', kind: 'number', unit: { word: 'minutes', scale: 1 } },
  url: { the: 'the camera address' },
  subUrl: { the: 'the sub-stream address' },
  group: { the: 'the site or group' },
  username: { the: 'the user name' },
  text: { the: 'the file' },
  format: { the: 'the file type', kind: 'choice' },
  layout: { the: 'the layout', kind: 'choice' },
  tiles: { the: 'the tiles', kind: 'list', item: 'tile' },
  tours: { the: 'the tours', kind: 'list', item: 'tour' },
  cameraIds: { the: 'the cameras', kind: 'list', item: 'camera' },
  cameraId: { the: 'the camera' },
  dwellSeconds: { the: 'the time on each camera', kind: 'number', unit: { word: 'seconds', scale: 1 } },
  fromMs: { the: 'the start time', kind: 'time' },
  toMs: { the: 'the end time', kind: 'time' },
  atMs: { the: 'the moment', kind: 'time' },
  startMs: { the: 'the starting point', kind: 'time' },
  beforeMs: { the: 'the time before', kind: 'number', unit: SECONDS },
  afterMs: { the: 'the time after', kind: 'number', unit: SECONDS },
  tags: { the: 'the tags', kind: 'list', item: 'tag' },
  person: { the: 'the name of the person receiving it' },
  organisation: { the: 'their organisation' },
  workingCopy: { the: 'the working-copy choice', kind: 'switch' },
  // Privacy masks (issue 12, point 1)
  polygons: { the: 'the masks', kind: 'list', item: 'mask' },
  maxAgeDays: { the: 'the number of days', kind: 'number', unit: { word: 'days', scale: 1 } },
  maxTotalBytes: { the: 'the total size', kind: 'number', unit: GIGABYTES },
  maxBytesPerCamera: { the: 'the size per camera', kind: 'number', unit: GIGABYTES },
  path: { the: 'the package folder' },
  pem: { the: 'the key' },
  limit: { the: 'the entry count', kind: 'number', unit: { word: 'entries', scale: 1 } },
  why: { the: 'the reason', kind: 'choice' },
  locked: { the: 'the lock', kind: 'switch' },
  enabled: { the: 'the enabled switch', kind: 'switch' },
  recording: { the: 'the recording switch', kind: 'switch' },
};

/** The field an issue is about: the last named part of its path (`tags.3` is about the tags). */
export function fieldKey(path: readonly PropertyKey[]): string | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i];
    if (typeof part === 'string' && !/^\d+$/.test(part)) return part;
  }
  return null;
}

/** `caseReference` → "the case reference", for fields the table does not name. */
function wordsOf(key: string | null): FieldWords {
  if (key === null) return { the: 'this request' };
  return FIELD_WORDS[key] ?? { the: `the ${key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}` };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A limit in the form's unit: 3600000 ms reads as 3600 seconds. */
const amount = (limit: unknown, words: FieldWords) => {
  const n = Number(limit) / (words.unit?.scale ?? 1);
  return `${Number.isInteger(n) ? n : n.toFixed(1)}${words.unit ? ` ${words.unit.word}` : ''}`;
};

type Issue = z.core.$ZodRawIssue;

const RELOAD = 'Watchroom could not read this request. Reload the page and try again.';

/** The issue's field has no value at all, or one of the wrong kind (a blank number field arrives as null). */
function missing(words: FieldWords, expected: string): string {
  if (words.kind === 'switch' || expected === 'boolean') return `${capital(words.the)} is either on or off.`;
  if (words.kind === 'time' || words.kind === 'choice' || words.kind === 'list' || expected === 'array') return `Choose ${words.the}.`;
  if (words.kind === 'number' || expected === 'number') return `Enter a number for ${words.the}.`;
  return `Fill in ${words.the}.`;
}

const wholeNumber = (words: FieldWords) => `${capital(words.the)} must be a whole number${words.unit ? ` of ${words.unit.word}` : ''}.`;

function tooSmall(issue: Issue & { code: 'too_small' }, words: FieldWords): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'string') return min <= 1 ? `Fill in ${words.the}.` : `${capital(words.the)} needs at least ${plural(min, 'character')}.`;
  if (issue.origin === 'array' || issue.origin === 'set') return `Choose at least ${plural(min, words.item ?? 'entry')}.`;
  if (words.kind === 'time') return `Choose a real date and time for ${words.the}.`;
  return `${capital(words.the)} must be ${amount(min, words)} or ${issue.inclusive === false ? 'more than that' : 'more'}.`;
}

function tooBig(issue: Issue & { code: 'too_big' }, words: FieldWords): string {
  const max = Number(issue.maximum);
  if (issue.origin === 'string') return `${capital(words.the)} is too long: at most ${plural(max, 'character')}.`;
  if (issue.origin === 'array' || issue.origin === 'set') return `Choose at most ${plural(max, words.item ?? 'entry')}.`;
  if (words.kind === 'time') return `Choose a real date and time for ${words.the}.`;
  return `${capital(words.the)} must be ${amount(max, words)} or ${issue.inclusive === false ? 'less than that' : 'less'}.`;
}

/**
 * A zod error map (`schema.safeParse(value, { error: fieldSentence })`): a sentence naming the field
 * for every issue the schema left without its own words.
 */
export function fieldSentence(issue: Issue): string {
  const path = issue.path ?? [];
  const words = wordsOf(fieldKey(path));
  if (words.kind === 'hidden') return RELOAD;
  // An entry of a list ("tags.3") reads as that entry, not as the list.
  const one: FieldWords = /^\d+$/.test(String(path[path.length - 1])) && words.item ? { the: `each ${words.item}` } : words;
  switch (issue.code) {
    case 'invalid_type':
      if (path.length === 0) return RELOAD;
      if (issue.expected === 'int') return wholeNumber(one);
      return missing(one, String(issue.expected));
    case 'too_small':
      return tooSmall(issue, one);
    case 'too_big':
      return tooBig(issue, one);
    case 'invalid_value':
      return one.kind === 'switch' ? `${capital(one.the)} is either on or off.` : `Choose ${one.the} from the list.`;
    case 'not_multiple_of':
      return wholeNumber(one);
    case 'unrecognized_keys':
      return `Watchroom does not know ${issue.keys.length === 1 ? 'the detail' : 'the details'} ${issue.keys.map((k) => `“${k}”`).join(', ')}; leave ${issue.keys.length === 1 ? 'it' : 'them'} out.`;
    default:
      // A format, a union, a refinement without words of its own: say which field, not which rule.
      return `${capital(one.the)} is not in a form Watchroom accepts.`;
  }
}

/** Words no person should read: zod's defaults and JavaScript's. The renderer replaces any it still meets. */
export const DEVELOPER_WORDING = /expected|invalid|too small|too big|received|\bNaN\b|undefined|\bzod\b/i;

/**
 * A field's message as a person should read it: itself when it is a sentence already, else one
 * naming the field, for whatever slipped past the error map (an older core, another door).
 */
export function plainFieldMessage(field: string, message: string): string {
  if (message && !DEVELOPER_WORDING.test(message)) return message;
  const path = field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return fieldSentence({ code: 'custom', path, input: undefined });
}

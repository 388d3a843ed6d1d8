/**
 * Every argument of every API method, fed wrong values the way a form, a script or a stale page can
 * send them, through the dispatcher's own argument check: each refusal must read as a sentence for
 * the person at the form, never as the validator's words.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_METHODS, CONTRACT } from '../../shared/contract.js';
import { parseArg } from '../../electron/core/api/dispatch.js';
import { fieldSentence } from '../../shared/field-sentences.js';
import { formErrors } from '../../renderer/src/lib/form-errors.js';
import { WatchroomError } from '../../shared/errors.js';

/** What the issue calls developer wording; "NaN" as a word, so "maintenance" passes. */
const DEVELOPER = [/expected/i, /invalid input/i, /too small/i, /too big/i, /invalid/i, /received/i, /\bnan\b/i, /undefined/i, /zod/i];

const BAD_VALUES: unknown[] = [null, undefined, Number.NaN, -1, 0, 2.5, 1e20, '', ' ', 'x'.repeat(100_001), 'not-an-option', true, {}, [], Array.from({ length: 100 }, () => 'x'), [null], [-1]];

type Path = Array<string | number>;

/** Every path into a schema's objects, arrays and wrappers: where a form's fields sit in the argument. */
function leafPaths(schema: z.ZodType, prefix: Path = [], depth = 0): Path[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (depth > 6) return [prefix];
  switch (def.type) {
    case 'object':
      return [prefix, ...Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, inner]) => leafPaths(inner, [...prefix, key], depth + 1))];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return leafPaths(def.innerType as z.ZodType, prefix, depth + 1);
    case 'pipe':
      return leafPaths(def.in as z.ZodType, prefix, depth + 1);
    case 'intersection':
      return [...leafPaths(def.left as z.ZodType, prefix, depth + 1), ...leafPaths(def.right as z.ZodType, prefix, depth + 1)];
    case 'union':
      return (def.options as z.ZodType[]).flatMap((o) => leafPaths(o, prefix, depth + 1));
    case 'array':
      return [prefix, ...leafPaths(def.element as z.ZodType, [...prefix, 0], depth + 1)];
    default:
      return [prefix];
  }
}

function withValue(path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') return [withValue(rest, value)];
  return { [head!]: withValue(rest, value) };
}

/** Every sentence a refusal of `arg` shows: the error's own, each field's, and what a form makes of them. */
function messagesFor(schema: z.ZodType, arg: unknown): string[] {
  const parsed = parseArg(schema, arg);
  if (parsed.success) return [];
  const error = parsed.error;
  const keys = (error.fields ?? []).map((f) => f.field.split('.').pop()!);
  const form = formErrors(error, keys);
  return [error.message, ...(error.fields ?? []).map((f) => f.message), ...Object.values(form.fields), form.general ?? ''].filter((m): m is string => Boolean(m));
}

describe('argument refusals read as sentences', () => {
  it('names no type, operator or validator in any refusal of any method', () => {
    const offending = new Set<string>();
    let refusals = 0;
    for (const method of API_METHODS) {
      const schema = CONTRACT[method].arg as z.ZodType;
      const paths = leafPaths(schema);
      for (const path of paths) {
        for (const value of BAD_VALUES) {
          const messages = messagesFor(schema, withValue(path, value));
          if (messages.length) refusals++;
          for (const message of messages) if (DEVELOPER.some((d) => d.test(message))) offending.add(`${method} ${path.join('.') || '(argument)'} = ${JSON.stringify(value)?.slice(0, 30)}: ${message}`);
        }
      }
    }
    expect(refusals).toBeGreaterThan(500);
    expect([...offending].slice(0, 40)).toEqual([]);
  });

  it('says what the bookmark fields need, in the units the form shows', () => {
    const fields = (arg: unknown) => Object.fromEntries((parseArg(CONTRACT.createBookmark.arg, arg) as { error: WatchroomError }).error.fields!.map((f) => [f.field, f.message]));
    const ok = { cameraIds: ['cam-1'], atMs: 1_000, beforeMs: 30_000, afterMs: 30_000, title: 'Fight', notes: '', tags: [], caseReference: '' };
    expect(fields({ ...ok, beforeMs: -1000 })).toEqual({ beforeMs: 'The time before must be 0 seconds or more.' });
    expect(fields({ ...ok, afterMs: null })).toEqual({ afterMs: 'Enter a number for the time after.' });
    expect(fields({ ...ok, atMs: null })).toEqual({ atMs: 'Choose the moment.' });
    expect(fields({ ...ok, caseReference: 'x'.repeat(65) })).toEqual({ caseReference: 'The case reference is too long: at most 64 characters.' });
    expect(fields({ ...ok, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toEqual({ tags: 'Choose at most 20 tags.' });
    // A schema's own words stay, for what they are about: a title too long is not a missing one.
    expect(fields({ ...ok, title: ' ' })).toEqual({ title: 'Give the bookmark a title.' });
    expect(fields({ ...ok, title: 'T'.repeat(201) })).toEqual({ title: 'The title is too long: at most 200 characters.' });
  });

  it('reads the field from the path, lists by their entries', () => {
    const sentence = (issue: Parameters<typeof fieldSentence>[0]) => fieldSentence(issue);
    expect(sentence({ code: 'too_big', origin: 'string', maximum: 120, inclusive: true, input: '', path: ['changes', 'displayName'] })).toBe('The full name is too long: at most 120 characters.');
    expect(sentence({ code: 'invalid_type', expected: 'string', input: 3, path: ['tags', 2] })).toBe('Fill in each tag.');
    expect(sentence({ code: 'invalid_value', values: ['json', 'csv'], input: 'xml', path: ['format'] })).toBe('Choose the file type from the list.');
  });
});

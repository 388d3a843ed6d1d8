/**
 * Text from a package or another process, shown on a terminal or in the UI: a case reference holding
 * escape codes could move the cursor and paint "VERIFIED" over "FAILED", and bidirectional overrides
 * can reorder what is read.
 * Every control character (C0, DEL, C1) and every bidi control is shown as a visible \u{…} escape.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** What JSON.stringify leaves raw inside strings (it escapes C0 itself; its own newlines are layout). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON for a terminal or a pipe, every control escaped as \uXXXX so it stays the same valid JSON. */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

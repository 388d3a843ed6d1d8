/** Checks a camera as entered by a person, field by field, and normalises it for storage. */
import type { CameraInput } from '../../../shared/api.js';
import type { FieldError } from '../../../shared/errors.js';
import { formatRtspUrl, parseRtspUrl, type RtspUrl } from './rtsp-url.js';

export interface ValidCamera {
  name: string;
  /** Without credentials. */
  url: string;
  subUrl?: string;
  group?: string;
  username?: string;
  password?: string;
  enabled: boolean;
  recording: boolean;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Returns the normalised camera or one error per faulty field. Credentials may come inline in the URL
 * (rtsp://user:pass@host/...) or in their own fields; either way they are stored apart from the URL.
 */
export function validateCamera(input: CameraInput, otherNames: readonly string[], opts: { passwordKept?: boolean } = {}): { ok: true; camera: ValidCamera } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string, message: string) => errors.push({ field, code: `camera.${field}.${code}`, message });

  const name = input.name.trim();
  if (name === '') fail('name', 'required', 'Give the camera a name operators will recognise.');
  else if (name.length > 100) fail('name', 'too-long', 'The name is longer than 100 characters.');
  else if (CONTROL_CHARS.test(name)) fail('name', 'invalid', 'The name contains control characters.');
  else if (otherNames.some((n) => n.toLowerCase() === name.toLowerCase())) fail('name', 'duplicate', `Another camera is already called “${name}”.`);

  const group = input.group?.trim() ?? '';
  if (group.length > 60) fail('group', 'too-long', 'The site or group is longer than 60 characters.');
  else if (CONTROL_CHARS.test(group)) fail('group', 'invalid', 'The site or group contains control characters.');

  const main = parseRtspUrl(input.url, 'url');
  if (!main.ok) errors.push(...main.errors);

  let sub: RtspUrl | undefined;
  if (input.subUrl !== undefined && input.subUrl.trim() !== '') {
    const parsed = parseRtspUrl(input.subUrl, 'subUrl');
    if (!parsed.ok) errors.push(...parsed.errors);
    else sub = parsed.url;
  }

  const inline = main.ok ? main.url : undefined;
  const fieldUser = input.username?.trim() || undefined;
  const fieldPass = input.password || undefined;
  if (fieldUser && inline?.username && fieldUser !== inline.username) {
    fail('username', 'conflict', 'The address names a different user than the user name field; keep one.');
  }
  const username = fieldUser ?? inline?.username;
  const password = fieldPass ?? inline?.password;
  if (username !== undefined) {
    if (username.length > 128) fail('username', 'too-long', 'The user name is longer than 128 characters.');
    else if (CONTROL_CHARS.test(username) || username.includes(':')) fail('username', 'invalid', 'The user name cannot contain “:” or control characters.');
  }
  if (password !== undefined) {
    if (password.length > 128) fail('password', 'too-long', 'The password is longer than 128 characters.');
    else if (CONTROL_CHARS.test(password)) fail('password', 'invalid', 'The password contains control characters.');
    else if (username === undefined) fail('username', 'required', 'A password needs a user name.');
  } else if (opts.passwordKept && username === undefined) {
    fail('username', 'required', 'A password needs a user name.');
  }
  if (sub?.username && sub.username !== username) {
    fail('subUrl', 'credentials', 'The sub-stream uses the camera’s user name and password; remove the ones in its address.');
  }

  if (errors.length > 0 || !main.ok) return { ok: false, errors };
  const camera: ValidCamera = { name, url: formatRtspUrl(main.url), enabled: input.enabled ?? true, recording: input.recording ?? true };
  if (sub) camera.subUrl = formatRtspUrl(sub);
  if (group) camera.group = group;
  if (username) camera.username = username;
  if (password) camera.password = password;
  return { ok: true, camera };
}

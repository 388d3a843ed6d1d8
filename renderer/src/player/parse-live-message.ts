import type { LiveServerMessage } from '../../../shared/events.js';

/** The LiveServerMessage in a text frame, or null when it is not one (ignored rather than fatal). */
export function parseLiveMessage(text: string): LiveServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Partial<Record<string, unknown>>;
  if (message.type === 'init' && typeof message.codec === 'string' && (message.path === 'copy' || message.path === 'transcode')) {
    return { type: 'init', codec: message.codec, path: message.path };
  }
  if (message.type === 'status' && typeof message.status === 'object' && message.status !== null) {
    return value as LiveServerMessage;
  }
  return null;
}

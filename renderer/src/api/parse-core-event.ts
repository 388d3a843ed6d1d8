import type { CoreEvent } from '../../../shared/events.js';

const EVENT_TYPES: ReadonlySet<string> = new Set<CoreEvent['type']>(['stream.status', 'cameras.changed', 'wall.changed']);

/** The CoreEvent in a WebSocket text message, or null for anything else (unknown types are skipped, not fatal). */
export function parseCoreEvent(text: string): CoreEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return null;
  if (type === 'stream.status' && typeof (value as { status?: unknown }).status !== 'object') return null;
  return value as CoreEvent;
}

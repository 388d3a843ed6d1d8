import type { StreamState } from '../../../shared/events.js';

/** How loud a state is for the operator: live is fine, amber is in progress, red needs a person. */
export type StateTone = 'ok' | 'busy' | 'failed' | 'idle';

const TONES: Record<StreamState, StateTone> = {
  live: 'ok',
  connecting: 'busy',
  reconnecting: 'busy',
  unauthorized: 'failed',
  unreachable: 'failed',
  unsupported: 'failed',
  stopped: 'idle',
};

export function stateTone(state: StreamState): StateTone {
  return TONES[state];
}

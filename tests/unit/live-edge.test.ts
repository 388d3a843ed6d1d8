import { describe, expect, it } from 'vitest';
import { followLiveEdge } from '../../renderer/src/player/live-edge.js';

describe('followLiveEdge', () => {
  it('waits while nothing is buffered', () => {
    expect(followLiveEdge([], 0)).toBeNull();
  });
  it('plays at normal speed near the edge', () => {
    expect(followLiveEdge([[10, 12]], 11.9)).toEqual({ lag: expect.closeTo(0.1, 5), action: { kind: 'rate', rate: 1 } });
  });
  it('plays slightly faster when a little behind', () => {
    expect(followLiveEdge([[10, 12]], 11.5)!.action).toEqual({ kind: 'rate', rate: 1.15 });
  });
  it('jumps close to the edge when far behind', () => {
    expect(followLiveEdge([[10, 14]], 11)!.action).toEqual({ kind: 'seek', to: expect.closeTo(13.8, 5) });
  });
  it('jumps out of a hole (before the first fragment or in a gap) even when the lag is small', () => {
    expect(followLiveEdge([[5.0, 5.3]], 0)!.action).toEqual({ kind: 'seek', to: 5.1 });
    expect(followLiveEdge([[1, 2], [2.5, 2.9]], 2.2)!.action).toEqual({ kind: 'seek', to: expect.closeTo(2.7, 5) });
  });
});

import { describe, expect, it } from 'vitest';
import { StreamFanout, type StreamSink } from '../../electron/core/streams/stream-fanout.js';

class RecordingSink implements StreamSink {
  events: string[] = [];
  queued = 0;
  init(codec: string) {
    this.events.push(`init:${codec}`);
  }
  fragment(bytes: Buffer) {
    this.events.push(bytes.toString());
    this.queued += bytes.length;
  }
  backlog() {
    return this.queued;
  }
  end(reason: string) {
    this.events.push(`end:${reason}`);
  }
}

const frag = (name: string, keyframe: boolean) => ({ bytes: Buffer.from(name), keyframe, sampleCount: 1, decodeTime: 0 });

describe('StreamFanout', () => {
  it('gives a late subscriber the init segment and the GOP since the last keyframe', () => {
    const fan = new StreamFanout();
    fan.setInit('avc1.42c01e', 'copy', Buffer.from('init'));
    for (const f of [frag('K1', true), frag('p1', false), frag('K2', true), frag('p2', false), frag('p3', false)]) fan.push(f);
    const late = new RecordingSink();
    fan.subscribe(late);
    expect(late.events).toEqual(['init:avc1.42c01e', 'K2', 'p2', 'p3']);
  });

  it('starts a subscriber that joined before any keyframe at the next keyframe', () => {
    const fan = new StreamFanout();
    const early = new RecordingSink();
    fan.subscribe(early);
    fan.setInit('avc1.42c01e', 'copy', Buffer.from('init'));
    fan.push(frag('p0', false));
    fan.push(frag('K1', true));
    expect(early.events).toEqual(['init:avc1.42c01e', 'K1']);
  });

  it('caps a slow subscriber: it skips to the next keyframe while a fast one gets everything', () => {
    const fan = new StreamFanout(10);
    fan.setInit('c', 'copy', Buffer.from('i'));
    const slow = new RecordingSink();
    const fast = new RecordingSink();
    fan.subscribe(slow);
    fan.subscribe(fast);
    fast.backlog = () => 0;
    fan.push(frag('K1aaaaaaaa', true)); // 10 bytes: slow is now at its cap
    fan.push(frag('p1aaaaaaaa', false)); // backlog 10 is not above 10: delivered
    fan.push(frag('p2', false)); // backlog 20 > 10: dropped, waits for keyframe
    slow.queued = 0; // the slow client drained its socket
    fan.push(frag('p3', false)); // still waiting for a keyframe
    fan.push(frag('K2', true));
    expect(slow.events).toEqual(['init:c', 'K1aaaaaaaa', 'p1aaaaaaaa', 'K2']);
    expect(fast.events).toEqual(['init:c', 'K1aaaaaaaa', 'p1aaaaaaaa', 'p2', 'p3', 'K2']);
  });

  it('sends a new init to everyone when the upstream restarts, and nothing stale to late joiners after a reset', () => {
    const fan = new StreamFanout();
    const sub = new RecordingSink();
    fan.subscribe(sub);
    fan.setInit('a', 'copy', Buffer.from('i1'));
    fan.push(frag('K1', true));
    fan.reset();
    const late = new RecordingSink();
    fan.subscribe(late);
    expect(late.events).toEqual([]);
    fan.setInit('b', 'transcode', Buffer.from('i2'));
    fan.push(frag('p', false));
    fan.push(frag('K2', true));
    expect(sub.events).toEqual(['init:a', 'K1', 'init:b', 'K2']);
    expect(late.events).toEqual(['init:b', 'K2']);
    fan.endAll('gone');
    expect(sub.events.at(-1)).toBe('end:gone');
    expect(fan.size).toBe(0);
  });
});

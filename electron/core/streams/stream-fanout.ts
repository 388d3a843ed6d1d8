/**
 * One upstream, many subscribers (go2rtc's producer/consumer model). Keeps the init segment and the
 * fragments since the last keyframe, so a late subscriber starts playing at once. A subscriber whose
 * backlog passes the cap stops receiving until the next keyframe, so memory stays bounded and it
 * resumes on a decodable frame.
 */
import type { StreamPath } from '../../../shared/events.js';
import type { MediaFragment } from './fmp4-segmenter.js';
import { GopCache } from './gop-cache.js';

export interface StreamSink {
  init(codec: string, path: StreamPath, bytes: Buffer): void;
  fragment(bytes: Buffer): void;
  /** Bytes handed to this subscriber and not yet delivered (e.g. WebSocket bufferedAmount). */
  backlog(): number;
  /** The stream is gone for good (camera removed); no more data will come. */
  end(reason: string): void;
}

interface Subscriber {
  sink: StreamSink;
  waitingForKeyframe: boolean;
  dropped: number;
}

export const DEFAULT_BACKLOG_CAP = 2 * 1024 * 1024;
/** A GOP bigger than this (a camera with a very long keyframe interval) is not cached in full. */
const MAX_GOP_CACHE_BYTES = 16 * 1024 * 1024;

export class StreamFanout {
  private subscribers = new Set<Subscriber>();
  private initSegment: { codec: string; path: StreamPath; bytes: Buffer } | null = null;
  private readonly gop = new GopCache(MAX_GOP_CACHE_BYTES);

  constructor(private readonly backlogCap = DEFAULT_BACKLOG_CAP) {}

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(sink: StreamSink): () => void {
    const sub: Subscriber = { sink, waitingForKeyframe: false, dropped: 0 };
    this.subscribers.add(sub);
    if (this.initSegment) {
      sink.init(this.initSegment.codec, this.initSegment.path, this.initSegment.bytes);
      for (const bytes of this.gop.fragments()) sink.fragment(bytes);
    } else {
      sub.waitingForKeyframe = true;
    }
    return () => {
      this.subscribers.delete(sub);
    };
  }

  setInit(codec: string, path: StreamPath, bytes: Buffer): void {
    this.initSegment = { codec, path, bytes };
    this.gop.clear();
    for (const sub of this.subscribers) {
      sub.sink.init(codec, path, bytes);
      sub.waitingForKeyframe = true;
    }
  }

  push(fragment: MediaFragment): void {
    if (!this.initSegment) return;
    this.gop.add(fragment.bytes, fragment.keyframe);
    // Nobody watching (a camera that only records): the GOP above is all the work.
    if (this.subscribers.size === 0) return;
    for (const sub of this.subscribers) {
      if (sub.sink.backlog() > this.backlogCap) {
        sub.waitingForKeyframe = true;
        sub.dropped++;
        continue;
      }
      if (sub.waitingForKeyframe && !fragment.keyframe) {
        sub.dropped++;
        continue;
      }
      sub.waitingForKeyframe = false;
      sub.sink.fragment(fragment.bytes);
    }
  }

  /** Ends every subscription, e.g. when the camera is removed. */
  endAll(reason: string): void {
    const subs = [...this.subscribers];
    this.subscribers.clear();
    this.reset();
    for (const sub of subs) sub.sink.end(reason);
  }

  /** The upstream ended: cached media is stale, late subscribers must wait for the next init. */
  reset(): void {
    this.initSegment = null;
    this.gop.clear();
    for (const sub of this.subscribers) sub.waitingForKeyframe = true;
  }
}

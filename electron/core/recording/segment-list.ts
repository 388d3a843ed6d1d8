/** ffmpeg's segment muxer list (`-segment_list_type csv`): one `file,start,end` line per closed segment. */
export interface ListedSegment {
  file: string;
  /** Stream seconds. */
  start: number;
  end: number;
}

export function parseSegmentList(text: string): ListedSegment[] {
  const out: ListedSegment[] = [];
  for (const line of text.split('\n')) {
    const m = /^([\w.-]+\.ts),(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(line.trim());
    if (m) out.push({ file: m[1]!, start: Number(m[2]), end: Number(m[3]) });
  }
  return out;
}

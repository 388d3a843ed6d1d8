/**
 * A site workstation's export sources (docs/design/site-exports.md §1, §4): it keeps no footage, so
 * one export asks every recorder that holds some of its window (the directory's coverage, and the
 * camera's holder now, since coverage lags a round) to vouch for it in a signed custody answer, which
 * site-custody.ts checks against the directory before anything is read. The answers say which
 * segments there are, what proves each, and how to fetch them; the bytes then come from the recorder
 * over `GET /footage/segments/<id>.ts` and are hashed against the answer as ffmpeg reads them
 * (verified-sources.ts). The answers travel in the package, one custody folder per recorder.
 */
import type { IncomingMessage } from 'node:http';
import { WatchroomError } from '../../../shared/errors.js';
import type { CustodySegment } from '../recorders/custody-answer.js';
import { COVERAGE_EVERY_MS, type CoverageTable } from '../recorders/coverage.js';
import type { FetchedCustody, SiteCustody } from '../recorders/site-custody.js';
import { CONTIGUOUS_MS } from '../recording/segment-index.js';
import { ExportCancelled } from './ffmpeg-job.js';
import { segmentKey, type AlsoRecorded, type ExportAbout, type ExportRun, type ExportSources, type ProvenSegment, type SegmentCapture } from './export-sources.js';

export interface SiteExportDeps {
  coverage: Pick<CoverageTable, 'holders'>;
  /** The recorder holding the camera's lease now (null: none). */
  holderOf(cameraId: string): string | null;
  /** The admitted recorders that are up: each is asked too, so coverage rows deleted from the directory hide no footage. */
  liveRecorders(): string[];
  custody: SiteCustody;
  /** One segment's bytes from its recorder (a 200 response), or null if it cannot give them. */
  open(recorderId: string, segmentId: number): Promise<IncomingMessage | 'gone' | null>;
}

export function siteExportSources(deps: SiteExportDeps): ExportSources {
  return {
    async hasFootage(cameraId, fromMs, toMs) {
      return (await deps.coverage.holders(cameraId, fromMs, toMs)).length > 0;
    },
    forExport: (about) => siteRun(deps, about),
  };
}

/**
 * The recorders to ask, each with the export's cameras it may hold footage of: the coverage's holders
 * (one that is down refuses the export), the holder now, and every recorder that is up (an answer
 * with nothing in it costs little, and the coverage is only the directory's word).
 */
async function recordersToAsk(deps: SiteExportDeps, about: ExportAbout): Promise<Map<string, string[]>> {
  const asked = new Map<string, string[]>(deps.liveRecorders().map((id) => [id, [...about.cameraIds]]));
  for (const cameraId of about.cameraIds) {
    const holders = new Set(await deps.coverage.holders(cameraId, about.fromMs, about.toMs));
    // Coverage is reported each round: the holder now may have recorded the last moments unreported.
    const now = deps.holderOf(cameraId);
    if (now && about.toMs > Date.now() - 2 * COVERAGE_EVERY_MS) holders.add(now);
    for (const id of holders) if (!asked.get(id)?.includes(cameraId)) asked.set(id, [...(asked.get(id) ?? []), cameraId]);
  }
  return asked;
}

/** One export's footage: the recorders' answers, asked once, and the segments they vouch for. */
function siteRun(deps: SiteExportDeps, about: ExportAbout): ExportRun {
  let answers: Promise<FetchedCustody[]> | null = null;
  const custody = () =>
    (answers ??= recordersToAsk(deps, about).then((asked) =>
      Promise.all([...asked].map(([recorderId, cameras]) => deps.custody.fetch({ recorderId, packageId: about.packageId, cameras, fromMs: about.fromMs, toMs: about.toMs, forPerson: about.person }, about.signal))),
    ).catch((error: unknown) => Promise.reject(about.signal?.aborted ? new ExportCancelled() : error)));
  const vouched = async () => (await custody()).flatMap((c) => c.answer.segments.map((s) => ({ s, c })));
  // A stretch two recorders both recorded (one cut off from the directory): the earlier-starting copy,
  // as playback shows; the other is declared in the manifest, so no recorder's copy goes unsaid.
  const merged = async (cameraId: string) => {
    const mine = (await vouched()).filter(({ s }) => s.cameraId === cameraId).sort((a, b) => a.s.startMs - b.s.startMs);
    const kept: ProvenSegment[] = [];
    const also: AlsoRecorded[] = [];
    for (const { s, c } of mine) {
      if (!kept.length || s.startMs >= kept.at(-1)!.endMs - CONTIGUOUS_MS) kept.push(asProvenSegment(s, c.answer.recorder.id));
      else also.push({ recorder: c.answer.recorder.id, path: s.path, startUtc: new Date(s.startMs).toISOString(), endUtc: new Date(s.endMs).toISOString(), sha256: s.sha256 });
    }
    return { kept, also };
  };
  return {
    custody,
    takeovers: async (cameraId) => (await custody()).flatMap((c) => c.answer.takeovers.filter((t) => t.subject === cameraId).map((entry) => ({ ledger: c.answer.recorder.id, entry }))),
    segments: async (cameraId) => (await merged(cameraId)).kept,
    alsoRecorded: async (cameraId) => (await merged(cameraId)).also,
    async prove(segments) {
      const byKey = new Map((await vouched()).map(({ s, c }) => [segmentKey({ recorderId: c.answer.recorder.id, path: s.path }), { s, c }]));
      const capture = new Map<string, SegmentCapture>();
      for (const seg of segments) {
        const found = byKey.get(segmentKey(seg));
        if (!found) throw new WatchroomError('export.footage-unproven', `Recorded segment ${seg.path} is not among what recorder ${String(seg.recorderId)} vouched for. It was not exported.`);
        const entry = found.c.answer.captureEntries.find((e) => e.seq === found.s.captureSeq)!;
        const { inclusion, sealedAfterRestart } = found.s;
        capture.set(segmentKey(seg), { entry, ledger: seg.recorderId, sha256: found.s.sha256, inclusion: inclusion && { entrySeq: entry.seq, ...inclusion, ...(sealedAfterRestart ? { sealedAfterRestart } : {}) } });
      }
      return capture;
    },
    async open(segment) {
      const res = await deps.open(segment.recorderId!, segment.id);
      if (res === 'gone') throw new WatchroomError('export.footage-gone', `Recorder ${String(segment.recorderId)} vouched for ${segment.path}, then deleted it before it was copied (its retention). Nothing was exported; export what remains of the window, or ask for the footage to be locked first.`);
      if (!res) throw new WatchroomError('export.recorder-unreachable', `Recorder ${String(segment.recorderId)} vouched for ${segment.path} but did not give its bytes. Nothing was exported; try again when it is back.`);
      return atMost(res, segment.bytes, segment.path);
    },
  };
}

/** A segment of an answer as the export plans it; what the recorder's index alone knows is the recorder's word, as it signed it. */
function asProvenSegment(s: CustodySegment, recorderId: string): ProvenSegment {
  return {
    id: s.id,
    cameraId: s.cameraId,
    runId: s.runId ?? '',
    path: s.path,
    startMs: s.startMs,
    endMs: s.endMs,
    bytes: s.bytes,
    sha256: s.sha256,
    missing: false,
    repaired: s.repaired ?? false,
    ledgerOffset: null,
    proof: s.inclusion,
    captureOpen: false,
    clockOffsetMs: s.clockOffsetMs ?? null,
    recorderId,
  };
}

/** The bytes as they come, refused past the size the recorder vouched for: a recorder cannot feed an export forever. */
async function* atMost(res: IncomingMessage, bytes: number, label: string): AsyncGenerator<Buffer> {
  let seen = 0;
  try {
    for await (const chunk of res) {
      seen += (chunk as Buffer).length;
      if (seen > bytes) throw new WatchroomError('export.footage-changed', `Recorded segment ${label} is longer than the ${bytes} bytes its recorder vouched for. Nothing was exported.`);
      yield chunk as Buffer;
    }
  } finally {
    res.destroy();
  }
}

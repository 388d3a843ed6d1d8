/**
 * Recorded footage for players: HLS playlists over a camera's segments in a window (each playlist
 * served is a viewing in the ledger, in the name of the person whose link it was, under their
 * playback session or as instant replay: looking-back.ts decides how far back it may reach), and the segments
 * themselves, re-encoded on the fly where the browser cannot decode them.
 */
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { fieldSentence } from '../../../shared/field-sentences.js';
import { playlistQuerySchema } from '../../../shared/schemas.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { CameraRegistry } from '../cameras/camera-registry.js';
import type { MediaRoute } from '../feature-module.js';
import { sendFile, sendJson, sendText } from '../http-reply.js';
import type { Logger } from '../logger.js';
import { hlsPlaylist } from './hls-playlist.js';
import { needsPlaybackTranscode, transcodeSegment } from './playback-transcode.js';
import type { SegmentIndex, TimeRange } from './segment-index.js';
import { segmentFile } from './segment-file.js';
import type { SiteFootage } from '../recorders/site-footage.js';
import { viewingParam, type LookingBack } from './looking-back.js';
import { MEDIA_LINK_MS } from '../people/sessions.js';

/**
 * `siteFootage`: a site's workstation, which has no footage of its own: playlists list the recorders'
 * segments, and each is fetched from its recorder when the player asks (/media/site-segments/…).
 */
export function recordingMediaRoutes({ root, index, registry, ledger, lookingBack, logger, siteFootage }: { root: string; index: SegmentIndex; registry: CameraRegistry; ledger: AuditLedger; lookingBack: LookingBack; logger: Logger; siteFootage?: SiteFootage | undefined }): MediaRoute[] {
  /** The window's segments and the media path each is played from, naming the playback session (none: instant replay). */
  const segmentsOf = async (cameraId: string, fromMs: number, toMs: number, viewingId: string | null): Promise<Array<TimeRange & { path: string }>> => {
    const query = (params: Record<string, string>) => {
      const text = new URLSearchParams({ ...params, ...(viewingId ? { viewing: viewingId } : {}) }).toString();
      return text && `?${text}`;
    };
    return siteFootage
      ? (await siteFootage.segments(cameraId, fromMs, toMs)).map((s) => ({ ...s, path: `/media/site-segments/${encodeURIComponent(s.recorderId)}/${s.id}.ts${query({ endMs: String(s.endMs) })}` }))
      : index.segments(cameraId, fromMs, toMs).map((s) => ({ ...s, path: `/media/segments/${s.id}.ts${query({})}` }));
  };
  return [
    {
      // /media/site-segments/<recorder>/<id>.ts?endMs=[&viewing=]: a recorder's segment, fetched for the player (a site's workstation).
      pattern: /^\/media\/site-segments\/([a-z0-9-]{1,63})\/(\d{1,15})\.ts$/,
      async serve({ url, res, person }, match) {
        const endMs = Number(url.searchParams.get('endMs'));
        if (!siteFootage || !Number.isSafeInteger(endMs)) return sendText(res, 404, 'No such recorded segment.');
        const viewing = viewingParam(url);
        const allowed = viewing === undefined ? null : lookingBack.check(person, viewing, endMs, endMs);
        if (!allowed?.ok) return sendText(res, 403, allowed?.message ?? 'The playback named in this link is not one Watchroom gave.');
        const upstream = await siteFootage.open(match[1]!, Number(match[2]));
        if (upstream === 'gone') return sendText(res, 404, 'The recorder no longer holds this segment (its retention deleted it).');
        if (!upstream) return sendText(res, 502, 'The recorder holding this segment cannot be reached now.');
        res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private, max-age=3600', ...(upstream.headers['content-length'] ? { 'Content-Length': upstream.headers['content-length'] } : {}) });
        res.on('close', () => upstream.destroy());
        upstream.pipe(res);
      },
    },
    {
      // /media/segments/<id>.ts[?viewing=<playback session>]: the links a playlist gives, which name its session.
      pattern: /^\/media\/segments\/(\d{1,15})\.ts$/,
      serve({ url, res, person }, match) {
        const found = segmentFile(index, root, Number(match[1]));
        if (!found) return sendText(res, 404, 'No such recorded segment.');
        const { row, file } = found;
        // Any session can have a segment's path signed: the segment's age decides as for a playlist.
        const viewing = viewingParam(url);
        const allowed = viewing === undefined ? null : lookingBack.check(person, viewing, row.endMs, row.endMs);
        if (!allowed?.ok) return sendText(res, 403, allowed?.message ?? 'The playback named in this link is not one Watchroom gave.');
        if (needsPlaybackTranscode(file)) return serveTranscoded(file, res, logger);
        sendFile(res, file, logger, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private, max-age=3600' });
      },
    },
    {
      // /media/<camera>/recording.m3u8?fromMs=&toMs=[&startMs=][&open=1][&viewing=<playback session>]
      pattern: /^\/media\/([^/]+)\/recording\.m3u8$/,
      async serve({ url, res, person, sign }, match) {
        const q = url.searchParams;
        const parsed = playlistQuerySchema.safeParse({
          cameraId: decodeURIComponent(match[1]!),
          fromMs: Number(q.get('fromMs')),
          toMs: Number(q.get('toMs')),
          ...(q.has('startMs') ? { startMs: Number(q.get('startMs')) } : {}),
        }, { error: fieldSentence });
        if (!parsed.success) return sendJson(res, 400, { error: { code: 'media.invalid-range', message: parsed.error.issues[0]?.message ?? 'Choose a time range that runs forwards.' } });
        const { cameraId, toMs, startMs } = parsed.data;
        let name: string;
        try {
          name = registry.get(cameraId).name;
        } catch (error) {
          return sendText(res, 404, (error as Error).message);
        }
        const viewing = viewingParam(url);
        if (viewing === undefined) return sendText(res, 400, 'The playback named in this link is not one Watchroom gave.');
        const allowed = lookingBack.check(person, viewing, parsed.data.fromMs, startMs ?? parsed.data.fromMs);
        if (!allowed.ok) return sendJson(res, 403, { error: { code: 'playback.reason-required', message: allowed.message } });
        const fromMs = allowed.fromMs; // instant replay reaches back only so far
        ledger.append({ name: person.name, role: person.role }, 'recording.view', cameraId, { name, fromMs, toMs, ...(allowed.viewingId ? { viewingId: allowed.viewingId } : { instantReplay: true }) });
        // A player fetches the segments as it plays: their links last as long as the window, and then some.
        const validMs = MEDIA_LINK_MS + (toMs - fromMs);
        const segments = await segmentsOf(cameraId, fromMs, toMs, allowed.viewingId);
        const text = hlsPlaylist(segments, { uri: (s) => sign(s.path, validMs), open: q.get('open') === '1', startMs });
        res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-store' });
        res.end(text);
      },
    },
  ];
}

/** A segment the browser cannot decode, re-encoded while it is sent; the encode stops if the viewer leaves. */
function serveTranscoded(file: string, res: ServerResponse, logger: Logger): void {
  const { output, stop, failed } = transcodeSegment(file);
  res.on('close', stop);
  let started = false;
  output.once('data', () => {
    started = true;
    res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Cache-Control': 'private, max-age=3600', 'X-Watchroom-Transcoded': 'h264' });
  });
  output.pipe(res, { end: false });
  void failed.then((problem) => {
    if (problem) logger.log('warn', 'playback.transcode-failed', { file: basename(file), problem });
    if (!started && !res.headersSent) return sendText(res, 422, 'This recorded segment could not be converted for playback.');
    res.end();
  });
}

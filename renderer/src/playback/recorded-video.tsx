/** A camera's recording from a wall-clock time, through video.js; `open` keeps following the recording towards live. */
import { useEffect, useRef, useState } from 'react';
import { api, mediaUrl } from '../api/client';
import { MaskOverlay } from '../masks/mask-overlay';
import { RecordedPlayer } from './recorded-player';
import { useViewingId, withViewing } from './viewing';
import 'video.js/dist/video-js.css';
import './recorded-video.css';

interface RecordedVideoProps {
  cameraId: string;
  /** Where playback starts, ms since epoch. */
  startAtMs: number;
  /** The recording keeps growing (instant replay): reload ranges as new segments close. */
  open: boolean;
  /** Hands the player to the owner (playback controls, sync), and null when it goes. */
  onPlayer?: (player: RecordedPlayer | null) => void;
  /** Held still (playback's Pause): a player that loads while paused does not start. */
  paused?: boolean;
  /** Playback speed, also for a player that loads later. */
  rate?: number;
  /** Instant replay: start as far behind now as `startAtMs` was when asked, however long loading takes. */
  keepBehindNow?: boolean;
}

/** The playlist covers this much either side of the start; seeks beyond it need a new player. */
export const PLAYLIST_SPAN_MS = 60 * 60_000;

export function RecordedVideo({ cameraId, startAtMs, open, onPlayer, paused = false, rate = 1, keepBehindNow = false }: RecordedVideoProps) {
  const holder = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  /** The player once its recording is found: Pause or a speed chosen while it loads applies to it too. */
  const [loaded, setLoaded] = useState<RecordedPlayer | null>(null);
  /** Playback's session (looking back needs one); none on the wall's instant replay. */
  const viewingId = useViewingId();
  /** The video element video.js plays into, for the privacy masks to follow. */
  const [element, setElement] = useState<HTMLVideoElement | null>(null);

  useEffect(() => {
    let disposed = false;
    let player: RecordedPlayer | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    const behindMs = Date.now() - startAtMs;
    const fromMs = startAtMs - PLAYLIST_SPAN_MS;
    const toMs = startAtMs + PLAYLIST_SPAN_MS;
    const video = document.createElement('video');
    video.className = 'video-js recorded-video';
    video.dataset.testid = 'recorded-video';
    video.muted = true;
    video.playsInline = true;
    holder.current?.append(video);
    setElement(video);
    void (async () => {
      try {
        const ranges = await api.listRecordings({ cameraId, fromMs, toMs });
        if (disposed) return;
        if (ranges.length === 0) return setProblem('Nothing was recorded around this time.');
        const src = await mediaUrl(withViewing(`/media/${encodeURIComponent(cameraId)}/recording.m3u8?fromMs=${fromMs}&toMs=${toMs}&startMs=${startAtMs}${open ? '&open=1' : ''}`, viewingId));
        if (disposed) return;
        player = new RecordedPlayer(video, src, ranges, keepBehindNow ? () => Date.now() - behindMs : startAtMs);
        setLoaded(player);
        onPlayer?.(player);
        timer = setInterval(async () => {
          const wall = player?.wallMs();
          // The wall-clock time on screen, for people (the clock) and tests.
          if (wall != null) holder.current?.setAttribute('data-wall-ms', String(Math.round(wall)));
          if (open) player?.setRanges(await api.listRecordings({ cameraId, fromMs, toMs }));
        }, 500);
      } catch (error) {
        if (!disposed) setProblem(error instanceof Error ? error.message : String(error));
      }
    })();
    return () => {
      disposed = true;
      clearInterval(timer);
      setLoaded(null);
      setElement(null);
      onPlayer?.(null);
      if (player) player.dispose();
      else video.remove();
    };
    // onPlayer is a callback prop; a new one must not restart playback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cameraId, startAtMs, open, viewingId]);

  useEffect(() => {
    if (paused) loaded?.pause();
    else loaded?.play();
  }, [loaded, paused]);
  useEffect(() => loaded?.setRate(rate), [loaded, rate]);

  return (
    <div ref={holder} className="recorded-holder" data-testid="recorded-holder">
      <MaskOverlay cameraId={cameraId} video={element} />
      {problem && (
        <p className="recorded-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

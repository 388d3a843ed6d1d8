import { useEffect, useEffectEvent, useState, type RefObject } from 'react';
import type { StreamStatus, StreamVariant } from '../../../shared/events.js';
import { liveSocket } from '../api/client';
import { LivePlayer } from './live-player';

export interface LivePlayerView {
  /** Why this display cannot show the stream, if it cannot. */
  problem: string | null;
  /** The live socket dropped and is being reopened; the picture is frozen meanwhile. */
  linkLost: boolean;
}

/** Runs a LivePlayer on the referenced <video> for as long as the camera and stream stay the same. */
export function useLivePlayer(video: RefObject<HTMLVideoElement | null>, cameraId: string, stream: StreamVariant, onStatus?: (status: StreamStatus) => void): LivePlayerView {
  const [problem, setProblem] = useState<string | null>(null);
  const [linkLost, setLinkLost] = useState(false);
  // A new callback on each render must not restart the stream.
  const reportStatus = useEffectEvent((status: StreamStatus) => onStatus?.(status));

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    setProblem(null);
    setLinkLost(false);
    const player = new LivePlayer(element, () => liveSocket(cameraId, stream), {
      status: (status) => reportStatus(status),
      problem: setProblem,
      linkUp: (up) => setLinkLost(!up),
    });
    player.start();
    return () => player.destroy();
  }, [video, cameraId, stream]);

  return { problem, linkLost };
}

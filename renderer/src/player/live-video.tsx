import { useEffect, useEffectEvent, useRef } from 'react';
import type { StreamStatus } from '../../../shared/events.js';
import { useLivePlayer } from './use-live-player';
import './live-video.css';

interface LiveVideoProps {
  cameraId: string;
  onStatus?: (status: StreamStatus) => void;
  /** Tells the owner when the live socket drops and comes back, so its badge can say so. */
  onLinkLost?: (lost: boolean) => void;
}

/** A camera's live picture, filling its container. */
export function LiveVideo({ cameraId, onStatus, onLinkLost }: LiveVideoProps) {
  const video = useRef<HTMLVideoElement>(null);
  const { problem, linkLost } = useLivePlayer(video, cameraId, onStatus);
  const reportLink = useEffectEvent((lost: boolean) => onLinkLost?.(lost));
  useEffect(() => reportLink(linkLost), [linkLost]);

  return (
    <>
      <video ref={video} className="live-video" data-testid="tile-video" muted autoPlay playsInline disablePictureInPicture />
      {problem && (
        <p className="live-video-problem" data-testid="tile-player-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { StreamStatus, StreamVariant } from '../../../shared/events.js';
import { MaskOverlay } from '../masks/mask-overlay';
import { useLivePlayer } from './use-live-player';
import './live-video.css';

interface LiveVideoProps {
  cameraId: string;
  stream: StreamVariant;
  /** Playing underneath the picture on screen until it can take over (see wall-tile's stream switch). */
  pending?: boolean;
  onStatus?: (status: StreamStatus) => void;
  /** Tells the owner when the live socket drops and comes back, so its badge can say so. */
  onLinkLost?: (lost: boolean) => void;
  /** The first frames play. */
  onPlaying?: () => void;
}

/** One of a camera's live streams, filling its container. */
export function LiveVideo({ cameraId, stream, pending = false, onStatus, onLinkLost, onPlaying }: LiveVideoProps) {
  const video = useRef<HTMLVideoElement>(null);
  const { problem, linkLost } = useLivePlayer(video, cameraId, stream, onStatus);
  const reportLink = useEffectEvent((lost: boolean) => onLinkLost?.(lost));
  useEffect(() => reportLink(linkLost), [linkLost]);
  // The element itself (not only the ref), so the privacy masks can follow its size once it exists.
  const [element, setElement] = useState<HTMLVideoElement | null>(null);
  useEffect(() => setElement(video.current), []);

  return (
    <>
      <video
        ref={video}
        className={pending ? 'live-video live-video-pending' : 'live-video'}
        data-testid={pending ? 'tile-video-pending' : 'tile-video'}
        data-stream={stream}
        muted
        autoPlay
        playsInline
        disablePictureInPicture
        onPlaying={onPlaying}
      />
      {!pending && <MaskOverlay cameraId={cameraId} video={element} />}
      {problem && !pending && (
        <p className="live-video-problem" data-testid="tile-player-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

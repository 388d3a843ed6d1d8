/**
 * A camera's privacy masks drawn over its video: opaque polygons over the picture itself, not the
 * element (object-fit: contain letterboxes it), placed by the browser's own layout in the same frame
 * as the picture, and following every change of the stream's size (main to sub-stream, a new init).
 * To the person holding a lift it shows instead a badge saying until when the masks are lifted;
 * until the masks are known, it covers the picture.
 */
import { useEffect, useState } from 'react';
import { MASK_FILL } from '../../../shared/masks.js';
import { formatLocalTime } from '../lib/format-time';
import { useCameraMasks } from './masks-store';
import './mask-overlay.css';

/** The stream's picture size (null while unknown), kept current: 'resize' fires when it changes (a new init, the sub-stream). */
function usePictureSize(video: HTMLVideoElement | null): { width: number; height: number } | null {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    if (!video) return;
    const measure = () => setSize(video.videoWidth && video.videoHeight ? { width: video.videoWidth, height: video.videoHeight } : null);
    measure();
    for (const type of ['loadedmetadata', 'resize', 'emptied']) video.addEventListener(type, measure);
    return () => {
      for (const type of ['loadedmetadata', 'resize', 'emptied']) video.removeEventListener(type, measure);
    };
  }, [video]);
  return size;
}

export function MaskOverlay({ cameraId, video }: { cameraId: string; video: HTMLVideoElement | null }) {
  const masks = useCameraMasks(cameraId);
  const size = usePictureSize(video);
  if (!video) return null;
  // Not known yet: the whole picture is covered until they are (a moment at start).
  if (masks === undefined) return <div className="mask-overlay mask-pending" data-testid="mask-pending" />;
  if (!masks || masks.polygons.length === 0) return null;
  if (masks.lift) {
    return (
      <p className="mask-lifted" data-testid="mask-lifted" role="status">
        Mask lifted until {formatLocalTime(masks.lift.untilMs, false).slice(0, 5)}
      </p>
    );
  }
  // The SVG covers the element as the video does, and the browser fits its viewBox (the picture's own
  // size) exactly as object-fit: contain fits the picture: the masks are laid out in the same frame as
  // the picture, however busy the page. No size yet (no picture either): they span the element.
  const { width, height } = size ?? { width: 1, height: 1 };
  return (
    <svg
      className="mask-overlay"
      data-testid="mask-overlay"
      data-mask-version={masks.version}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio={size ? 'xMidYMid meet' : 'none'}
      aria-hidden="true"
    >
      {masks.polygons.map((polygon, i) => (
        <polygon key={i} points={polygon.map(([x, y]) => `${x * width},${y * height}`).join(' ')} fill={MASK_FILL} />
      ))}
    </svg>
  );
}

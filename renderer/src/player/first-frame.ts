/**
 * Calls `onFrame` once, when the video first presents a picture: requestVideoFrameCallback where the
 * browser has it, `loadeddata` otherwise (whichever comes first). Returns a cancel function.
 */
export function onFirstFrame(video: HTMLVideoElement, onFrame: () => void): () => void {
  let done = false;
  const fire = () => {
    if (done) return;
    cancel();
    onFrame();
  };
  const frameRequest = 'requestVideoFrameCallback' in video ? video.requestVideoFrameCallback(fire) : undefined;
  video.addEventListener('loadeddata', fire);
  const cancel = () => {
    done = true;
    video.removeEventListener('loadeddata', fire);
    if (frameRequest !== undefined) video.cancelVideoFrameCallback(frameRequest);
  };
  return cancel;
}

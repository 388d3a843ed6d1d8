/**
 * Full-screen wall: toolbar and camera list out of the way (they come back while the pointer is at the
 * top or left edge), and the window full screen where the platform allows it. F11 or the toolbar's
 * button toggles it; leaving the platform's full screen (Esc) leaves the mode too.
 */
import { useCallback, useEffect, useState } from 'react';
import { typingInField } from '../lib/typing-in-field';

export function useFullScreenWall(): { fullScreen: boolean; toggle(): void } {
  const [fullScreen, setFullScreen] = useState(false);

  const toggle = useCallback(() => setFullScreen((on) => !on), []);

  useEffect(() => {
    // The window's own full screen is a bonus: the mode works without it (a refused request, a kiosk).
    if (fullScreen && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => undefined);
    if (!fullScreen && document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
  }, [fullScreen]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'F11' || typingInField(event.target)) return;
      event.preventDefault();
      toggle();
    };
    // Esc ends the browser's full screen without a keydown reaching the page: follow it.
    const onChange = () => !document.fullscreenElement && setFullScreen(false);
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onChange);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onChange);
    };
  }, [toggle]);

  return { fullScreen, toggle };
}

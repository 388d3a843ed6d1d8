/**
 * Opens a wall in a window of its own (browser shell). Where the browser offers the Window Management
 * API and the operator allows it, the window goes full-size onto a screen other than this one;
 * otherwise it opens beside this window and the operator drags it there.
 */
interface ScreenDetailed {
  availLeft: number;
  availTop: number;
  availWidth: number;
  availHeight: number;
}
interface ScreenDetails {
  screens: ScreenDetailed[];
  currentScreen: ScreenDetailed;
}

async function otherScreen(): Promise<ScreenDetailed | null> {
  const get = (window as unknown as { getScreenDetails?: () => Promise<ScreenDetails> }).getScreenDetails;
  if (!get) return null;
  try {
    const details = await get.call(window);
    return details.screens.find((s) => s !== details.currentScreen) ?? null;
  } catch {
    return null; // permission refused: open where the browser likes
  }
}

export async function openWallWindow(wallId: string): Promise<void> {
  const screen = await otherScreen();
  const placement = screen ? `left=${screen.availLeft},top=${screen.availTop},width=${screen.availWidth},height=${screen.availHeight}` : 'width=1280,height=800';
  window.open(`${location.pathname}?wall=${encodeURIComponent(wallId)}`, `watchroom-${wallId}`, `popup,${placement}`);
}

/**
 * Opens a wall in a window of its own (browser shell). Where the browser offers the Window Management
 * API and the operator allows it, the window goes full-size onto a screen other than this one;
 * otherwise it opens beside this window and the operator drags it there. A wall that is closed
 * takes its window with it: the window closes itself when it learns its wall is gone (wall-closed.tsx),
 * and the window that opened it closes it too, in case it does not hear.
 */
import { THIS_WALL } from './this-wall';
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

/** The wall windows this page opened, to close when their wall is closed. */
const opened = new Map<string, Window>();

export async function openWallWindow(wallId: string): Promise<void> {
  const screen = await otherScreen();
  const placement = screen ? `left=${screen.availLeft},top=${screen.availTop},width=${screen.availWidth},height=${screen.availHeight}` : 'width=1280,height=800';
  const opening = window.open(`${location.pathname}?wall=${encodeURIComponent(wallId)}`, `watchroom-${wallId}`, `popup,${placement}`);
  if (opening) opened.set(wallId, opening);
}

/**
 * Closes the window of a wall that was closed: this one, or one this page opened. A browser lets a
 * page close only a window a page opened; any other stays open (wall-closed.tsx then says why).
 */
export function closeWallWindow(wallId: string): void {
  if (wallId === THIS_WALL) return window.close();
  opened.get(wallId)?.close();
  opened.delete(wallId);
}

/**
 * The browser shell's session token, kept in this page's memory only: no cookie (a cookie for
 * 127.0.0.1 reaches every other port of it) and no storage another page could read. A wall window
 * this page opens asks its opener for the token over postMessage, same origin only.
 * (In Electron the main process holds the session; this stays null.)
 */
let token: string | null = null;

export const sessionToken = () => token;

export function setSessionToken(next: string | null): void {
  token = next;
}

const ASK = 'watchroom.session-request';
const GIVE = 'watchroom.session';

/** Answers this page's own wall windows. */
export function shareSessionWithWallWindows(): void {
  window.addEventListener('message', (event) => {
    if (event.origin !== location.origin || (event.data as { type?: unknown })?.type !== ASK || !token) return;
    (event.source as Window | null)?.postMessage({ type: GIVE, token }, location.origin);
  });
}

/** The opener's session, if this page is a wall window another Watchroom page opened (null after a moment otherwise). */
export function sessionFromOpener(): Promise<string | null> {
  const opener = window.opener as Window | null;
  if (!opener) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), 2_000);
    const done = (value: string | null) => {
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(value);
    };
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; token?: unknown };
      if (event.origin === location.origin && event.source === opener && data?.type === GIVE && typeof data.token === 'string') done(data.token);
    };
    window.addEventListener('message', onMessage);
    opener.postMessage({ type: ASK }, location.origin);
  });
}

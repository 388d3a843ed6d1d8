/**
 * Recorded media (playlists, segments, thumbnails) are fetched by elements that send no headers, so
 * they come through links signed for one session (people/sessions.ts). This finds the feature's
 * route for a path, checks the link, and lets the route answer in that person's name.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaRoute } from './feature-module.js';
import { sendText } from './http-reply.js';
import type { Logger } from './logger.js';
import type { Sessions } from './people/sessions.js';

/** Answers one GET under /media/; false when no route has the path. */
export type ServeMedia = (url: URL, req: IncomingMessage, res: ServerResponse) => boolean;

export function signedMedia(routes: readonly MediaRoute[], sessions: Sessions, logger: Logger): ServeMedia {
  return (url, req, res) => {
    const found = routes.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).find((m) => m.match);
    if (!found) return false;
    const signed = sessions.mediaSession(url);
    if (!signed) {
      sendText(res, 401, 'This media link has expired or was not made for a signed-in session. Reopen it from Watchroom.');
      return true;
    }
    const sign = (path: string, validMs?: number) => sessions.signMedia(signed.token, path, validMs) ?? path;
    // What is still being sent stops when its session ends (sign-out, password reset, account disabled), as live video does.
    res.on('close', sessions.onEnd(signed.token, () => res.destroy()));
    void Promise.resolve(found.route.serve({ url, person: signed.person, sign, req, res }, found.match!)).catch((error: unknown) => {
      logger.log('error', 'media.failed', { path: url.pathname, error: String(error) });
      if (!res.headersSent) sendText(res, 500, 'Watchroom could not serve this media.');
      else res.destroy();
    });
    return true;
  };
}

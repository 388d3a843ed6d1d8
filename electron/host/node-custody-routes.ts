/**
 * A recorder's custody door on its node server (docs/design/site-exports.md §8), for workstations
 * only: GET /custody?packageId&cameras=a,b&fromMs&toMs&for=NAME answers with the signed custody
 * answer (its signature, base64 DER, in x-watchroom-signature); GET /custody/chain?fromSeq&toSeq
 * streams the ledger's lines between a capture entry and its checkpoint.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { httpStatus, WatchroomError } from '../../shared/errors.js';
import { cameraIdSchema } from '../../shared/schemas.js';
import { sendText } from '../core/http-reply.js';
import type { Logger } from '../core/logger.js';
import type { CustodyDoor } from '../core/recorders/custody-door.js';
import { CUSTODY_SIGNATURE_HEADER } from '../core/recorders/site-custody.js';


/** The door, and who may use it: only the site's admitted workstations export. */
export interface CustodySource {
  door: CustodyDoor;
  isWorkstation(nodeId: string): boolean;
  logger: Logger;
}

const int = z.coerce.number().int().nonnegative().max(8.64e15);
const answerQuery = z
  .object({
    packageId: z.string().uuid(),
    cameras: z.string().transform((s) => s.split(',')).pipe(z.array(cameraIdSchema).min(1).max(64)),
    fromMs: int,
    toMs: int,
    for: z.string().min(1).max(200),
  })
  .refine((q) => q.toMs > q.fromMs && q.toMs - q.fromMs <= 7 * 86_400_000, 'The window is forwards, and a week at most.');
const chainQuery = z.object({ fromSeq: int, toSeq: int });

const refuse = (res: ServerResponse, error: unknown, logger: Logger) => {
  if (error instanceof WatchroomError) return sendText(res, httpStatus(error.code), `${error.code}: ${error.message}`);
  logger.log('error', 'custody: a request failed', { error: String(error) });
  sendText(res, 500, 'The recorder could not answer.');
};

/** Answers /custody and /custody/chain; false when the path is neither. */
export function serveCustody(source: CustodySource, nodeId: string, url: URL, res: ServerResponse): boolean {
  if (url.pathname !== '/custody' && url.pathname !== '/custody/chain') return false;
  if (!source.isWorkstation(nodeId)) {
    sendText(res, 403, 'Only a workstation of the site exports footage.');
    return true;
  }
  const params = Object.fromEntries(url.searchParams);
  if (url.pathname === '/custody') {
    const q = answerQuery.safeParse(params);
    if (!q.success) return (sendText(res, 400, 'Malformed custody request.'), true);
    source.door.answer(nodeId, { packageId: q.data.packageId, cameras: q.data.cameras, fromMs: q.data.fromMs, toMs: q.data.toMs, forPerson: q.data.for }).then(
      ({ body, signature }) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, [CUSTODY_SIGNATURE_HEADER]: signature.toString('base64') });
        res.end(body);
      },
      (error: unknown) => refuse(res, error, source.logger),
    );
    return true;
  }
  const q = chainQuery.safeParse(params);
  if (!q.success) return (sendText(res, 400, 'Malformed chain request.'), true);
  void streamChain(source, q.data, res);
  return true;
}

async function streamChain(source: CustodySource, q: z.infer<typeof chainQuery>, res: ServerResponse): Promise<void> {
  try {
    const lines = source.door.chain(q.fromSeq, q.toSeq);
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    for await (const line of lines) if (!res.write(`${line}\n`)) await new Promise((resolve) => res.once('drain', resolve));
    res.end();
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    refuse(res, error, source.logger);
  }
}

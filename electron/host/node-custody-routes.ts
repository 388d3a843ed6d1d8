/**
 * A recorder's evidence doors on its node server (docs/design/site-exports.md §8), for workstations
 * only: GET /custody?packageId&cameras=a,b&fromMs&toMs&for=NAME answers with the signed custody
 * answer (its signature, base64 DER, in x-watchroom-signature); GET /custody/chain?fromSeq&toSeq
 * streams the ledger's lines between a capture entry and its checkpoint. A masked camera's withheld
 * master comes back to it: PUT /evidence-store/<package>/master/<name>.mp4 (the body's SHA-256 in
 * x-watchroom-body-sha256, which the token is signed for) answers a signed receipt; POST
 * /evidence-store/<package>/seal?sumsSha256=… keeps what was sent, POST …/discard drops it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { httpStatus, WatchroomError } from '../../shared/errors.js';
import { cameraIdSchema } from '../../shared/schemas.js';
import { sendText } from '../core/http-reply.js';
import type { Logger } from '../core/logger.js';
import type { CustodyDoor } from '../core/recorders/custody-door.js';
import { CUSTODY_SIGNATURE_HEADER } from '../core/recorders/site-custody.js';
import type { KeptMasters } from '../core/recorders/kept-masters.js';
import { BODY_SHA256_HEADER } from '../core/recorders/node-signature.js';


/** The door, and who may use it: only the site's admitted workstations export. */
export interface CustodySource {
  door: CustodyDoor;
  masters: KeptMasters;
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
/** How long an upload may go without a byte (the sender's own idle limit is 60 s: site-masters.ts). */
const UPLOAD_IDLE_MS = 90_000;

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

/**
 * Answers /evidence-store/…; false when the path is not one of its. `waitsToSend`: the sender asked for
 * 100 Continue (node-server.ts), given once its upload is accepted; `idleMs`: how long an upload may be silent.
 */
export function serveMasters(source: CustodySource, nodeId: string, call: { req: IncomingMessage; res: ServerResponse; waitsToSend: boolean; idleMs?: number | undefined }, url: URL): boolean {
  const { req, res, waitsToSend, idleMs = UPLOAD_IDLE_MS } = call;
  const m = /^\/evidence-store\/([0-9a-f-]{36})\/(master\/[^/]+|seal|discard)$/.exec(url.pathname);
  if (!m) return false;
  if (!source.isWorkstation(nodeId)) return (sendText(res, 403, 'Only a workstation of the site exports footage.'), true);
  const [, packageId, what] = m as unknown as [string, string, string];
  const answered = (work: () => Promise<{ status: number; body: Buffer | string; signature?: Buffer }>) =>
    void work().then(
      ({ status, body, signature }) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...(signature ? { [CUSTODY_SIGNATURE_HEADER]: signature.toString('base64') } : {}) });
        res.end(body);
      },
      (error: unknown) => refuse(res, error, source.logger),
    );
  if (req.method === 'PUT' && what.startsWith('master/')) {
    const declared = { sha256: String(req.headers[BODY_SHA256_HEADER] ?? ''), bytes: Number(req.headers['content-length'] ?? NaN) };
    // A sender that waits for 100 Continue (site-masters.ts does) is told a refusal before it sends a byte.
    const accepted = () => void (waitsToSend && res.writeContinue());
    // A sender that goes quiet mid-upload (or after its 100 Continue) is cut: its claim, its share of the
    // reserve and its place among the uploads a seal waits for are given back.
    req.setTimeout(idleMs, () => req.destroy(new Error(`no byte of the master for ${idleMs / 1000} s`)));
    answered(async () => ({ status: 201, ...(await source.masters.receive(nodeId, packageId, what, declared, req, accepted)) }));
  } else if (req.method === 'POST' && what === 'seal') {
    answered(async () => ({ status: 200, body: JSON.stringify(source.masters.seal(nodeId, packageId, url.searchParams.get('sumsSha256') ?? '')) }));
  } else if (req.method === 'POST' && what === 'discard') {
    answered(async () => ({ status: 200, body: JSON.stringify(source.masters.discard(nodeId, packageId)) }));
  } else sendText(res, 405, 'Not a method of the evidence store.');
  return true;
}

/**
 * A site process's TLS certificate, issued by its admitted signing key for a TLS key of its own, and
 * the client that talks only to a peer showing one: a real HTTPS server on loopback, real OpenSSL.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Agent, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { issuedBy, issueNodeCertificate, NotTheAdmittedProcess, pinnedAgent } from '../../electron/core/recorders/node-certificate.js';

const root = mkdtempSync(join(tmpdir(), 'watchroom-node-cert-'));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(root, { recursive: true, force: true });
});

const admitted = loadOrCreateSigningKey(join(root, 'admitted'));
const stranger = loadOrCreateSigningKey(join(root, 'stranger'));
const tlsKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** An HTTPS server on loopback showing `cert` for `key`; its port. */
async function serve(cert: string, key: ReturnType<typeof tlsKey>['privateKey']): Promise<number> {
  const server = createServer({ cert, key: key.export({ type: 'pkcs8', format: 'pem' }) }, (req, res) => res.end(`token ${String(req.headers['x-token'])}`));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** What a GET through `agent` came back with: the body, or the error. */
const fetchThrough = (port: number, agent: Agent) =>
  new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent, headers: { 'x-token': 'secret' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });

describe('a site process’s certificate', () => {
  it('is X.509 that OpenSSL reads and Node verifies by the signing key that issued it, not by another', () => {
    const { publicKey } = tlsKey();
    const pem = issueNodeCertificate(admitted, publicKey, 'rec-1');
    const file = join(root, 'rec-1.pem');
    writeFileSync(file, pem);
    const text = execFileSync('openssl', ['x509', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toContain('Version: 3');
    expect(text).toContain('ecdsa-with-SHA256');
    expect(text).toContain('CN = watchroom-rec-1');
    const cert = new X509Certificate(pem);
    expect(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(issuedBy(cert, admitted.publicKeyPem)).toBe(true);
    expect(issuedBy(cert, stranger.publicKeyPem)).toBe(false);
    // Out of its dates: a certificate made as if eleven years ago.
    expect(issuedBy(new X509Certificate(issueNodeCertificate(admitted, publicKey, 'rec-1', Date.now() - 11 * 365 * 86_400_000)), admitted.publicKeyPem)).toBe(false);
  });
});

describe('a client pinned to the admitted key', () => {
  it('talks to the process whose certificate that key issued', async () => {
    const { publicKey, privateKey } = tlsKey();
    const port = await serve(issueNodeCertificate(admitted, publicKey, 'rec-1'), privateKey);
    expect(await fetchThrough(port, pinnedAgent(admitted.publicKeyPem))).toBe('token secret');
  });

  it('sends nothing, not even its token, to a stand-in: a certificate of its own, or the real certificate without its key', async () => {
    let heard = 0;
    const own = tlsKey();
    const standIn = await serve(issueNodeCertificate(stranger, own.publicKey, 'rec-1'), own.privateKey);
    servers.at(-1)!.on('request', () => heard++);
    await expect(fetchThrough(standIn, pinnedAgent(admitted.publicKeyPem))).rejects.toBeInstanceOf(NotTheAdmittedProcess);
    // The genuine certificate, copied, with a TLS key of the stand-in's: OpenSSL will not even serve it.
    const genuine = tlsKey();
    const forged = tlsKey();
    expect(() => createServer({ cert: issueNodeCertificate(admitted, genuine.publicKey, 'rec-1'), key: forged.privateKey.export({ type: 'pkcs8', format: 'pem' }) })).toThrow();
    expect(heard).toBe(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../electron/core/evidence/signing-key.js';
import { NodeTokenChecker, signNodeRequest } from '../../electron/core/recorders/node-signature.js';

const key = (name: string) => loadOrCreateSigningKey(join(mkdtempSync(join(tmpdir(), `wr-node-${name}-`)), 'keys'));

describe('requests between processes are signed by the asking process', () => {
  const workstation = key('ws');
  const intruder = key('intruder');
  const keys = new Map([['ws-1', workstation.publicKeyPem]]);
  const checker = () => new NodeTokenChecker(() => 'rec-a', (id) => keys.get(id) ?? null);
  const path = '/relay/cam-1?stream=main';

  it('accepts a token for the path it was signed for, once', () => {
    const c = checker();
    const token = signNodeRequest(workstation, 'ws-1', 'rec-a', path);
    expect(c.check(token, path)).toEqual({ ok: true, nodeId: 'ws-1' });
    expect(c.check(token, path)).toEqual({ ok: false, reason: 'The node token was already used.' });
  });

  it('refuses a token used for another path, another process’s name, another key, or after it expired', () => {
    const c = checker();
    expect(c.check(signNodeRequest(workstation, 'ws-1', 'rec-a', path), '/relay/cam-2?stream=main')).toMatchObject({ ok: false, reason: expect.stringContaining('not signed') });
    expect(c.check(signNodeRequest(intruder, 'ws-1', 'rec-a', path), path)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed') });
    expect(c.check(signNodeRequest(intruder, 'ws-2', 'rec-a', path), path)).toMatchObject({ ok: false, reason: expect.stringContaining('No process called ws-2') });
    const old = signNodeRequest(workstation, 'ws-1', 'rec-a', path, Date.now() - 120_000);
    expect(c.check(old, path)).toMatchObject({ ok: false, reason: expect.stringContaining('expired') });
  });

  it('refuses a GET’s token for a PUT or POST, and a PUT’s token for another method or another body', () => {
    const c = checker();
    const put = '/evidence-store/6f1c2a52-93c4-4f0e-9d6b-2f1f9a2d0b11/master/a.mp4';
    const body = { method: 'PUT', bodySha256: 'a'.repeat(64) };
    expect(c.check(signNodeRequest(workstation, 'ws-1', 'rec-a', put), put, Date.now(), body)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed') });
    expect(c.check(signNodeRequest(workstation, 'ws-1', 'rec-a', put, Date.now(), body), put, Date.now(), { method: 'POST', bodySha256: 'a'.repeat(64) })).toMatchObject({ ok: false });
    expect(c.check(signNodeRequest(workstation, 'ws-1', 'rec-a', put, Date.now(), body), put, Date.now(), { method: 'PUT', bodySha256: 'b'.repeat(64) })).toMatchObject({ ok: false });
    expect(c.check(signNodeRequest(workstation, 'ws-1', 'rec-a', put, Date.now(), body), put, Date.now(), { method: 'GET' })).toMatchObject({ ok: false });
    expect(c.check(signNodeRequest(workstation, 'ws-1', 'rec-a', put, Date.now(), body), put, Date.now(), body)).toEqual({ ok: true, nodeId: 'ws-1' });
  });

  it('refuses a token signed for another process: one handed on by whoever answers at an address put in the directory', () => {
    expect(checker().check(signNodeRequest(workstation, 'ws-1', 'rec-b', path), path)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed') });
  });

  it('refuses tokens whose expiry was moved or that are not tokens at all', () => {
    const c = checker();
    const [id, expires, nonce, sig] = signNodeRequest(workstation, 'ws-1', 'rec-a', path).split('.');
    expect(c.check([id, Number(expires) + 1_000, nonce, sig].join('.'), path)).toMatchObject({ ok: false, reason: expect.stringContaining('not signed') });
    for (const junk of [undefined, '', 'a.b.c', 'a.b.c.d.e', '%E0%A4%A.1.n.s']) expect(c.check(junk, path).ok).toBe(false);
  });
});

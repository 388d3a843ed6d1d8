import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher, SYSTEM_TOKEN } from '../../electron/core/api/dispatch.js';
import type { Handlers } from '../../electron/core/api/handlers.js';
import { AuditLedger } from '../../electron/core/audit/audit-ledger.js';
import { createLogger } from '../../electron/core/logger.js';
import type { SessionPerson } from '../../shared/api.js';
import { WatchroomError } from '../../shared/errors.js';
import type { Role } from '../../shared/roles.js';

const person = (name: string, role: Role): SessionPerson => ({ id: `p-${name}`, name, displayName: name, role });
const view = { id: 'cam-1', name: 'Gate', url: 'rtsp://h/a', hasPassword: false, enabled: true, demo: false, recording: true };

function setup(handlers: Partial<Handlers>) {
  const dir = mkdtempSync(join(tmpdir(), 'watchroom-dispatch-'));
  const ledger = new AuditLedger(join(dir, 'audit.jsonl'));
  const sessions: Record<string, { person: SessionPerson; locked: boolean }> = {
    'olive-token': { person: person('olive', 'operator'), locked: false },
    'ada-token': { person: person('ada', 'admin'), locked: false },
    'idle-token': { person: person('ivan', 'admin'), locked: true },
  };
  const touched: string[] = [];
  const calls: string[] = [];
  const counted = Object.fromEntries(
    Object.entries(handlers).map(([method, handler]) => [method, (arg: unknown, ctx: unknown) => (calls.push(method), (handler as (a: unknown, c: unknown) => unknown)(arg, ctx))]),
  );
  const dispatcher = createDispatcher({
    handlers: counted as unknown as Handlers,
    ledger,
    sessions: { resolve: (token) => (token ? sessions[token] ?? null : null), touch: (token) => void touched.push(token) },
    logger: createLogger({ file: join(dir, 'log'), secrets: () => [] }),
  });
  const entries = () => readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { actor: string; role?: string; action: string; subject: string; details?: Record<string, unknown> });
  return { dispatcher, entries, calls, touched };
}

describe('the dispatcher: one place where calls are checked, permitted and recorded', () => {
  it('refuses unknown methods and malformed arguments before any handler runs', async () => {
    const { dispatcher, calls } = setup({ addCamera: async () => view, removeCamera: async () => null });
    expect(await dispatcher.call('ada-token', 'deleteEverything', undefined)).toMatchObject({ ok: false, status: 404, error: { code: 'api.unknown-method' } });
    const bad = await dispatcher.call('ada-token', 'addCamera', { name: 5, url: 'rtsp://h/' });
    expect(bad).toMatchObject({ ok: false, status: 400, error: { code: 'api.invalid-argument', fields: [{ field: 'name' }] } });
    expect(await dispatcher.call('ada-token', 'setWall', { wallId: 'wall-1', state: { layout: '5x5', tiles: [] } })).toMatchObject({ ok: false, status: 400 });
    expect(await dispatcher.call('ada-token', 'getWall', { wallId: '../settings' })).toMatchObject({ ok: false, status: 400 });
    expect(await dispatcher.call('ada-token', 'removeCamera', { id: '../etc/passwd' })).toMatchObject({ ok: false, status: 400 });
    expect(await dispatcher.call('ada-token', 'listAudit', { limit: 1e9 })).toMatchObject({ ok: false, status: 400 });
    expect(calls).toEqual([]);
  });

  it('needs a session, refuses a locked one, and refuses a role without the permission, entering the refusal in the ledger', async () => {
    const { dispatcher, entries, calls } = setup({ removeCamera: async () => null, listCameras: async () => [view], getSession: async () => ({ person: null, needsFirstAdmin: false, locked: false, idleLockMs: 1, appVersion: 't', shell: 'browser' }) });
    expect(await dispatcher.call(null, 'removeCamera', { id: 'cam-1' })).toMatchObject({ ok: false, status: 401, error: { code: 'auth.required' } });
    expect(await dispatcher.call('forged-token', 'listCameras', undefined)).toMatchObject({ ok: false, status: 401, error: { code: 'auth.required' } });
    expect(await dispatcher.call('idle-token', 'removeCamera', { id: 'cam-1' })).toMatchObject({ ok: false, status: 423, error: { code: 'auth.locked' } });
    const denied = await dispatcher.call('olive-token', 'removeCamera', { id: 'cam-1' });
    expect(denied).toMatchObject({ ok: false, status: 403, error: { code: 'auth.forbidden', permission: 'cameras.configure' } });
    expect(calls).toEqual([]);
    // Public calls need nobody; the wall stays readable while locked.
    expect(await dispatcher.call(null, 'getSession', undefined)).toMatchObject({ ok: true });
    expect(await dispatcher.call('idle-token', 'listCameras', undefined)).toMatchObject({ ok: true, result: [view] });
    expect(entries()).toEqual([expect.objectContaining({ actor: 'olive', role: 'operator', action: 'auth.forbidden', subject: 'removeCamera', details: { method: 'removeCamera', permission: 'cameras.configure' } })]);
  });

  it('writes the contract’s ledger entry after a success, naming the person and role, and none after a failure', async () => {
    let fail = false;
    const { dispatcher, entries } = setup({
      removeCamera: async ({ id }, ctx) => {
        if (fail) throw new WatchroomError('camera.not-found', `There is no camera with id ${id}.`);
        ctx.record(id, { name: 'Gate' });
        return null;
      },
    });
    expect(await dispatcher.call('ada-token', 'removeCamera', { id: 'cam-1' })).toEqual({ ok: true, result: null });
    fail = true;
    expect(await dispatcher.call('ada-token', 'removeCamera', { id: 'cam-2' })).toEqual({ ok: false, status: 404, error: { code: 'camera.not-found', message: 'There is no camera with id cam-2.' } });
    expect(entries()).toEqual([expect.objectContaining({ actor: 'ada', role: 'admin', action: 'camera.archive', subject: 'cam-1', details: { name: 'Gate' } })]);
  });

  it('hides internal errors and answers outside the contract as internal, logging them', async () => {
    const { dispatcher, entries } = setup({
      removeCamera: async () => {
        throw new Error('disk on fire');
      },
      listCameras: async () => [{ ...view, password: 'Sup3r-Secret' }, { id: 42 }] as never,
    });
    const r = await dispatcher.call('ada-token', 'removeCamera', { id: 'cam-x' });
    expect(r).toMatchObject({ ok: false, status: 500, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('disk on fire');
    expect(await dispatcher.call('ada-token', 'listCameras', undefined)).toMatchObject({ ok: false, status: 500, error: { code: 'internal' } });
    expect(entries()).toEqual([]);
  });

  it('strips what a result carries beyond its schema (a password never leaves by accident)', async () => {
    const { dispatcher } = setup({ listCameras: async () => [{ ...view, password: 'Sup3r-Secret' }] as never });
    const r = await dispatcher.call('ada-token', 'listCameras', undefined);
    expect(r).toEqual({ ok: true, result: [view] });
  });

  it('keeps a session awake on the person’s own calls, and lets Watchroom itself call without one', async () => {
    const { dispatcher, touched, entries } = setup({ removeCamera: async (_a, ctx) => (ctx.record('cam-1'), null), listCameras: async () => [] });
    await dispatcher.call('olive-token', 'listCameras', undefined); // a wall read, allowed while locked: not activity
    await dispatcher.call('ada-token', 'removeCamera', { id: 'cam-1' });
    expect(touched).toEqual(['ada-token']);
    await dispatcher.api(SYSTEM_TOKEN).removeCamera({ id: 'cam-1' });
    expect(entries().map((e) => [e.actor, e.role])).toEqual([['ada', 'admin'], ['system', undefined]]);
  });
});

import { describe, expect, it } from 'vitest';
import { validateCamera } from '../../electron/core/cameras/camera-validation.js';
import { parseCameraList } from '../../electron/core/cameras/camera-import.js';
import { CONTRACT } from '../../shared/contract.js';
import { WatchroomError } from '../../shared/errors.js';
import { coreEventSchema, liveServerMessageSchema, parseMessage } from '../../shared/schemas.js';

function fieldErrors(input: Parameters<typeof validateCamera>[0], others: string[] = []) {
  const r = validateCamera(input, others);
  if (r.ok) throw new Error('expected errors');
  return Object.fromEntries(r.errors.map((e) => [e.field, e.code]));
}

describe('validateCamera', () => {
  it('moves inline credentials out of the stored URL', () => {
    const r = validateCamera({ name: ' Gate ', url: 'rtsp://admin:pw@10.0.0.9:554/main', subUrl: 'rtsp://10.0.0.9/sub' }, []);
    expect(r).toEqual({ ok: true, camera: { name: 'Gate', url: 'rtsp://10.0.0.9/main', subUrl: 'rtsp://10.0.0.9/sub', username: 'admin', password: 'pw', enabled: true, recording: true } });
  });

  it('reports every faulty field at once, each with its own code', () => {
    expect(fieldErrors({ name: '', url: 'http://x/y', subUrl: 'rtsp://h:70000/', username: 'a:b', password: 'x' })).toEqual({
      name: 'camera.name.required',
      url: 'camera.url.scheme',
      subUrl: 'camera.subUrl.port',
      username: 'camera.username.invalid',
    });
    expect(fieldErrors({ name: 'Gate', url: 'rtsp://h/', password: 'secret' })).toEqual({ username: 'camera.username.required' });
    expect(fieldErrors({ name: 'gate', url: 'rtsp://h/' }, ['Gate'])).toEqual({ name: 'camera.name.duplicate' });
    expect(fieldErrors({ name: 'Gate', url: 'rtsp://bob:x@h/', username: 'alice' })).toEqual({ username: 'camera.username.conflict' });
    expect(fieldErrors({ name: 'Gate', url: 'rtsp://h/', subUrl: 'rtsp://eve:y@h/sub' })).toEqual({ subUrl: 'camera.subUrl.credentials' });
  });
});

describe('parseCameraList', () => {
  it('reads CSV with a header, quotes and an optional sub-stream column', () => {
    const rows = parseCameraList('name,url,subUrl\n"Gate, north",rtsp://h/1,rtsp://h/2\n\nLobby,rtsp://h/3\n', 'csv');
    expect(rows).toEqual([
      { camera: { name: 'Gate, north', url: 'rtsp://h/1', subUrl: 'rtsp://h/2' }, where: 'Line 2' },
      { camera: { name: 'Lobby', url: 'rtsp://h/3' }, where: 'Line 4' },
    ]);
  });

  it('names each bad row and imports none', () => {
    try {
      parseCameraList('[{"name":"A","url":"rtsp://h/"},{"name":3},"x"]', 'json');
      throw new Error('expected failure');
    } catch (error) {
      expect(error).toBeInstanceOf(WatchroomError);
      const fields = (error as WatchroomError).fields!.map((f) => f.field);
      expect(fields).toEqual(['rows[1].name', 'rows[1].url', 'rows[2].name', 'rows[2].url']);
    }
    expect(() => parseCameraList('[\n  {not json', 'json')).toThrow('The file is not readable as JSON: look at line 2, character 4.');
    expect(() => parseCameraList('A,rtsp://h/,x,Depot,extra', 'csv')).toThrow(WatchroomError);
  });

  it('reads the site or group from CSV and JSON', () => {
    expect(parseCameraList('Gate,rtsp://h/a,,Depot North', 'csv').map((r) => r.camera)).toEqual([{ name: 'Gate', url: 'rtsp://h/a', group: 'Depot North' }]);
    expect(parseCameraList('[{"name":"Lift","url":"rtsp://h/b","group":"Civic Centre"}]', 'json').map((r) => r.camera)).toEqual([{ name: 'Lift', url: 'rtsp://h/b', group: 'Civic Centre' }]);
  });

  it('names a CSV line as a text editor numbers it, and says once that nothing was imported', () => {
    const refusal = (text: string) => {
      try {
        parseCameraList(text, 'csv');
      } catch (error) {
        return error as WatchroomError;
      }
      throw new Error('the list was accepted');
    };
    const error = refusal('name,url\n\nGate,rtsp://h/a,,Depot,extra\nYard\nLobby,rtsp://h/b\n');
    expect(error.message).toBe('Nothing was imported: 2 lines of the file need fixing.');
    expect(error.fields!.map((f) => f.message)).toEqual([
      'Line 3 has 5 columns; a line is name, address, and optionally a sub-stream address and a group, separated by commas.',
      'Line 4 has 1 column; a line is name, address, and optionally a sub-stream address and a group, separated by commas.',
    ]);
  });
});

describe('retention settings validation', () => {
  const fieldsOf = async (arg: unknown) => {
    const r = CONTRACT.setRetention.arg.safeParse(arg);
    return r.success ? [] : r.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
  };

  it('names the wrong field in words an operator understands', async () => {
    const ok = { maxAgeDays: 31, maxTotalBytes: 200e9, maxBytesPerCamera: null };
    expect(await fieldsOf(ok)).toEqual([]);
    expect(await fieldsOf({ ...ok, maxAgeDays: 0 })).toEqual([{ field: 'maxAgeDays', message: 'Keep footage for at least 1 day.' }]);
    expect(await fieldsOf({ ...ok, maxAgeDays: 2.5 })).toEqual([{ field: 'maxAgeDays', message: 'Whole days only.' }]);
    // A blank field arrives as null (JSON has no NaN).
    expect(await fieldsOf({ ...ok, maxAgeDays: null })).toEqual([{ field: 'maxAgeDays', message: 'Enter a number of days.' }]);
    expect(await fieldsOf({ ...ok, maxTotalBytes: 1000 })).toEqual([{ field: 'maxTotalBytes', message: 'Allow at least 1 MB.' }]);
    expect(await fieldsOf({ ...ok, maxBytesPerCamera: 300e9 })).toEqual([{ field: 'maxBytesPerCamera', message: "A camera's quota cannot be larger than the total." }]);
  });
});

describe('pushed message validation', () => {
  const status = { cameraId: 'cam-1', stream: 'main', state: 'live', path: 'copy', health: { fps: 25, kbps: 800, lastFrameAt: 1, restarts: 0, subscribers: 1 } };
  it('accepts well-formed events and live messages', () => {
    expect(parseMessage(coreEventSchema, JSON.stringify({ type: 'stream.status', status }))).toEqual({ type: 'stream.status', status });
    expect(parseMessage(liveServerMessageSchema, '{"type":"init","codec":"avc1.64001f","path":"copy"}')).toEqual({ type: 'init', codec: 'avc1.64001f', path: 'copy' });
  });
  it('returns null for malformed ones instead of throwing', () => {
    expect(parseMessage(coreEventSchema, '{not json')).toBeNull();
    expect(parseMessage(coreEventSchema, JSON.stringify({ type: 'stream.status', status: { ...status, state: 'exploded' } }))).toBeNull();
    expect(parseMessage(coreEventSchema, '{"type":"format.disk"}')).toBeNull();
    expect(parseMessage(liveServerMessageSchema, '{"type":"init","codec":"avc1.64001f\\"); alert(1)","path":"copy"}')).toBeNull();
  });
});

// `npm start`: the Electron app where its binary exists, otherwise the browser shell, saying why.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary.mjs';

const electron = findElectronBinary();
let child;
if (electron.path) {
  child = spawn(electron.path, ['.'], { stdio: 'inherit' });
} else {
  console.log(`Electron's binary is not available here (${electron.why}).`);
  console.log('Starting the browser shell instead: open the address below in Chromium or Chrome.');
  const port = process.env.WATCHROOM_PORT ?? '8640';
  const data = process.env.WATCHROOM_DATA ?? join(homedir(), '.watchroom');
  child = spawn(process.execPath, ['dist/electron/cli/watchroom-host.js', '--port', port, '--data', data], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

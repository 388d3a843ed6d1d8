import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { SessionGate } from './session/session-gate';
import { WallWindowGuard } from './wall/wall-closed';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

createRoot(root).render(
  <StrictMode>
    <SessionGate>
      <WallWindowGuard>
        <App />
      </WallWindowGuard>
    </SessionGate>
  </StrictMode>,
);

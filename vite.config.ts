import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative base: Electron loads the built renderer from disk, the browser host serves it from '/'.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
});

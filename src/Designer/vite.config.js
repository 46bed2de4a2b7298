import { defineConfig } from 'vite';

// The build lands in dist/, which the server serves at / (Designer:Path; ./run.sh points it here).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // bpmn-js and the properties panel are one large chunk by nature; a warning would only be noise.
    chunkSizeWarningLimit: 2500,
    sourcemap: false
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5080' }
  }
});

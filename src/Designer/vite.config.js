import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig } from 'vite';

// Text files worth compressing; images other than SVG are compressed already.
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|ico|eot|ttf|txt|map)$/;

/** Writes a .br and a .gz beside every text file of the build, at the highest levels: the server sends them as
 *  they are to a browser that accepts them (ADR 0028), so it compresses nothing per request. */
function precompress() {
  let outDir = 'dist';
  return {
    name: 'weops-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (folder) => readdirSync(folder).flatMap((name) => {
        const path = join(folder, name);
        return statSync(path).isDirectory() ? walk(path) : [path];
      });
      for (const file of walk(outDir).filter((path) => COMPRESSIBLE.test(path))) {
        const content = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(content, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: content.length
          }
        }));
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    }
  };
}

/** Every popup menu with a search option shows its search box, however few entries it has: diagram-js shows it
 *  only above five, so a short palette group would take typing differently from a long one (ADR 0026). The build
 *  stops when the line it changes is no longer there, rather than quietly lose the box after an upgrade. */
function searchInEveryMenu() {
  const file = /diagram-js[\\/]lib[\\/]features[\\/]popup-menu[\\/]PopupMenuComponent\.js$/;
  const threshold = 'return actionableEntries.length > 5;';
  return {
    name: 'weops-search-in-every-menu',
    transform(code, id) {
      if (!file.test(id)) return null;
      if (!code.includes(threshold)) {
        throw new Error(`${id} no longer says '${threshold}': check how this diagram-js decides to show the search box.`);
      }
      return code.replace(threshold, 'return actionableEntries.length > 0;');
    }
  };
}

// The build lands in dist/; 'dotnet publish src/Server' copies it into the server's wwwroot, and ./run.sh
// points Designer:Path here.
export default defineConfig({
  base: '/',
  plugins: [searchInEveryMenu(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The designer page's chunk holds bpmn-js and the properties panel, large by nature and loaded only there.
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
    rollupOptions: {
      output: {
        // bpmn-js (the diagram pages) and form-js (the task pages) each in a chunk of their own, loaded with the first
        // page that needs it; what both use goes where Rollup puts shared code. Named so they are known in a network log.
        // The form editor (with the form-js version it is built on) is a third, opened only from the designer.
        manualChunks: (id) => (id.includes('/node_modules/@bpmn-io/form-js-editor') ? 'form-editor'
          : id.includes('/node_modules/bpmn-js') || id.includes('/node_modules/diagram-js') ? 'bpmn'
            : id.includes('/node_modules/@bpmn-io/form-js') ? 'forms' : undefined)
      }
    }
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5080' }
  }
});

#!/usr/bin/env node
/**
 * Build step (`npm run build`, after tsc): bundle the compiled scan worker and its modules into one
 * CommonJS file, `<dist>/scan/worker.cjs`, which native worker processes run (see processEntry in
 * channel.ts). A worker process lives for one scan; loading ~20 ES modules cost a third of its start-up.
 * Packages stay external (the addons, fflate, tar-stream load from node_modules as before).
 * Usage: node src/scan/bundle-worker.mjs [distDir]   (default: dist)
 */
import { buildSync } from 'esbuild';
import { join, resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');
buildSync({
  entryPoints: [join(dist, 'scan', 'worker.js')],
  outfile: join(dist, 'scan', 'worker.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  packages: 'external',
  // The modules resolve addons and files relative to import.meta.url: the bundle's own URL.
  define: { 'import.meta.url': '__workerUrl' },
  banner: { js: "const __workerUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

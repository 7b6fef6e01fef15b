// Bundles the CLI and the two worker entries into one file each, next to the compiled modules
// (`dist/cli/entry.bundle.js`, `dist/{fuzz,replay}/worker.bundle.js`). Node 20 loads each of
// dist/'s modules on its own (resolve, read, compile, link): measured, a fuzz worker spent
// about 110 ms importing its 111 modules against about 45 ms for one bundle, and `vpdma
// --help` took 0.22 s against 0.14 s. Packages stay external (resolved from node_modules as
// before). The bundles keep dist/'s depth (dist/X/), so paths built from import.meta.url
// (../../corpus/, ../../package.json, ../replay/worker.bundle.js) mean the same in both.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/entry.js', 'dist/fuzz/worker.js', 'dist/replay/worker.js'],
  outdir: 'dist',
  outbase: 'dist',
  entryNames: '[dir]/[name].bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Chained through tsc's maps: `node --enable-source-maps` points at src/*.ts.
  sourcemap: true,
  logLevel: 'warning',
});

// Bundles the CLI and the two worker entries into one file each, next to the compiled modules
// (`dist/cli/entry.bundle.js`, `dist/{fuzz,replay}/worker.bundle.js`). Node 20 loads each of
// dist/'s modules on its own (resolve, read, compile, link): measured, a fuzz worker spent
// about 110 ms importing its 111 modules against about 45 ms for one bundle, and `vpdma
// --help` took 0.22 s against 0.14 s. Packages stay external (resolved from node_modules as
// before). The bundles keep dist/'s depth (dist/X/), so paths built from import.meta.url
// (../../corpus/, ../../package.json, ../replay/worker.bundle.js) mean the same in both.
// The library (dist/index.js) is bundled too, as dist/lib/index.bundle.js (a depth of dist/X/
// as well): package.json's exports name it, so a module target importing `vpdma` loads one
// file in every worker thread that creates it. Measured, importing dist/index.js took about
// 0.55 s of CPU against 0.23 s for the bundle, and a one-worker night against a module target
// 3.1 s of CPU against 2.0 s (BENCHMARKS.md, "Tests").
import { build } from 'esbuild';

await build({
  entryPoints: [
    'dist/cli/entry.js',
    'dist/fuzz/worker.js',
    'dist/replay/worker.js',
    { in: 'dist/index.js', out: 'lib/index' },
  ],
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

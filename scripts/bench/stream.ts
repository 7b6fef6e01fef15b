// Bounded memory for big files: write a ~1 GiB .vpt with the streaming writer, convert it to
// JSONL with the CLI (`node bin/vpdma.js convert`, the built dist/) in a child process, and
// report the child's peak RSS. Goal: < 256 MB.   npx tsx scripts/bench/stream.ts [MiB=1024]
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VptWriter } from '../../src/trace/vpt.js';
import { emptyHeader } from '../../src/trace/trace.js';
import type { TraceCall } from '../../src/model/values.js';
import { corpusCalls } from './corpusTrace.js';

const root = resolve(import.meta.dirname, '../..');
const targetBytes = Number(process.argv[2] ?? 1024) * 2 ** 20;
const bin = join(root, 'bin/vpdma.js');
if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` first');

/** Corpus calls, with a 16 KiB @write after every 8th so the file reaches its size quickly. */
function* calls(): Generator<TraceCall> {
  const base = corpusCalls(root);
  const data = new Uint8Array(16 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
  for (let i = 0; ; i++) {
    yield base[i % base.length] as TraceCall;
    if (i % 8 === 7) yield { fn: '@write', args: { va: 0xffffa00000000000n, data } };
  }
}

async function writeVpt(path: string): Promise<{ calls: number; bytes: number }> {
  const fh = await open(path, 'w');
  const w = new VptWriter(emptyHeader({ source: 'vpdma stream bench' }));
  let bytes = 0;
  let n = 0;
  const put = async (b: Uint8Array | undefined): Promise<void> => {
    if (b === undefined) return;
    await fh.write(b);
    bytes += b.length;
  };
  await put(w.start());
  for (const call of calls()) {
    if (bytes >= targetBytes) break;
    n++;
    await put(w.push(call));
  }
  await put(w.finish());
  await fh.close();
  return { calls: n, bytes };
}

const dir = await mkdtemp(join(tmpdir(), 'vpdma-stream-'));
try {
  const vpt = join(dir, 'big.vpt');
  const jsonl = join(dir, 'big.jsonl');
  const hwm = join(dir, 'hwm.mjs');
  await writeFile(
    hwm,
    "import { readFileSync } from 'node:fs';\nprocess.on('exit', () => process.stderr.write(" +
      "'VmHWM ' + /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1] + '\\n'));\n",
  );
  const t0 = performance.now();
  const written = await writeVpt(vpt);
  const t1 = performance.now();
  console.log(`machine: ${cpus().length} cores, Node ${process.version}`);
  console.log(
    `wrote ${vpt}: ${written.calls} calls, ${(written.bytes / 2 ** 20).toFixed(0)} MiB in ${((t1 - t0) / 1000).toFixed(1)} s`,
  );
  const useTime = existsSync('/usr/bin/time');
  const argv = [process.execPath, '--import', pathToFileURL(hwm).href, bin, 'convert', vpt, jsonl];
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', ...argv], { encoding: 'utf8' })
    : spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
  const t2 = performance.now();
  if (r.status !== 0) throw new Error(`convert failed (${r.status}): ${r.stderr}`);
  const hwmKb = Number(/VmHWM (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const timeKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const out = await stat(jsonl);
  console.log(
    `convert: ${r.stdout.trim()} in ${((t2 - t1) / 1000).toFixed(1)} s, JSONL ${(out.size / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(
    `child peak RSS: VmHWM ${(hwmKb / 1024).toFixed(0)} MiB` +
      (useTime ? `, /usr/bin/time ${(timeKb / 1024).toFixed(0)} MiB` : ''),
  );
  console.log(`goal < 256 MB: ${hwmKb * 1024 < 256e6 ? 'met' : 'NOT met'}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

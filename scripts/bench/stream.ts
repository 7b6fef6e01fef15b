// Bounded memory for big files: write a ~1 GiB .vpt with the streaming writer, convert it to
// JSONL and back, and to text, and list it with `vpdma show`, each with the CLI (`node
// bin/vpdma.js`, the built dist/) in a child process, and report the child's peak RSS.
// Goal: < 256 MB.   npx tsx scripts/bench/stream.ts [MiB=1024]
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { spawnSync, type SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
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
if (!existsSync(join(root, 'dist/cli/entry.bundle.js')))
  throw new Error('run `npm run build` first');

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

/**
 * Runs `vpdma ...args` in a child (its stdout thrown away when `quiet`: a listing of gigabytes);
 * returns its time and peak RSS as one line.
 */
function cli(hwm: string, args: readonly string[], quiet = false): string {
  const argv = [process.execPath, '--import', pathToFileURL(hwm).href, bin, ...args];
  const useTime = existsSync('/usr/bin/time');
  const o = {
    encoding: 'utf8' as const,
    stdio: quiet ? ['ignore', 'ignore', 'pipe'] : 'pipe',
  } satisfies SpawnSyncOptionsWithStringEncoding;
  const t = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', ...argv], o)
    : spawnSync(argv[0] as string, argv.slice(1), o);
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`vpdma ${args[0]} failed (${r.status}): ${r.stderr}`);
  const kb = Number(/VmHWM (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
  const cpu = useTime ? `, cpu ${(user + sys).toFixed(1)} s` : '';
  const goal = kb * 1024 < 256e6 ? 'under' : 'OVER';
  return `${quiet ? '' : `${r.stdout.trim()}; `}wall ${wall.toFixed(1)} s${cpu}; peak RSS ${(kb / 1024).toFixed(0)} MiB (${goal} the 256 MB goal)`;
}

async function sameFiles(a: string, b: string): Promise<boolean> {
  const [fa, fb] = [await open(a, 'r'), await open(b, 'r')];
  try {
    const [ba, bb] = [new Uint8Array(1 << 20), new Uint8Array(1 << 20)];
    for (;;) {
      const [ra, rb] = [await fa.read(ba, 0, ba.length), await fb.read(bb, 0, bb.length)];
      if (ra.bytesRead !== rb.bytesRead) return false;
      if (ra.bytesRead === 0) return true;
      if (Buffer.compare(ba.subarray(0, ra.bytesRead), bb.subarray(0, rb.bytesRead)) !== 0)
        return false;
    }
  } finally {
    await fa.close();
    await fb.close();
  }
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
    `wrote ${(written.bytes / 2 ** 20).toFixed(0)} MiB .vpt: ${written.calls} calls in ${((t1 - t0) / 1000).toFixed(1)} s`,
  );
  const there = cli(hwm, ['convert', vpt, jsonl]);
  console.log(`.vpt -> .jsonl (${((await stat(jsonl)).size / 2 ** 20).toFixed(0)} MiB): ${there}`);
  const back = join(dir, 'back.vpt');
  console.log(`.jsonl -> .vpt: ${cli(hwm, ['convert', jsonl, back])}`);
  console.log(`round trip byte-identical: ${(await sameFiles(vpt, back)) ? 'yes' : 'NO'}`);
  await rm(jsonl);
  await rm(back);
  const txt = join(dir, 'big.txt');
  const text = cli(hwm, ['convert', vpt, txt]);
  console.log(`.vpt -> .txt (${((await stat(txt)).size / 2 ** 20).toFixed(0)} MiB): ${text}`);
  await rm(txt);
  console.log(`vpdma show .vpt (listing to /dev/null): ${cli(hwm, ['show', vpt], true)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

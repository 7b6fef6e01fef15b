// Keeping corpus entries, as `vpdma fuzz` does early in a campaign (hundreds a second): N
// distinct 27-call traces, each written as a content-addressed .vpt, all in flight at once.
// corpusKeeper (the directory made and listed once, no fsync) against the baseline of a
// durable atomic write per entry that makes sure of its directory and file first (what it
// replaced), in the same run, alternating, in a fresh directory each time.
//   npx tsx scripts/bench/corpusKeep.ts [entries=4000] [dir=os.tmpdir()] [rounds=3]
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentName, corpusKeeper } from '../../src/store/corpus.js';
import { ensureDir } from '../../src/store/ensureDir.js';
import { writeFileAtomic } from '../../src/store/writeFile.js';
import type { TraceCall } from '../../src/model/values.js';
import { emptyHeader, type Trace } from '../../src/trace/trace.js';
import { encodeVpt } from '../../src/trace/vpt.js';
import { corpusCalls } from './corpusTrace.js';

const entries = Number(process.argv[2] ?? 4000);
const under = process.argv[3] ?? tmpdir();
const rounds = Number(process.argv[4] ?? 3);
const root = join(import.meta.dirname, '../..');

const calls = corpusCalls(root);
const traces: Trace[] = Array.from({ length: entries }, (_, n) => ({
  header: emptyHeader({ source: 'vpdma corpusKeep bench', case: n }),
  calls: Array.from({ length: 27 }, (_, k) => calls[(n * 27 + k) % calls.length] as TraceCall),
}));

/** The write per entry that corpusKeeper replaced. */
function baseline(dir: string): (t: Trace) => Promise<string> {
  return async (t) => {
    const bytes = encodeVpt(t);
    const name = contentName(bytes);
    const path = join(dir, name);
    await ensureDir(dir);
    try {
      await stat(path);
    } catch {
      await writeFileAtomic(path, bytes);
    }
    return name;
  };
}

async function measure(what: string, make: (dir: string) => (t: Trace) => Promise<string>) {
  const dir = join(under, `vpdma-corpus-keep-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  const keep = make(dir);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(traces.map((t) => keep(t)));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await rm(dir, { recursive: true, force: true });
  const perSec = Math.round(entries / (ms / 1000));
  const line = `${what}: ${ms.toFixed(0)} ms wall (${perSec} entries/s), CPU user ${(cpu.user / 1000).toFixed(0)} ms + system ${(cpu.system / 1000).toFixed(0)} ms`;
  process.stdout.write(`${line}\n`);
  return ms;
}

process.stdout.write(`${entries} entries of 27 calls under ${under}, ${rounds} rounds\n`);
for (let r = 0; r < rounds; r++) {
  const ours = await measure('corpusKeeper', corpusKeeper);
  const base = await measure('baseline    ', baseline);
  process.stdout.write(`  round ${r + 1}: ${(base / ours).toFixed(2)}x faster\n`);
}

// Test support: a module target, the reference model with bugs planted by a file it reads at
// each start, so one --target SPEC (as a --history keeps it) gets another bug from night to
// night. A: VideoPortGetBytesUsed returns 7. B: VideoPortDoDma returns 0x1234. C: VideoPortDoDma
// throws (the target crashes).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nightlyArgs } from './nightlyArgs.js';
import { runCli, type CliRun } from './runCli.js';

const root = resolve(import.meta.dirname, '../..');

export interface PlantedBugs {
  /** `module:DIR/planted.mjs`. */
  readonly target: string;
  /** Plants these bugs for the next run ('' for none). */
  plant(bugs: string): void;
}

export function plantedBugs(dir: string): PlantedBugs {
  const bugs = join(dir, 'bugs');
  const index = pathToFileURL(join(root, 'dist/lib/index.bundle.js')).href;
  const module = join(dir, 'planted.mjs');
  writeFileSync(
    module,
    `import { readFileSync } from 'node:fs';
import { createModelTarget } from ${JSON.stringify(index)};
export default async function createTarget(opts) {
  const bugs = readFileSync(${JSON.stringify(bugs)}, 'utf8').split(',');
  const model = await createModelTarget(opts);
  return {
    ...model,
    call(call) {
      const outcome = model.call(call);
      if (bugs.includes('A') && call.fn === 'VideoPortGetBytesUsed') return { ...outcome, ret: 7 };
      if (bugs.includes('B') && call.fn === 'VideoPortDoDma') return { ...outcome, ret: 0x1234n };
      if (bugs.includes('C') && call.fn === 'VideoPortDoDma') throw new Error('planted bug C');
      return outcome;
    },
  };
}
`,
  );
  writeFileSync(bugs, '');
  return { target: `module:${module}`, plant: (b) => writeFileSync(bugs, b) };
}

/** Nights against planted bugs, in process: 100 cases each into DIR/nightly, one --history. */
export function plantedNights(dir: string): PlantedBugs & {
  readonly out: string;
  readonly history: string;
  readonly night: (seed: string) => Promise<CliRun>;
  /** The --history bucket of `signature` after the nights so far, if it has one. */
  readonly bucket: (signature: string) => { signature: string; fixedSince?: string } | undefined;
} {
  const bugs = plantedBugs(dir);
  const out = join(dir, 'nightly');
  const history = join(dir, 'history.json');
  const night = (seed: string): Promise<CliRun> =>
    runCli(nightlyArgs({ target: bugs.target, seed, runs: 100, out, history }));
  const bucket = (signature: string): { signature: string; fixedSince?: string } | undefined =>
    (
      JSON.parse(readFileSync(history, 'utf8')) as {
        buckets: { signature: string; fixedSince?: string }[];
      }
    ).buckets.find((b) => b.signature === signature);
  return { ...bugs, plant: (b) => bugs.plant(b), out, history, night, bucket };
}

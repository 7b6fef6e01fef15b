// The originals a killed shard left: a night SIGKILLed (a CI job's timeout) before its reports
// leaves, of each bug it met, only its case as it ran (original.txt, original.vpt in
// findings/<signature>/, written at once: originalWrites.ts). The merge leaves that shard out,
// as lost, but copies those files into the merged findings/, named for the shard, so a user who
// keeps only the merged output keeps the one record of those bugs; the merged reports list
// them (report.json's killedShardOriginals). A shard killed once it had written a finding
// whole (minimized: finding.json of that case, repro.*) has its repro carried the same way,
// as repro-shard-K-of-N.*: the original alone would lose the work of minimizing it.
import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { plural } from '../core/plural.js';
import { ioMessage, readRegularFile } from '../store/fileChunks.js';
import { readTraceHeader } from '../store/traceFiles.js';
import { writeFileAtomic } from '../store/writeFile.js';
import type { KilledShardOriginal } from '../report/nightlySchema.js';

/** One killed shard's original of one bug, and where the merge puts it. */
export interface LostOriginal {
  /** `kind/fn/hash`: the finding directory it is in, there and in the merged findings/. */
  readonly signature: string;
  /** The shard that met it, `K/N`. */
  readonly shard: string;
  /** Its files in the killed shard's directory (original.vpt and/or original.txt). */
  readonly from: readonly string[];
  /** The minimized repro the shard wrote of that case (repro.jsonl, .txt, .vpt), if it did. */
  readonly repro: readonly string[];
}

const ORIGINALS = ['original.vpt', 'original.txt'] as const;
const REPROS = ['repro.jsonl', 'repro.txt', 'repro.vpt'] as const;

/** The merged name of a killed shard's original or repro: `original-shard-2-of-3.vpt`. */
export function lostOriginalName(shard: string, name: string): string {
  return name.replace(/^(original|repro)\./, `$1-shard-${shard.replace('/', '-of-')}.`);
}

/**
 * The repro files in `at` when the finding.json there is this night's minimized finding of
 * case `caseIndex` (the one its original is of); none otherwise (no finding written yet, an
 * unminimized one, whose repro is the original, or an earlier night's).
 */
async function finishedRepro(at: string, seed: string, caseIndex: number): Promise<string[]> {
  const f = await readRegularFile(join(at, 'finding.json'))
    .then((b) => JSON.parse(b.toString('utf8')) as Record<string, unknown>)
    .catch(() => undefined);
  if (f?.['seed'] !== seed || f['caseIndex'] !== caseIndex || f['minimized'] !== true) return [];
  const names = await readdir(at).catch(() => [] as string[]);
  return REPROS.filter((n) => names.includes(n)).map((n) => join(at, n));
}

/** The shards of the run (`K/N`) not among `names`, in order. */
export function missingShards(names: readonly string[]): string[] {
  const count = Number((names[0] ?? '1/1').split('/')[1]);
  const given = new Set(names);
  return Array.from({ length: count }, (_, i) => `${i + 1}/${count}`).filter((n) => !given.has(n));
}

const list = (dir: string): Promise<string[]> =>
  readdir(dir, { withFileTypes: true }).then(
    (es) => es.filter((e) => e.isDirectory()).map((e) => e.name),
    () => [],
  );

/** The seed and case in a trace file's meta, if it can be read and names both. */
async function caseOf(path: string): Promise<{ seed: unknown; case: number } | undefined> {
  const meta = (await readTraceHeader(path).catch(() => undefined))?.meta;
  const c = meta?.['case'];
  return typeof c === 'number' && Number.isSafeInteger(c) && meta?.['seed'] !== undefined
    ? { seed: meta['seed'], case: c }
    : undefined;
}

/**
 * The originals in the killed shards' findings/ of this run: the case in their meta is of
 * this seed and of a shard missing from the merge (a cached findings/ restored into the
 * shard's --out also holds earlier nights' originals, which are not this merge's to carry).
 * The meta of the .vpt, else of the .txt (one damaged, the other whole). One whose files
 * name no seed and case cannot be placed (which night, which shard?): `warn` names it, left
 * in the shard's directory. Read, not copied: planned before the merge writes anything.
 */
export async function lostOriginals(
  killed: readonly string[],
  seed: string,
  names: readonly string[],
  warn: (line: string) => void,
): Promise<LostOriginal[]> {
  const missing = new Set(missingShards(names));
  const count = Number((names[0] ?? '1/1').split('/')[1]);
  const found: LostOriginal[] = [];
  for (const dir of killed) {
    const root = join(dir, 'findings');
    for (const kind of (await list(root)).sort())
      for (const fn of (await list(join(root, kind))).sort())
        for (const hash of (await list(join(root, kind, fn))).sort()) {
          const at = join(root, kind, fn, hash);
          const files = await readdir(at).then(
            (ns) => ORIGINALS.filter((n) => ns.includes(n)).map((n) => join(at, n)),
            () => [],
          );
          const [first] = files;
          if (first === undefined) continue;
          let met: { seed: unknown; case: number } | undefined;
          for (const f of files) met ??= await caseOf(f);
          if (met === undefined) {
            warn(
              `vpdma merge: ${first}: names no seed and case in its meta (damaged, or not written by vpdma), so it cannot be told this night's: not copied; it stays in ${dir}\n`,
            );
            continue;
          }
          if (met.seed !== seed) continue;
          const shard = `${(met.case % count) + 1}/${count}`;
          if (missing.has(shard))
            found.push({
              signature: `${kind}/${fn}/${hash}`,
              shard,
              from: files,
              repro: await finishedRepro(at, seed, met.case),
            });
        }
  }
  return found;
}

/** What was copied of one original: its signature, shard, the files written (its .vpt first). */
export interface CopiedOriginal {
  readonly signature: string;
  readonly shard: string;
  readonly files: readonly string[];
  /** Its minimized repro's copy (repro-shard-K-of-N.jsonl), when the shard had written one. */
  readonly repro?: string;
}

/**
 * Copies each into `out`/findings/<signature>/ as original-shard-K-of-N.{vpt,txt}, whole or
 * not at all (temporary file, renamed); one that cannot be read or written is named in
 * `notCopied`. Resolves to what was written, one entry a bug with a file written.
 */
export async function copyLostOriginals(
  lost: readonly LostOriginal[],
  out: string,
  notCopied: string[],
): Promise<CopiedOriginal[]> {
  const copied: CopiedOriginal[] = [];
  const copy = async (l: LostOriginal, what: string, froms: readonly string[]) => {
    const wrote: string[] = [];
    for (const from of froms) {
      const to = join(
        out,
        'findings',
        ...l.signature.split('/'),
        lostOriginalName(l.shard, basename(from)),
      );
      try {
        await writeFileAtomic(to, await readRegularFile(from));
        wrote.push(to);
      } catch (e) {
        notCopied.push(`killed shard ${l.shard}'s ${what} ${from}: ${ioMessage(e)}`);
      }
    }
    return wrote;
  };
  for (const l of lost) {
    const wrote = await copy(l, 'original', l.from);
    const [repro] = await copy(l, 'repro', l.repro);
    if (wrote.length > 0)
      copied.push({
        signature: l.signature,
        shard: l.shard,
        files: wrote,
        ...(repro === undefined ? {} : { repro }),
      });
  }
  return copied;
}

/** The summary's words for them: `; 1 original from killed shard 2/2 copied: PATH`. */
export function lostOriginalsText(copied: readonly CopiedOriginal[]): string {
  const first = copied[0]?.files[0];
  if (first === undefined) return '';
  const shards = [...new Set(copied.map((l) => l.shard))].sort(
    (a, b) => parseInt(a, 10) - parseInt(b, 10),
  );
  const from = `killed shard${shards.length === 1 ? '' : 's'} ${shards.join(', ')}`;
  const more = copied.length > 1 ? `, and ${copied.length - 1} more` : '';
  const repros = copied.flatMap((c) => (c.repro === undefined ? [] : [c.repro]));
  const minimized =
    repros[0] === undefined
      ? ''
      : `, ${repros.length === copied.length ? (copied.length === 1 ? 'its' : 'their') : repros.length} minimized repro${repros.length === 1 ? '' : 's'} too: ${repros[0]}`;
  return `; ${plural(copied.length, 'original')} from ${from} copied: ${first}${more}${minimized}`;
}

/** report.json's killedShardOriginals: what was copied, its paths relative to the report's. */
export function killedShardOriginals(
  copied: readonly CopiedOriginal[],
  out: string,
): KilledShardOriginal[] {
  return copied.map((c) => ({
    ...c,
    files: c.files.map((f) => relative(out, f)),
    ...(c.repro === undefined ? {} : { repro: relative(out, c.repro) }),
  }));
}

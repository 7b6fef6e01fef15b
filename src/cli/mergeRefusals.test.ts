// What `vpdma merge` refuses before writing anything, and how it says so: an output that is
// one of the files it reads from a shard, and shards that started from different corpora or
// were run by different builds.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRevision } from './buildRevision.js';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-merge-refusals-'));
const s1 = join(dir, 's1');
const s2 = join(dir, 's2');

beforeAll(async () => {
  const args = ['--runs', '20', '--target', 'model', '--workers', '1', '--quiet'];
  const first = await run(['nightly', '--out', s1, '--shard', '1/2', ...args]);
  expect(first.code).toBe(0);
  expect(first.err).toContain(` build=${buildRevision()} out=`);
  expect((await run(['nightly', '--out', s2, '--shard', '2/2', ...args])).code).toBe(0);
}, 60_000);

type Json = Record<string, unknown>;

/** A copy of shard `from` as `name`, its report.json and the fuzzDetail in it edited. */
function editedShard(from: string, name: string, edit: (o: Json) => void): string {
  const to = join(dir, name);
  cpSync(from, to, { recursive: true });
  const path = join(to, 'report.json');
  const r = JSON.parse(readFileSync(path, 'utf8')) as Json;
  for (const o of [r, r['fuzzDetail'] as Json]) edit(o);
  writeFileSync(path, JSON.stringify(r));
  return to;
}

/** A copy of shard `from` whose reports say `buildRevision` (none: undefined). */
const otherBuild = (from: string, name: string, revision: string | undefined): string =>
  editedShard(from, name, (o) => {
    if (revision === undefined) delete o['buildRevision'];
    else o['buildRevision'] = revision;
  });

describe('vpdma merge refuses', () => {
  it('a --json or --history that is a file it reads from a shard, writing nothing', async () => {
    const input = join(s1, 'report.json');
    const before = readFileSync(input, 'utf8');
    const entry = readdirSync(join(s2, 'corpus'))[0] ?? 'none';
    for (const [flag, path] of [
      ['--json', input],
      ['--history', input],
      ['--json', join(s2, 'corpus', entry)],
      ['--json', join(s1, 'junit.xml')],
    ] as const) {
      const out = join(dir, 'refused');
      const r = await run(['merge', s1, s2, '--out', out, flag, path]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(
        new RegExp(
          `^vpdma: merge: ${flag} .*: is in shard .*, which this merge reads; give a file outside the shards\\n$`,
        ),
      );
    }
    expect(readFileSync(input, 'utf8')).toBe(before);
  });

  it('shards of different base corpora of one size, naming the first entry that differs', async () => {
    // Two corpora of one size: shard 1's corpus, each with one trace of its own added.
    const trace = readFileSync(join(import.meta.dirname, '../../corpus/events.jsonl'), 'utf8');
    const args = ['--runs', '20', '--target', 'model', '--workers', '1', '--quiet'];
    const seeds: string[] = [];
    for (const [i, name] of ['a', 'b'].entries()) {
      const base = join(dir, `corpus-${name}`);
      cpSync(join(s1, 'corpus'), base, { recursive: true });
      writeFileSync(join(base, `${name}-extra.jsonl`), trace);
      const out = join(dir, `seeds-${name}`);
      const shard = ['--corpus', base, '--shard', `${i + 1}/2`];
      expect((await run(['nightly', '--out', out, ...shard, ...args])).code).toBe(0);
      seeds.push(out);
    }
    const r = await run(['merge', ...seeds, '--out', join(dir, 'bad-base')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /same count, different entries \(first difference: a-extra\.jsonl, in .*seeds-a only\)/,
    );
  });

  it('shards of base corpora that differ by one byte of an entry of one name and size', async () => {
    const legacy = join(import.meta.dirname, '../../corpus/legacy-mapdma-during-transfers.jsonl');
    const trace = readFileSync(legacy, 'utf8');
    const args = ['--runs', '20', '--target', 'model', '--workers', '1', '--quiet'];
    const outs: string[] = [];
    for (const [i, text] of [
      trace,
      trace.replace(/("fn":"@write".*?"data":")70/, '$1ff'),
    ].entries()) {
      const base = join(dir, `byte-corpus-${i}`);
      mkdirSync(base);
      writeFileSync(join(base, 'mine.jsonl'), text);
      const out = join(dir, `byte-${i}`);
      const shard = ['--corpus', base, '--shard', `${i + 1}/2`];
      expect((await run(['nightly', '--out', out, ...shard, ...args])).code).toBe(0);
      outs.push(out);
    }
    const r = await run(['merge', ...outs, '--out', join(dir, 'bad-bytes')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/started from a different base corpus .*same count, different entries/);
  });

  it('shards run with another --timeout, which decides what is a target-timeout', async () => {
    const slow = join(dir, 'other-timeout');
    const args = ['--runs', '20', '--target', 'model', '--workers', '1', '--quiet'];
    await run(['nightly', '--out', slow, '--shard', '2/2', '--timeout', '50', ...args]);
    const r = await run(['merge', s1, slow, '--out', join(dir, 'bad-timeout')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /other-timeout has --timeout \(ms\) 50, .* has 1000: not shards of one run/,
    );
  });
});

describe('vpdma merge and build revisions', () => {
  it('records the build revision in every shard report and in the merge', async () => {
    const out = join(dir, 'same-build');
    expect((await run(['merge', s1, s2, '--out', out])).code).toBe(0);
    for (const d of [s1, s2, out]) {
      const r = JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')) as {
        buildRevision: string;
        fuzzDetail: { buildRevision: string };
      };
      expect(r.buildRevision).toMatch(/^[0-9a-f]{12}$/);
      expect(r.buildRevision).toBe(buildRevision());
      expect(r.fuzzDetail.buildRevision).toBe(r.buildRevision);
    }
  });

  it('refuses shards of two builds, naming both revisions', async () => {
    const other = otherBuild(s2, 'build-other', '0123456789ab');
    const r = await run(['merge', s1, other, '--out', join(dir, 'bad-build')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `vpdma: merge: ${other} has build revision 0123456789ab, ${s1} has build revision ${buildRevision()}: not shards of one run; build every shard from the same vpdma commit and lockfile\n`,
    );
  });

  it('refuses a shard without one (an older vpdma) beside one with it', async () => {
    const older = otherBuild(s2, 'build-none', undefined);
    const r = await run(['merge', s1, older, '--out', join(dir, 'bad-older')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${older} has no build revision (an older vpdma), ${s1} has build`);
  });

  it('merges shards that all lack it (older reports) as before, the merge without one', async () => {
    const a = otherBuild(s1, 'old-1', undefined);
    const b = otherBuild(s2, 'old-2', undefined);
    const out = join(dir, 'old-merged');
    expect((await run(['merge', a, b, '--out', out])).code).toBe(0);
    const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as object;
    expect(r).not.toHaveProperty('buildRevision');
  });
});

describe('vpdma merge and the minimization settings', () => {
  it('keeps --repros-per-kind and --attempts-max, and refuses shards run with others', async () => {
    const out = join(dir, 'settings-merged');
    expect((await run(['merge', s1, s2, '--out', out])).code).toBe(0);
    const merged = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      fuzzDetail: Json;
    };
    expect(merged.fuzzDetail).toMatchObject({ reprosPerKind: 2, attemptsMax: 2000 });
    const other = editedShard(s2, 'other-attempts', (o) => {
      if ('attemptsMax' in o) o['attemptsMax'] = 50;
    });
    const r = await run(['merge', s1, other, '--out', join(dir, 'bad-attempts')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /other-attempts has --attempts-max 50, .* has 2000: not shards of one run/,
    );
    // A shard without them (an older report) ran nightly's fixed 2 and 2000: it merges.
    const older = editedShard(s1, 'no-settings', (o) => {
      delete o['reprosPerKind'];
      delete o['attemptsMax'];
    });
    expect((await run(['merge', older, s2, '--out', join(dir, 'older-settings')])).code).toBe(0);
  });
});

describe('vpdma merge and --worker-heap-mb', () => {
  it('refuses shards run with another heap limit: it decides whether a leak is a finding', async () => {
    const limited = editedShard(s2, 'heap-64', (o) => {
      if ('attemptsMax' in o) o['workerHeapMb'] = 64;
    });
    const r = await run(['merge', s1, limited, '--out', join(dir, 'bad-heap')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `vpdma: merge: ${limited} has --worker-heap-mb 64, ${s1} has "Node's default": not shards of one run\n`,
    );
    // Shards run with the same limit merge, and the merged report keeps it.
    const both = editedShard(s1, 'heap-64-first', (o) => {
      if ('attemptsMax' in o) o['workerHeapMb'] = 64;
    });
    const out = join(dir, 'heap-merged');
    expect((await run(['merge', both, limited, '--out', out])).code).toBe(0);
    const merged = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      fuzzDetail: Json;
    };
    expect(merged.fuzzDetail['workerHeapMb']).toBe(64);
  });
});

describe('vpdma merge given some of the shards', () => {
  it('merges them, but a clean run with a shard lost on the way is not a clean exit', async () => {
    const r = await run(['merge', s1, '--out', join(dir, 'partial')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('1 of 2 shards given; the merged report covers only those');
    // Said as what it is: nothing was interrupted, a shard is missing.
    expect(r.out).toContain('incomplete: 1 of 2 shards given; the reports cover those');
    expect(r.out).not.toContain('interrupted');
    const report = JSON.parse(readFileSync(join(dir, 'partial', 'report.json'), 'utf8')) as {
      interrupted: boolean;
      shardsMissing?: string[];
    };
    // Kept true (incomplete, as scripts and the history read it); the missing shard named.
    expect(report.interrupted).toBe(true);
    expect(report.shardsMissing).toEqual(['2/2']);
    const junit = readFileSync(join(dir, 'partial', 'junit.xml'), 'utf8');
    expect(junit).toContain(
      '<error message="shard 2/2 missing: the reports cover the shards given" type="shards-missing"',
    );
    expect(junit).not.toContain('type="interrupted"');
  });
});

/** A shard's --out as a night SIGKILLed before its reports leaves it: a copy of shard 2/2. */
function killedCopy(name: string): { killed: string; seed: string } {
  const killed = join(dir, name);
  cpSync(s2, killed, { recursive: true });
  const { seed } = JSON.parse(readFileSync(join(s2, 'report.json'), 'utf8')) as { seed: string };
  rmSync(join(killed, 'report.json'));
  return { killed, seed };
}

/** An original in `killed`'s findings/SIG/, in the formats `exts`, its header's meta `meta`. */
async function writeOriginal(
  killed: string,
  sig: string,
  meta: object,
  exts: string[],
): Promise<string> {
  const at = join(killed, 'findings', sig);
  mkdirSync(at, { recursive: true });
  const head = { format: 'vpdma-trace', version: 1, profile: 'docs', device: {}, meta };
  const call = {
    fn: 'VideoPortGetBytesUsed',
    args: { hwDeviceExtension: '0x1000', pDma: '0x40' },
  };
  writeFileSync(join(at, 'o.jsonl'), `${JSON.stringify(head)}\n${JSON.stringify(call)}\n`);
  for (const ext of exts)
    expect((await run(['convert', join(at, 'o.jsonl'), join(at, `original.${ext}`)])).code).toBe(0);
  rmSync(join(at, 'o.jsonl'));
  return at;
}

describe('vpdma merge given a shard killed before its reports', () => {
  it('merges the others, the killed one named and counted lost; a missing directory is refused', async () => {
    // A night SIGKILLed (a CI job's timeout) leaves its --out without report.json: its corpus,
    // its findings' originals and its lock file; CI uploads it all the same (if: always()).
    const killed = join(dir, 'killed');
    cpSync(s2, killed, { recursive: true });
    const { seed } = JSON.parse(readFileSync(join(s2, 'report.json'), 'utf8')) as { seed: string };
    rmSync(join(killed, 'report.json'));
    writeFileSync(join(killed, '.vpdma.lock'), '{"pid":999999999,"host":"gone","since":"x"}\n');
    // Its originals: case 3 of this seed (shard 2/2's), and two that are not this night's
    // shard 2/2 (an earlier night's, restored with a cached findings/; a case of shard 1/2).
    const original = (sig: string, meta: object, exts: string[]): Promise<string> =>
      writeOriginal(killed, sig, meta, exts);
    const met = await original(
      'inert-return-mismatch/GetBytesUsed/0badf00d',
      { source: 'vpdma fuzz', seed, case: 3 },
      ['txt', 'vpt'],
    );
    await original('k/Earlier/00000001', { source: 'vpdma fuzz', seed: `${seed}0`, case: 3 }, [
      'vpt',
    ]);
    await original('k/Given/00000002', { source: 'vpdma fuzz', seed, case: 2 }, ['txt']);
    const r = await run(['merge', s1, killed, '--out', join(dir, 'with-killed')]);
    expect(r.code, r.err).toBe(2);
    // Copied into the merged findings/ under the shard's name, byte for byte, and named in
    // the summary; the others left where they are.
    const to = join(
      dir,
      'with-killed',
      'findings',
      'inert-return-mismatch',
      'GetBytesUsed',
      '0badf00d',
    );
    expect(readdirSync(to).sort()).toEqual([
      'original-shard-2-of-2.txt',
      'original-shard-2-of-2.vpt',
    ]);
    for (const ext of ['txt', 'vpt'])
      expect(readFileSync(join(to, `original-shard-2-of-2.${ext}`))).toEqual(
        readFileSync(join(met, `original.${ext}`)),
      );
    expect(readdirSync(join(dir, 'with-killed', 'findings')).sort()).toEqual([
      'inert-return-mismatch',
    ]);
    expect(r.out.split('\n')[0]).toMatch(
      `; 1 original from killed shard 2/2 copied: ${join(to, 'original-shard-2-of-2.vpt')}`,
    );
    // Not taken for an earlier run's finding left in --out.
    expect(r.err).not.toContain('did not write');
    expect(r.err).toContain(
      `vpdma merge: ${killed} holds no report.json (its night was killed before writing its reports, as by a CI job's timeout): left out, as a shard lost on the way\n`,
    );
    expect(r.err).toContain('1 of 2 shards given; the merged report covers only those');
    const report = JSON.parse(readFileSync(join(dir, 'with-killed', 'report.json'), 'utf8')) as {
      shardsMissing?: string[];
      killedShardOriginals?: unknown;
    };
    expect(report.shardsMissing).toEqual(['2/2']);
    // Every report lists what was copied, so a reader of the reports alone learns of it.
    const rel = 'findings/inert-return-mismatch/GetBytesUsed/0badf00d/original-shard-2-of-2';
    expect(report.killedShardOriginals).toEqual([
      {
        signature: 'inert-return-mismatch/GetBytesUsed/0badf00d',
        shard: '2/2',
        files: [`${rel}.vpt`, `${rel}.txt`],
      },
    ]);
    const html = readFileSync(join(dir, 'with-killed', 'report.html'), 'utf8');
    expect(html).toContain('Originals from killed shards (1)');
    expect(html).toContain(`<a href="${rel}.vpt">${rel}.vpt</a>`);
    const junit = readFileSync(join(dir, 'with-killed', 'junit.xml'), 'utf8');
    expect(junit).toContain(`original from killed shard 2/2: ${rel}.vpt, ${rel}.txt`);
    const sarif = JSON.parse(readFileSync(join(dir, 'with-killed', 'results.sarif'), 'utf8')) as {
      runs: { properties: { killedShardOriginals?: string[] } }[];
    };
    expect(sarif.runs[0]?.properties.killedShardOriginals).toEqual([`${rel}.vpt`, `${rel}.txt`]);
    // A directory that is not there is a mistyped argument, not a lost shard.
    const typo = await run(['merge', s1, join(dir, 'no-such-shard'), '--out', join(dir, 'typo')]);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(
      /no-such-shard\/report\.json: cannot read a nightly report \(no such file/,
    );
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    // Nothing but killed shards: nothing to merge, refused as before.
    const none = await run(['merge', killed, '--out', join(dir, 'none')]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('killed/report.json: cannot read a nightly report');
  });
});

describe("vpdma merge given a killed shard's original whose meta it cannot read", () => {
  it('names it, not copied, and takes the .txt\u2019s meta when only the .vpt is damaged', async () => {
    const { killed, seed } = killedCopy('killed-meta');
    // No seed and case in its meta (a hand-made file, or one damaged): which night, which shard?
    const blank = await writeOriginal(killed, 'k/NoMeta/00000003', {}, ['txt']);
    // A damaged .vpt beside a whole .txt of this night's shard 2/2 (case 5): carried.
    const torn = await writeOriginal(killed, 'k/Torn/00000004', { seed, case: 5 }, ['txt', 'vpt']);
    writeFileSync(join(torn, 'original.vpt'), 'not a trace');
    const r = await run(['merge', s1, killed, '--out', join(dir, 'meta-merged')]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(
      `vpdma merge: ${join(blank, 'original.txt')}: names no seed and case in its meta (damaged, or not written by vpdma), so it cannot be told this night's: not copied; it stays in ${killed}\n`,
    );
    expect(existsSync(join(dir, 'meta-merged', 'findings', 'k', 'NoMeta'))).toBe(false);
    const report = JSON.parse(readFileSync(join(dir, 'meta-merged', 'report.json'), 'utf8')) as {
      killedShardOriginals?: { signature: string }[];
    };
    expect(report.killedShardOriginals?.map((o) => o.signature)).toEqual(['k/Torn/00000004']);
    expect(r.err).not.toContain('Torn');
  });
});

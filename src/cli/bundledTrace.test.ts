// `corpus:NAME` as a trace argument: the bundled corpus's file, an unknown NAME one usage line
// (exit 2), and a replay of one in-process, as a nightly's Reproduce line gives it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { bundledCorpusDir } from '../store/corpus.js';
import { UserError } from './context.js';
import { isBundledRef, traceArgument, traceArguments } from './bundledTrace.js';
import { commandTraceName } from './historyTraceName.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-bundled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const corpus = join(dir, 'corpus');
mkdirSync(join(corpus, 'sub'), { recursive: true });
for (const name of ['legacy-flags.jsonl', 'legacy-lockpages.jsonl', 'README.md', 'sub/x.vpt'])
  writeFileSync(join(corpus, name), '');

/** The one-line message traceArgument refuses `arg` with. */
async function refusal(arg: string, cwd = '.'): Promise<string> {
  const e: unknown = await traceArgument(arg, corpus, cwd).catch((x: unknown) => x);
  if (!UserError.is(e)) throw new Error(`${arg}: not refused`);
  expect(e.exitCode).toBe(2);
  expect(e.message).not.toContain('\n');
  return e.message;
}

describe('corpus:NAME as a trace argument', () => {
  it('is the bundled file of that name; anything else is itself', async () => {
    expect(await traceArgument('corpus:legacy-flags.jsonl', corpus)).toBe(
      join(corpus, 'legacy-flags.jsonl'),
    );
    expect(await traceArgument('corpus:sub/x.vpt', corpus)).toBe(join(corpus, 'sub/x.vpt'));
    for (const other of ['-', 'corpus/legacy-flags.jsonl', './corpus:x.jsonl', 'a.jsonl'])
      expect(await traceArgument(other, corpus)).toBe(other);
    expect(isBundledRef('corpus:a.jsonl')).toBe(true);
    expect(isBundledRef('./corpus:a.jsonl')).toBe(false);
  });

  it('refuses an unknown name in one line naming it, with the names it may have meant', async () => {
    expect(await refusal('corpus:legacy')).toBe(
      "corpus:legacy: no trace of that name in vpdma's bundled corpus; did you mean corpus:legacy-flags.jsonl, corpus:legacy-lockpages.jsonl?",
    );
    expect(await refusal('corpus:nothing-like-it.jsonl')).toBe(
      `corpus:nothing-like-it.jsonl: no trace of that name in vpdma's bundled corpus (${corpus}: corpus:NAME takes the name of one of its 2 trace files)`,
    );
    // Not a trace, outside the corpus, or no name at all.
    writeFileSync(join(dir, 'outside.jsonl'), '');
    for (const arg of ['corpus:README.md', 'corpus:../outside.jsonl', 'corpus:sub'])
      expect(await refusal(arg)).toMatch(
        /^corpus:\S*: no trace of that name in vpdma's bundled corpus/,
      );
  });

  it('takes a NAME without its extension when one trace has it, and corpus: alone as the corpus', async () => {
    expect(await traceArgument('corpus:legacy-flags', corpus)).toBe(
      join(corpus, 'legacy-flags.jsonl'),
    );
    expect(await traceArgument('corpus:sub/x', corpus)).toBe(join(corpus, 'sub/x.vpt'));
    // Two formats of one name: which one is not guessed.
    const two = join(dir, 'two');
    mkdirSync(two);
    for (const name of ['events.jsonl', 'events.vpt']) writeFileSync(join(two, name), '');
    const e: unknown = await traceArgument('corpus:events', two).catch((x: unknown) => x);
    expect(UserError.is(e) && e.message).toBe(
      "corpus:events: no trace of that name in vpdma's bundled corpus; did you mean corpus:events.jsonl, corpus:events.vpt?",
    );
    // The whole corpus where a command takes directories (replay), one line elsewhere.
    expect(await traceArgument('corpus:', corpus, '.', true)).toBe(corpus);
    expect(await refusal('corpus:')).toBe(
      'corpus: alone names the whole bundled corpus, which only replay takes; name one of its traces, corpus:NAME',
    );
  });

  it('refuses a name that is also a file here, saying how to name that one', async () => {
    const cwd = join(dir, 'cwd');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'corpus:legacy-flags.jsonl'), '');
    expect(await refusal('corpus:legacy-flags.jsonl', cwd)).toBe(
      'corpus:legacy-flags.jsonl: names a trace of the bundled corpus, and there is also a file of that name here; write ./corpus:legacy-flags.jsonl for that one',
    );
  });

  it('names a bundled trace in a command as the history does, and any other trace by its path', () => {
    const bundled = join(bundledCorpusDir(), 'events.jsonl');
    expect(commandTraceName(bundled)).toBe('corpus:events.jsonl');
    expect(commandTraceName('/home/runner/ci/node_modules/vpdma/corpus/events.jsonl')).toBe(
      'corpus:events.jsonl',
    );
    // A repro keeps its path (the history's findings/... name is relative to --out, not here).
    const repro = '/s1/out/findings/target-crashed/GetCommonBuffer/b8a02000/repro.jsonl';
    for (const t of [repro, 'corpus/events.jsonl', '/home/me/captures/events.jsonl'])
      expect(commandTraceName(t)).toBe(t);
  });
});

describe('vpdma replay corpus:NAME', () => {
  it('replays the bundled trace; an unknown name is a usage error, exit 2, before anything runs', async () => {
    const json = join(dir, 'report.json');
    const r = await runCli(['replay', 'corpus:events.jsonl', '--json', json, '--quiet']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      traces: { trace: string; outcome: string; calls: number }[];
    };
    expect(report.traces).toEqual([
      expect.objectContaining({ trace: join(bundledCorpusDir(), 'events.jsonl'), outcome: 'pass' }),
    ]);
    expect(report.traces[0]?.calls).toBeGreaterThan(0);
    const bad = await runCli(['replay', 'corpus:events.jsonl', 'corpus:event.jsonl']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "vpdma: corpus:event.jsonl: no trace of that name in vpdma's bundled corpus; did you mean corpus:events.jsonl?\n",
    );
    expect(bad.out).toBe('');
    expect(await traceArguments(['-', 'corpus:events', 'corpus:'])).toEqual([
      '-',
      join(bundledCorpusDir(), 'events.jsonl'),
      bundledCorpusDir(),
    ]);
  });
});

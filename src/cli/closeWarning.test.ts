// A module target whose close() throws, rejects or hangs: `replay`, `fuzz` and `nightly` say so
// in one warning line on stderr naming the target (no stack trace), once per phase; results,
// reports and exit code are those of a target whose close() works.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { guardTarget } from '../replay/guardedTarget.js';
import { runCli } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-close-'));
const index = pathToFileURL(join(root, 'dist/lib/index.bundle.js')).href;
/** The model, with a close() failing the way VPDMA_FIXTURE_CLOSE says (ok: it works). */
const module = join(dir, 'close-fails.mjs');
writeFileSync(
  module,
  `import { createModelTarget } from ${JSON.stringify(index)};
export default async function createTarget(options) {
  const t = await createModelTarget(options);
  const how = process.env.VPDMA_FIXTURE_CLOSE ?? 'throw';
  const close = () => {
    if (how === 'ok') return undefined;
    if (how === 'reject') return Promise.reject(new Error('flush failed'));
    throw new TypeError('cannot close: handle gone');
  };
  return { call: (c) => t.call(c), read: (a, n) => t.read(a, n), state: () => t.state(), close };
}
`,
);
const traces = join(dir, 'traces');
mkdirSync(traces);
for (const f of ['pool-helpers.jsonl', 'events.jsonl'])
  writeFileSync(join(traces, f), readFileSync(join(root, 'corpus', f)));

const warning = (unit: string, why: string): RegExp =>
  new RegExp(
    `^vpdma: warning: target module:\\S*close-fails\\.mjs: close\\(\\) threw ${why} \\(after ${unit}; ignored: results and exit code unchanged\\)$`,
    'gm',
  );
const warnings = (err: string): string[] =>
  err.split('\n').filter((l) => l.startsWith('vpdma: warning: target'));

/** A report without what differs between two runs anyway. */
function comparable(path: string): unknown {
  const r = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete r['timing'];
  return r;
}

afterEach(() => {
  delete process.env['VPDMA_FIXTURE_CLOSE'];
});

describe("a module target's close() that fails", () => {
  it('replay: one warning line naming the target; the report and exit code unchanged', async () => {
    const run = async (how: string) => {
      process.env['VPDMA_FIXTURE_CLOSE'] = how;
      const json = join(dir, `replay-${how}.json`);
      const r = await runCli(['replay', traces, '--target', `module:${module}`, '--json', json]);
      return { ...r, report: comparable(json) };
    };
    const ok = await run('ok');
    const bad = await run('throw');
    expect(warnings(ok.err)).toEqual([]);
    expect(bad.err.match(warning('2 traces', 'TypeError: cannot close: handle gone'))).toHaveLength(
      1,
    );
    expect(warnings(bad.err)).toHaveLength(1);
    expect(bad.err).not.toMatch(/\n\s+at /);
    expect(bad.code).toBe(0);
    expect(bad.code).toBe(ok.code);
    expect(bad.report).toEqual(ok.report);
    const timeless = (t: string): string => t.replace(/in [\d.]+ s \(\d+ calls\/s/, 'in T');
    expect(timeless(bad.out)).toBe(timeless(ok.out));
  });

  it('fuzz: one warning line for the campaign; report and exit code unchanged', async () => {
    const run = async (how: string) => {
      process.env['VPDMA_FIXTURE_CLOSE'] = how;
      const out = join(dir, `fuzz-${how}`);
      const r = await runCli([
        ...['fuzz', '--runs', '30', '--target', `module:${module}`, '--out', out, '--quiet'],
      ]);
      const report = comparable(join(out, 'report.json')) as Record<string, unknown>;
      delete report['corpus']; // its directory differs
      return { ...r, report };
    };
    const ok = await run('ok');
    const bad = await run('reject');
    expect(warnings(ok.err)).toEqual([]);
    expect(bad.err.match(warning('30 cases', 'Error: flush failed'))).toHaveLength(1);
    expect(warnings(bad.err)).toHaveLength(1);
    expect(bad.code).toBe(ok.code);
    expect(bad.report).toEqual(ok.report);
  });

  it('nightly: a warning for the corpus replay and one for the fuzzing, exit unchanged', async () => {
    process.env['VPDMA_FIXTURE_CLOSE'] = 'throw';
    const out = join(dir, 'nightly');
    const r = await runCli([
      ...['nightly', '--runs', '20', '--replay', traces, '--target', `module:${module}`],
      ...['--out', out, '--quiet'],
    ]);
    expect(r.code).toBe(0);
    const why = 'TypeError: cannot close: handle gone';
    expect(r.err.match(warning('2 traces', why))).toHaveLength(1);
    expect(r.err.match(warning('20 cases', why))).toHaveLength(1);
    expect(warnings(r.err)).toHaveLength(2);
  });

  it('the guard rejects with what close() did: threw, rejected, or did not answer', async () => {
    const guarded = (close: () => unknown) =>
      guardTarget({ call: () => ({}), read: () => new Uint8Array(0), close }, 50);
    await expect(
      guarded(() => {
        throw new RangeError('x');
      }).close?.(),
    ).rejects.toThrow(/^close\(\) threw RangeError: x$/);
    await expect(guarded(() => Promise.reject(new Error('y'))).close?.()).rejects.toThrow(
      /^close\(\) threw Error: y$/,
    );
    await expect(guarded(() => new Promise(() => {})).close?.()).rejects.toThrow(
      /^close\(\): no answer within 50 ms$/,
    );
    await expect(guarded(() => undefined).close?.()).resolves.toBeUndefined();
  });
});

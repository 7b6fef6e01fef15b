// --known's files: a list or a report.json read into signatures, every malformed one refused
// with its place, and the bundled reactos-divergences list kept with the README's table.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signatureOf } from '../fuzz/findings.js';
import type { ViolationKind } from '../replay/violation.js';
import { bundledKnownPath, knownPath, loadKnown, parseKnown } from './knownFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-known-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const refusal = async (args: string[]): Promise<string> =>
  loadKnown(args).then(
    () => 'accepted',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );

describe('parseKnown', () => {
  it('reads a list: one signature a line, # comments and blank lines skipped', () => {
    const text =
      '# baseline\n\nreturn-mismatch/UnlockPages/f586ddc4  # a stub\r\n  target-crashed/(start)/b8a02000\n';
    expect(parseKnown(text)).toEqual({
      ok: true,
      value: ['return-mismatch/UnlockPages/f586ddc4', 'target-crashed/(start)/b8a02000'],
    });
    expect(parseKnown('')).toEqual({ ok: true, value: [] });
  });

  it('refuses a line that is no signature, or of no violation kind, by its line', () => {
    expect(parseKnown('# x\nreturn-mismatch UnlockPages ret\n')).toEqual({
      ok: false,
      error: expect.stringMatching(/^line 2: not a signature \(kind\/Function\/hash/) as string,
    });
    expect(parseKnown('return-mismatch/A/f586ddc4\nno-such-kind/UnlockPages/f586ddc4')).toEqual({
      ok: false,
      error: expect.stringMatching(/^line 2: not a signature: its kind is not/) as string,
    });
  });

  it("reads a report's violations' signatures, computing one an older report lacks", () => {
    const report = {
      schema: 'vpdma-report',
      command: 'nightly',
      violations: [
        {
          kind: 'return-mismatch',
          fn: 'VideoPortStartDma',
          signature: 'return-mismatch/StartDma/f586ddc4',
        },
        { kind: 'out-param-mismatch', fn: 'VideoPortStartDma', field: 'out.pLength' },
      ],
    };
    expect(parseKnown(`\uFEFF${JSON.stringify(report, null, 2)}`)).toEqual({
      ok: true,
      value: [
        'return-mismatch/StartDma/f586ddc4',
        signatureOf('out-param-mismatch', 'VideoPortStartDma', 'out.pLength'),
      ],
    });
  });

  it('refuses a malformed report by its place, quoting none of it', () => {
    const bad = (json: string): string => {
      const r = parseKnown(json);
      return r.ok ? 'accepted' : r.error;
    };
    // The line where V8 gives the position; the reason alone where it does not (Node 20's).
    expect(bad('{\n"schema": "vpdma-report",\n"violations": [1 2]}')).toBe(
      "line 3: expected ',' or ']' after an array element",
    );
    expect(bad('{\n"schema": "vpdma-report",\n"violations": [SECRET]}')).toMatch(
      /^(line 3: )?unexpected character$/,
    );
    expect(bad('{"schema": "other", "violations": []}')).toMatch(/^not a vpdma report\.json/);
    expect(bad('{"schema": "vpdma-report"}')).toBe('violations: not an array');
    expect(bad('{"schema": "vpdma-report", "violations": [{"signature": "x y"}]}')).toMatch(
      /^violations\[0\]\.signature: not a signature/,
    );
    expect(bad('{"schema": "vpdma-report", "violations": [{}, 3]}')).toBe(
      'violations[0]: no signature, nor a kind and fn to compute it from',
    );
    // An inherited property is never read: `__proto__` in the file is only data.
    expect(
      bad('{"schema": "vpdma-report", "__proto__": {"violations": []}, "violations": {}}'),
    ).toBe('violations: not an array');
    expect(({} as Record<string, unknown>)['violations']).toBeUndefined();
  });
});

describe('loadKnown', () => {
  it('joins every file given, and says where they came from', async () => {
    const list = file('list.txt', 'return-mismatch/UnlockPages/f586ddc4\n');
    const report = file(
      'r.json',
      JSON.stringify({
        schema: 'vpdma-report',
        violations: [{ signature: 'return-mismatch/MapMemory/f586ddc4' }],
      }),
    );
    const known = await loadKnown([list, report]);
    expect(known?.from).toEqual([list, report]);
    expect([...(known?.signatures ?? [])].sort()).toEqual([
      'return-mismatch/MapMemory/f586ddc4',
      'return-mismatch/UnlockPages/f586ddc4',
    ]);
    expect(await loadKnown(undefined)).toBeUndefined();
  });

  it('refuses a file it cannot read or parse in one line naming it and the place', async () => {
    const bad = file('bad.txt', 'return-mismatch/UnlockPages/f586ddc4\nnonsense\n');
    expect(await refusal([bad])).toBe(
      `--known ${bad}: line 2: not a signature (kind/Function/hash, as report.json's violations[].signature)`,
    );
    expect(await refusal([join(dir, 'missing.txt')])).toBe(
      `--known ${join(dir, 'missing.txt')}: no such file`,
    );
    expect(await refusal([dir])).toBe(`--known ${dir}: is a directory`);
  });

  it('takes a bundled list by name, unless a file of that name is here too', async () => {
    expect(await knownPath('reactos-divergences', dir)).toBe(
      bundledKnownPath('reactos-divergences'),
    );
    expect(await knownPath('./reactos-divergences', dir)).toBe('./reactos-divergences');
    const here = join(dir, 'here');
    mkdirSync(here);
    writeFileSync(join(here, 'reactos-divergences'), '');
    await expect(knownPath('reactos-divergences', here)).rejects.toThrow(
      'write ./reactos-divergences for that one',
    );
  });
});

/**
 * The README's table ("What vpdma found in the ReactOS profile") as signatures: each code span
 * of a row's first cell is `kind function field`, its function `...` for the row's first one.
 */
function readmeSignatures(readme: string): string[] {
  const start = readme.indexOf('## What vpdma found in the ReactOS profile');
  const table = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const out: string[] = [];
  for (const row of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const cell = row.split(' | ')[0] ?? '';
    let fn = '';
    for (const [, span] of cell.matchAll(/`([^`]+)`/g)) {
      const [kind = '', f = '', field = ''] = (span ?? '').split(' ');
      fn = f === '...' ? fn : f;
      out.push(signatureOf(kind as ViolationKind, fn, field));
    }
  }
  return out.sort();
}

describe('the bundled reactos-divergences list', () => {
  it("holds exactly the README table's divergences", async () => {
    const root = resolve(import.meta.dirname, '../..');
    const fromReadme = readmeSignatures(readFileSync(join(root, 'README.md'), 'utf8'));
    const known = await loadKnown(['reactos-divergences']);
    expect(fromReadme).toHaveLength(16);
    expect([...(known?.signatures ?? [])].sort()).toEqual(fromReadme);
  });
});

// --worker-heap-mb can change outcomes (a leaking module: target's trace or case becomes a
// target-crashed when its worker outgrows the limit), so the reports record it: fuzz's
// report.json and its re-run hint, replay's --json. Not given, nothing is recorded.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-worker-heap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('--worker-heap-mb in the record of a run', () => {
  it('fuzz: report.json has workerHeapMb, and the summary gives it back', async () => {
    const out = join(dir, 'fuzz');
    const args = ['--runs', '6', '--workers', '1', '--worker-heap-mb', '128', '--quiet'];
    const r = await run(['fuzz', ...args, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(json(join(out, 'report.json'))['workerHeapMb']).toBe(128);
    expect(r.out).toContain('cases 6 (--runs 6 --worker-heap-mb 128 reproduces them from ');
    const plain = join(dir, 'fuzz-plain');
    const p = await run(['fuzz', '--runs', '6', '--workers', '1', '--quiet', '--out', plain]);
    expect(p.code, p.err).toBe(0);
    expect(json(join(plain, 'report.json'))).not.toHaveProperty('workerHeapMb');
    expect(p.out).toContain('cases 6 (--runs 6 reproduces them from ');
  });

  it("replay: --json's report has workerHeapMb beside timeoutMs", async () => {
    const trace = resolve(import.meta.dirname, '../../corpus/events.jsonl');
    const out = join(dir, 'replay.json');
    const r = await run(['replay', trace, '--worker-heap-mb', '96', '--quiet', '--json', out]);
    expect(r.code, r.err).toBe(0);
    expect(json(out)).toMatchObject({ timeoutMs: 5000, workerHeapMb: 96 });
    const plain = join(dir, 'replay-plain.json');
    expect((await run(['replay', trace, '--quiet', '--json', plain])).code).toBe(0);
    expect(json(plain)).not.toHaveProperty('workerHeapMb');
  });
});

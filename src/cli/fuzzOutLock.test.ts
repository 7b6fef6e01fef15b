// vpdma fuzz holds --out's lock as nightly does: two runs writing one --out would mix their
// findings, corpus and report.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { OUT_LOCK } from './runLock.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-fuzz-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const argv = (out: string): string[] => [
  'fuzz',
  '--target',
  'model',
  '--runs',
  '8',
  '--workers',
  '1',
  '--seed',
  '3',
  '--out',
  out,
];

describe('vpdma fuzz and the --out lock', () => {
  it('refuses an --out a running vpdma holds, naming it, and writes nothing there', async () => {
    const out = join(dir, 'held');
    mkdirSync(out);
    const since = '2026-12-07T20:00:00.000Z';
    const lock = join(out, OUT_LOCK);
    writeFileSync(lock, `${JSON.stringify({ pid: process.pid, host: hostname(), since })}\n`);
    const r = await runCli(argv(out));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `vpdma: --out ${out} is in use by another vpdma run (pid ${process.pid} on ${hostname()}, since ${since})`,
    );
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(readFileSync(lock, 'utf8')).toContain(since);
  });

  it('holds the lock while it runs and removes it at its end', async () => {
    const out = join(dir, 'free');
    const r = await runCli(argv(out));
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    expect(existsSync(join(out, OUT_LOCK))).toBe(false);
  });
});

// `vpdma history show` and `vpdma history forget` on real files.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-history-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bucket = (signature: string, target: string, extra: object = {}) => ({
  signature,
  target,
  kind: signature.split('/')[0],
  fn: `VideoPort${signature.split('/')[1]}`,
  firstSeen: 'n1',
  lastSeen: 'n3',
  timesSeen: 3,
  ...extra,
});
const OPEN = 'memory-corrupted/MapDmaMemory/aaaa0001';
const FIXED = 'return-mismatch/StartDma/bbbb0002';
const REGRESSED = 'map-dma-wrote-out-param/MapDmaMemory/cccc0003';
/** Version 2, as vpdma writes it (sorted by signature, then target). */
const text = `${JSON.stringify(
  {
    format: 'vpdma-history',
    version: 2,
    buckets: [
      bucket(REGRESSED, 'model', { regressedIn: 'n3' }),
      bucket(OPEN, 'model', { signatureScheme: 1 }),
      bucket(OPEN, 'module:./t.mjs'),
      bucket(FIXED, 'model', { fixedSince: 'n4' }),
    ],
  },
  null,
  2,
)}\n`;
const fresh = (name: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('vpdma history show', () => {
  it('lists the buckets by target with their status, for humans', async () => {
    const h = fresh('show.json');
    const r = await runCli(['history', 'show', h]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe(
      [
        `${h}: 4 buckets, 2 targets`,
        'model: 3 buckets (1 open, 1 regressed, 1 fixed)',
        `  [regressed] ${REGRESSED}: map-dma-wrote-out-param in VideoPortMapDmaMemory; first seen n1, last seen n3, seen 3 times, regressed in n3`,
        `  [open] ${OPEN}: memory-corrupted in VideoPortMapDmaMemory; first seen n1, last seen n3, seen 3 times, signature scheme 1`,
        `  [fixed] ${FIXED}: return-mismatch in VideoPortStartDma; first seen n1, last seen n3, seen 3 times, fixed since n4`,
        'module:./t.mjs: 1 bucket (1 open, 0 regressed, 0 fixed)',
        `  [open] ${OPEN}: memory-corrupted in VideoPortMapDmaMemory; first seen n1, last seen n3, seen 3 times`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(h, 'utf8')).toBe(text);
  });

  it('prints JSON with each bucket whole and its status, and keeps to --target', async () => {
    const h = fresh('show-json.json');
    const r = await runCli(['history', 'show', h, '--json', '--target', 'model']);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.out) as { file: string; buckets: Record<string, unknown>[] };
    expect(listed.file).toBe(h);
    expect(listed.buckets.map((b) => [b['signature'], b['status']])).toEqual([
      [REGRESSED, 'regressed'],
      [OPEN, 'open'],
      [FIXED, 'fixed'],
    ]);
    expect(listed.buckets[2]).toEqual({
      ...bucket(FIXED, 'model'),
      status: 'fixed',
      fixedSince: 'n4',
    });
    expect(listed.buckets[1]?.['signatureScheme']).toBe(1);
  });

  it('refuses a missing file and a damaged one, saying what to do', async () => {
    const missing = await runCli(['history', 'show', join(dir, 'none.json')]);
    expect([missing.code, missing.err]).toEqual([
      2,
      `vpdma: history file ${join(dir, 'none.json')}: no such file\n`,
    ]);
    const h = join(dir, 'damaged.json');
    writeFileSync(h, text.slice(0, 100));
    writeFileSync(`${h}.prev`, text);
    const r = await runCli(['history', 'show', h]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `vpdma: history file ${h}: not valid JSON: it ends at line 6 before the history does (cut short?); vpdma will not overwrite it: the previous version is ${h}.prev (written `,
    );
    expect(r.err).toContain(
      `4 buckets): restore it with \`cp ${h}.prev ${h}\`, or give the next nightly or merge --history ${h} --history-recover to start from it`,
    );
  });
});

describe('vpdma history forget', () => {
  it('drops the buckets of a signature, keeping the version before as FILE.prev', async () => {
    const h = fresh('forget.json');
    const r = await runCli(['history', 'forget', h, OPEN, '--target', 'model']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain(
      `vpdma history forget: 1 bucket dropped from ${h} (the version before kept as ${h}.prev)`,
    );
    expect(r.out).toContain(`  [open] ${OPEN}: `);
    expect(readFileSync(`${h}.prev`, 'utf8')).toBe(text);
    const now = JSON.parse(readFileSync(h, 'utf8')) as {
      buckets: { signature: string; target: string }[];
    };
    expect(now.buckets.map((b) => [b.signature, b.target])).toEqual([
      [REGRESSED, 'model'],
      [OPEN, 'module:./t.mjs'],
      [FIXED, 'model'],
    ]);
    // Without --target: every target's bucket of it; the lock is gone after each.
    const all = await runCli(['history', 'forget', h, OPEN, FIXED]);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^vpdma history forget: 2 buckets dropped/);
    const left = JSON.parse(readFileSync(h, 'utf8')) as { buckets: { signature: string }[] };
    expect(left.buckets.map((b) => b.signature)).toEqual([REGRESSED]);
    expect(existsSync(`${h}.lock`)).toBe(false);
  });

  it('forgets nothing when a signature has no bucket, or while a run holds the lock', async () => {
    const h = fresh('forget-refused.json');
    const r = await runCli(['history', 'forget', h, OPEN, 'kind/Fn/none']);
    expect([r.code, r.err]).toEqual([
      2,
      `vpdma: history file ${h}: no bucket of kind/Fn/none (vpdma history show ${h} lists them); nothing forgotten\n`,
    ]);
    const onlyOther = await runCli(['history', 'forget', h, FIXED, '--target', 'module:./t.mjs']);
    expect(onlyOther.code).toBe(2);
    expect(onlyOther.err).toContain(`no bucket of ${FIXED} of target module:./t.mjs`);
    // A night holding it (this very process: running, on this host).
    const holder = { pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(`${h}.lock`, `${JSON.stringify(holder)}\n`);
    const held = await runCli(['history', 'forget', h, OPEN]);
    expect(held.code).toBe(2);
    expect(held.err).toMatch(new RegExp(`^vpdma: --history ${h} is in use by another vpdma run`));
    rmSync(`${h}.lock`);
    expect(readFileSync(h, 'utf8')).toBe(text);
    expect(existsSync(`${h}.prev`)).toBe(false);
  });
});

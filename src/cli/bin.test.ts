// The published entry point, as a user runs it (needs `npm run build`; `npm test` builds first).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/vpdma.js');

beforeAll(() => {
  if (!existsSync(join(root, 'dist/cli/entry.bundle.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
});

describe('bin/vpdma.js', () => {
  it('refuses a replay directory holding a directory it cannot list: one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-locked-'));
    try {
      copyFileSync(join(root, 'corpus/events.jsonl'), join(dir, 'events.jsonl'));
      mkdirSync(join(dir, 'locked'));
      chmodSync(join(dir, 'locked'), 0o000);
      chmodSync(dir, 0o755);
      // Root lists anything: run as an unprivileged user then, as a user would meet this.
      const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];
      const argv = [...asUser, process.execPath, bin, 'replay', dir, '--quiet'];
      const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`vpdma: ${join(dir, 'locked')}: cannot list this directory (EACCES)\n`);
    } finally {
      chmodSync(join(dir, 'locked'), 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a --history it could not write at the end, and prunes no read-only corpus', () => {
    // As an unprivileged user (root writes anywhere): a history in a directory it cannot write,
    // and a history file made read-only, are refused before any work, with one line, exit 2.
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-ro-'));
    try {
      const locked = join(dir, 'locked');
      mkdirSync(locked);
      const readOnly = join(dir, 'history.json');
      writeFileSync(readOnly, '{"format":"vpdma-history","version":1,"buckets":[]}\n');
      const corpus = join(dir, 'corpus');
      mkdirSync(corpus);
      copyFileSync(join(root, 'corpus/events.jsonl'), join(corpus, 'a.jsonl'));
      copyFileSync(join(root, 'corpus/events.jsonl'), join(corpus, 'b.jsonl'));
      chmodSync(dir, 0o777);
      chmodSync(locked, 0o555);
      chmodSync(readOnly, 0o444);
      chmodSync(corpus, 0o555);
      const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];
      const vpdma = (...args: string[]) => {
        const argv = [...asUser, process.execPath, bin, ...args];
        return spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
      };
      for (const [history, shown] of [
        [join(locked, 'h.json'), locked],
        [readOnly, readOnly],
      ] as const) {
        const out = join(dir, `out-${history === readOnly ? 'ro' : 'locked'}`);
        const r = vpdma('nightly', '--out', out, '--runs', '5', '--quiet', '--history', history);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^vpdma: --history ${shown}.*: not writable`, 'm'));
        expect(existsSync(join(out, 'report.json'))).toBe(false);
      }
      const prune = vpdma('corpus', 'prune', corpus);
      expect(prune.status).toBe(2);
      expect(prune.stderr).toMatch(new RegExp(`^vpdma: ${corpus}.*: not writable`, 'm'));
      expect(prune.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      chmodSync(join(dir, 'corpus'), 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line and no stack for a bad trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-bin-'));
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      '{"format":"vpdma-trace","version":1}\n{"fn":"VideoPortFrobnicate","args":{}}\n',
    );
    const r = spawnSync(process.execPath, [bin, 'show', file], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vpdma: ${file}:2: fn: unknown function "VideoPortFrobnicate"\n`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops writing quietly when its reader goes away (vpdma show big.vpt | head)', () => {
    // Megabytes of listing (far more than a pipe holds) into a reader that takes 10 bytes.
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-bin-'));
    const file = join(dir, 'big.jsonl');
    const write = JSON.stringify({
      fn: '@write',
      args: { va: '0x200000', data: 'ab'.repeat(512) },
    });
    writeFileSync(file, `{"format":"vpdma-trace","version":1}\n${`${write}\n`.repeat(4000)}`);
    const r = spawnSync(
      'bash',
      ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" show "${file}" | head -c 10`],
      { encoding: 'utf8' },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('# trace /t');
    expect(r.status).toBe(0);
  });

  it('says in one line that its output could not be written (a full disk): exit 2, no stack', () => {
    // /dev/full refuses every write with ENOSPC.
    const replay = (target: string): ReturnType<typeof spawnSync> =>
      spawnSync(
        'sh',
        [
          '-c',
          `"${process.execPath}" "${bin}" replay corpus/events.jsonl --target ${target} --quiet > /dev/full`,
        ],
        { cwd: root, encoding: 'utf8' },
      );
    for (const target of ['model', 'mutant:dodma-signals-event']) {
      const r = replay(target);
      expect(String(r.stderr)).not.toMatch(/\n\s+at /);
      expect(String(r.stderr)).toContain('\nvpdma: stdout: no space left on device\n');
      // Clean (0) or with violations (1), the output was lost: the environment's 2.
      expect(r.status, target).toBe(2);
    }
  });

  it('runs its workers under node flags a worker thread refuses (V8 and per-process ones)', () => {
    // `node --max-old-space-size=4096 bin/vpdma.js ...` used to end in an internal error.
    const flags = ['--max-old-space-size=4096', '--stack-size=2000', '--enable-source-maps'];
    const corpus = join(root, 'corpus');
    const r = spawnSync(
      process.execPath,
      [...flags, bin, 'replay', corpus, '--target', 'model', '--workers', '2'],
      { encoding: 'utf8' },
    );
    expect(r.stderr).not.toMatch(/internal error|ERR_WORKER/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/traces 23: 23 passed/);
  });

  it('exits 0 for --version', () => {
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect([r.status, r.stdout]).toEqual([0, `${pkg.version}\n`]);
  });

  it('refuses to be run through dist/cli/entry.js: one line naming bin/vpdma.js, exit 2', () => {
    // It only re-exports main: run as a script it did nothing and exited 0, so a CI step
    // calling it always passed. Through a link (npm's .bin) and without the extension too.
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-entry-'));
    try {
      const link = join(dir, 'entry.js');
      symlinkSync(join(root, 'dist/cli/entry.js'), link);
      for (const [script, shown] of [
        ['dist/cli/entry.js', 'entry.js'],
        ['dist/cli/entry', 'entry.js'],
        ['dist/cli/entry.bundle.js', 'entry.bundle.js'],
        [link, 'entry.js'],
      ] as const) {
        const argv = [script, 'replay', 'corpus', '--quiet'];
        const r = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
        expect([r.status, r.stdout], script).toEqual([2, '']);
        expect(r.stderr, script).toBe(
          `vpdma: dist/cli/${shown} is the module bin/vpdma.js loads, not the command: run \`node bin/vpdma.js ARGS\` (or \`npx vpdma ARGS\`)\n`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Imported, it says nothing: bin/vpdma.js (above) and a library user are unaffected.
    const imported = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "import('./dist/cli/entry.js').then((m) => typeof m.main)"],
      { cwd: root, encoding: 'utf8' },
    );
    expect([imported.status, imported.stderr]).toEqual([0, '']);
  });

  it('survives a module target that calls process.exit(0) from a timer once loaded', () => {
    // Only worker threads import a module target (in vpdma's own thread, the timer would end
    // the run with exit 0 and no report): there, process.exit ends one thread, which is
    // replaced. A worker runs its tasks back to back waiting on an Atomics, not on its event
    // loop, so a timer fires only while the target awaits the event loop: this one does at
    // each start, as a target doing I/O would. The first thread whose timer fires exits, once.
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-timer-exit-'));
    try {
      const target = join(dir, 'timer-exit.mjs');
      const marker = join(dir, 'marker');
      writeFileSync(
        target,
        [
          "import { appendFileSync, readFileSync } from 'node:fs';",
          "import { isMainThread, threadId } from 'node:worker_threads';",
          `import { createModelTarget } from ${JSON.stringify(join(root, 'dist/lib/index.bundle.js'))};`,
          `const marker = ${JSON.stringify(marker)};`,
          "appendFileSync(marker, `load ${isMainThread ? 'main' : 'worker'} ${threadId}\\n`);",
          'setTimeout(() => {',
          "  if (readFileSync(marker, 'utf8').includes('exit')) return;",
          '  appendFileSync(marker, `exit ${threadId}\\n`);',
          '  process.exit(0);',
          '}, 30);',
          'export default async (o) => {',
          '  await new Promise((r) => setImmediate(r));',
          '  return createModelTarget(o);',
          '};',
        ].join('\n'),
      );
      const out = join(dir, 'out');
      const args = ['fuzz', '--runs', '300', '--target', `module:${target}`, '--out', out];
      const r = spawnSync(process.execPath, [bin, ...args, '--quiet'], { encoding: 'utf8' });
      // The exit is the module's top-level state (its timer): when a case it cut short does
      // not fail again, the module-state warning says so (moduleState.ts); nothing else.
      const stateWarning =
        /^vpdma: warning: 1 failing case never failed again with 2 workers: a module target's top-level state .*\n/m;
      expect(r.stderr.replace(stateWarning, '')).not.toMatch(/Error|vpdma: /);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/coverage \d+ branches, \d+ keys/);
      const lines = readFileSync(marker, 'utf8').trim().split('\n');
      // Loaded in worker threads only; one of them exited, and the pool started another.
      expect(lines.filter((l) => l.startsWith('load main'))).toEqual([]);
      const exits = lines.filter((l) => l.startsWith('exit '));
      expect(exits).toHaveLength(1);
      const before = lines.slice(0, lines.indexOf(exits[0] ?? ''));
      const after = lines.slice(before.length + 1).filter((l) => l.startsWith('load '));
      expect(after.some((l) => !before.includes(l))).toBe(true);
      // The case that thread had in hand, if any, did not fail again: not a finding. The other
      // cases all ran.
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        cases: number;
        findings: unknown[];
        unconfirmed: { kind: string }[];
      };
      expect(report.cases).toBe(300);
      expect(report.findings).toEqual([]);
      expect(report.unconfirmed.length).toBeLessThanOrEqual(1);
      for (const u of report.unconfirmed) expect(u.kind).toBe('target-crashed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

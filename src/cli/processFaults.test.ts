// A process target that misbehaves on the wire (test/fixtures/bad-process-target.mjs, a real
// child speaking the protocol): every trace it serves is a target-crashed violation with a
// message saying what it sent, a fresh child serves the next trace, the report is written, and
// `vpdma replay` exits 3. No child outlives the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { pgrep, stillThere } from '../../test/pgrep.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'test/fixtures/bad-process-target.mjs');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-process-faults-'));
const traces = ['corpus/events.jsonl', 'corpus/pool-helpers.jsonl'].map((f) => join(root, f));
// A script that closes its output and lingers: run by `sh -c`, the shell must not hold the
// pipe open behind it (dash does not exec a -c command by itself).
const closing = join(dir, 'closes-output.sh');
writeFileSync(closing, '#!/bin/sh\nexec 1>&-\nsleep 29.1\n', { mode: 0o755 });

interface Report {
  traces: { trace: string; outcome: string; violations: number; calls: number }[];
  violations: { kind: string; message: string; trace: string; callIndex: number }[];
}

// '' when nothing matches; a pgrep that is missing or fails throws (test/pgrep.ts).
const childrenOf = (pid: number): string => pgrep(['-f', '-P', String(pid), 'bad-process-target']);
const running = (command: string): string => pgrep(['-f', command]);

describe('a process target that misbehaves on the wire', () => {
  const bad = (mode: string): string => `process:${process.execPath} ${fixture} ${mode}`;
  it.each([
    ['partial', bad('partial'), /exited \(code 0\)/],
    [
      'huge',
      bad('huge'),
      /^sent a frame claiming 2147483648 bytes \(over the 16 MiB limit; the length prefix is little-endian uint32, and came as 00 00 00 80\)$/,
    ],
    // "hell" read as a little-endian length
    [
      'junk',
      bad('junk'),
      /^sent a frame claiming 1819043176 bytes \(over the 16 MiB limit\); its first bytes read as text "hello from a stray printf" \(a stray print to stdout\?\)$/,
    ],
    // The first unasked frame's prefix and value ({unasked: 0}), whatever chunk they came in.
    [
      'chatter',
      bad('chatter'),
      /^wrote output nobody asked for \(its first bytes: 0c 00 00 00 de 00 01 a7\)$/,
    ],
    // A misspelled out-parameter, refused as a module's is, not dropped (read as unwritten).
    ['typo', bad('typo'), /answered out\.notAParam, which is not an out-parameter of /],
    // Garbage in a call answer names the call and the type that belongs there, as a module's.
    [
      'retstring',
      bad('retstring'),
      /^VideoPort(CreateEvent|AllocatePool): the target answered garbage: ret is the string "0x1", not an integer \((u32|ptr)\)$/,
    ],
    // touched in a call answer is named as such, not as a touched request's ranges.
    [
      'touchedstr',
      bad('touchedstr'),
      /^VideoPort(CreateEvent|AllocatePool): the target answered garbage: touched\[0\]\[0\] is the string "0x10", not an integer \(ptr\)$/,
    ],
    // It took up seq: an answer that repeats another request's seq is not this one's answer.
    [
      'stale',
      bad('stale'),
      /^answered (call|read) request seq \d+ with seq \d+ \(an answer to another request\? its hello listed seq\)$/,
    ],
    // Garbage in the error field is a crash at once, not a request left to time out.
    ['errnum', bad('errnum'), /sent garbage: an error that is not a string/],
    // The exception's own line, not only Node's closing version line.
    [
      'throw',
      bad('throw'),
      /exited \(code 1\) during (VideoPort\w+); its last stderr lines: .*Error: boom in \1 \| Node\.js v/,
    ],
    ['mute', bad('mute'), /closed its output/],
    ['a script closing its output', `process:${closing}`, /closed its output/],
    ['orphan', bad('orphan'), /exited \(code 0\)/],
    // A million characters of error text come back as a thousand and a count.
    ['shout', bad('shout'), /^reported an error: x{900,}\.\.\. \(1000019 characters in all\)$/],
    // It took up touched-in-call: a call answer without touched is garbage, not "nothing".
    [
      'untouched',
      bad('untouched'),
      /sent garbage: a call answered without touched \(its hello listed touched-in-call\)/,
    ],
    // A child that echoes requests back is garbage at hello, not a target that answers.
    ['echo (cat)', 'process:cat', /hello answered with the request itself/],
  ] as const)(
    '%s: target-crashed for each trace, exit 3, report written',
    async (mode, target, why) => {
      const json = join(dir, `${mode.replace(/\W/g, '')}.json`);
      const r = await runCli([
        'replay',
        ...traces,
        '--target',
        target,
        '--workers',
        '1',
        '--timeout',
        '3000',
        '--json',
        json,
        '--quiet',
      ]);
      expect(r.code, r.err).toBe(3);
      const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
      expect(rep.traces).toHaveLength(2);
      expect(rep.traces.map((t) => t.outcome)).toEqual(['crash', 'crash']);
      // Each trace ends in target-crashed saying why: a fresh child served the second one and
      // failed the same way (for shout, whose error is well-formed, the same child did).
      for (const t of traces) {
        const last = rep.violations.filter((v) => v.trace === t).at(-1);
        expect(last?.kind).toBe('target-crashed');
        expect(last?.message).toMatch(why);
      }
      expect(await stillThere(() => childrenOf(process.pid))).toBe('');
      expect(JSON.stringify(rep).length).toBeLessThan(100_000);
    },
  );

  it('kills what a target that exited left running in its process group', async () => {
    // As a user runs it (bin/vpdma.js): the orphan mode starts a background sleep and exits.
    const argv = [join(root, 'bin/vpdma.js'), 'replay', traces[0] ?? '', '--quiet'];
    const r = spawnSync(process.execPath, [...argv, '--target', bad('orphan')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(3);
    expect(await stillThere(() => running('sleep 31.4159'))).toBe('');
  });

  it('bounds the touched ranges call answers pile up while --paranoid asks for none', async () => {
    // Obsolete calls under --paranoid do not ask touched(): 40,000 ranges a call, two calls.
    const lines = readFileSync(join(root, 'corpus/legacy-mapdma-flags.jsonl'), 'utf8').split('\n');
    const mapDma = lines.filter((l) => l.includes('"VideoPortMapDmaMemory"')).slice(0, 2);
    const two = join(dir, 'two-mapdma.jsonl');
    writeFileSync(two, `${[lines[0], ...mapDma].join('\n')}\n`);
    const json = join(dir, 'flood.json');
    const r = await runCli([
      ...['replay', two, '--target', bad('flood'), '--paranoid', '--workers', '1'],
      ...['--json', json, '--quiet'],
    ]);
    expect(r.code, r.err).toBe(3);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.violations.map((v) => [v.kind, v.callIndex, v.message])).toEqual([
      [
        'target-crashed',
        1,
        'sent garbage: call answers listed more than 65536 touched ranges since vpdma last asked; join adjacent ones',
      ],
    ]);
  });

  it('times out a target that stops answering, not one that answers slowly', async () => {
    // The first calls of legacy-lockpages: LockPages is a call, state() twice and reads, each
    // answered 100 ms late; over the --timeout of 300 ms together, but each one within it.
    const lines = readFileSync(join(root, 'corpus/legacy-lockpages.jsonl'), 'utf8').split('\n');
    const short = join(dir, 'lockpages-start.jsonl');
    writeFileSync(short, `${lines.slice(0, 9).join('\n')}\n`);
    const slow = `process:${process.execPath} ${join(root, 'test/fixtures/slow-process-target.mjs')} 100`;
    const json = join(dir, 'slow.json');
    const r = await runCli([
      ...['replay', short, '--target', slow, '--workers', '1', '--timeout', '300'],
      ...['--json', json, '--quiet'],
    ]);
    expect(r.code, r.out).toBe(0);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.traces.map((t) => [t.outcome, t.calls])).toEqual([['pass', 8]]);
  }, 60_000);

  it("names the call a target did not answer in time, as the line's index alone would not", async () => {
    const stuck = `process:HANG=VideoPortCreateEvent ${process.execPath} ${join(root, 'test/fixtures/slow-process-target.mjs')}`;
    const r = await runCli([
      ...['replay', 'corpus/events.jsonl', '--target', stuck, '--workers', '1'],
      ...['--timeout', '300', '--quiet'],
    ]);
    expect(r.code, r.err).toBe(3);
    expect(r.out).toMatch(
      /events\.jsonl:\d+ \(call 0\): target-timeout: did not answer VideoPortCreateEvent within 300 ms/,
    );
  }, 60_000);

  it('warns of a SPEC that sends stderr into the protocol, and replays as asked', async () => {
    const target = `process:${process.execPath} ${join(root, 'test/fixtures/slow-process-target.mjs')} 0 2>&1`;
    const r = await runCli(['replay', 'corpus/events.jsonl', '--target', target, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(
      "vpdma replay: --target: the command sends its standard error to standard output (2>&1), which carries the protocol's frames",
    );
  }, 60_000);

  it('gives a fresh child 5 s to start under a shorter --timeout, in replay and fuzz', async () => {
    // 1.5 s to start, then prompt: --timeout 1000 (fuzz's default) bounds the calls, not the
    // start. Over the timeout however fast the machine (a later start only makes it more so),
    // and further inside the 5 s than the 2.5 s it was, which each start waited out.
    const late = `process:${process.execPath} ${join(root, 'test/fixtures/slow-process-target.mjs')} 0 1500`;
    const trace = join(root, 'corpus/common-buffer-ring.jsonl');
    const replay = await runCli([
      ...['replay', trace, '--target', late, '--workers', '1', '--timeout', '1000', '--quiet'],
    ]);
    expect(replay.code, replay.out + replay.err).toBe(0);
    expect(replay.out).toMatch(/calls\/s, 1 worker\); target process:/);
    const out = join(dir, 'late-fuzz');
    const fuzz = await runCli([
      ...['fuzz', '--target', late, '--workers', '1', '--runs', '4', '--out', out, '--quiet'],
    ]);
    expect(fuzz.code, fuzz.out + fuzz.err).toBe(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: number };
    expect(rep.cases).toBe(4);
  }, 60_000);
});

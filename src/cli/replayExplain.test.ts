// `vpdma replay --explain` end to end (the real pool; dist/ is built before the tests): one
// trace told call by call on stdout, from a worker thread, before the summary; --around.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-explain-'));
const BASE =
  'r0 = VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0) -> 0xffffc00000000000';
const MAPDMA =
  'VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp=0x0, boardAddress=0xe0000000, length=4096, inIoSpace=2, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=r0)';
const repro = join(dir, 'repro.txt');
writeFileSync(repro, `#! vpdma-trace v1 profile=docs\n# minimized\n${BASE}\n\n${MAPDMA}\n`);
// It records a wrong answer at call 1: a violation of the trace, with a conforming target.
const events = join(dir, 'events.txt');
writeFileSync(
  events,
  [
    '#! vpdma-trace v1 profile=docs',
    'VideoPortCreateEvent(hwDeviceExtension=0xffffe00000001000, eventFlag=0, unused=0x0) -> 0 out(ppEvent=<r0=>0xffffe00010000000)',
    'VideoPortReadStateEvent(hwDeviceExtension=0xffffe00000001000, pEvent=r0) -> 1',
    '',
  ].join('\n'),
);

describe('vpdma replay --explain', () => {
  it('shows the mutant writing *Length at call 1 (line 5), both answers, then the summary', async () => {
    const target = 'mutant:mapdma-writes-length';
    const r = await run(['replay', repro, '--target', target, '--explain', '--workers', '4']);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/ traces=1 workers=1 build=[0-9a-f]{12}\n/);
    const [explained = '', summary = ''] = r.out.split('\n\ntraces 1: ');
    const lines = explained.split('\n');
    const at = lines.findIndex((l) => l.startsWith('call 1 (line 5): VideoPortMapDmaMemory('));
    expect(at).toBeGreaterThan(0);
    expect(lines[at]).toContain('length=4096, inIoSpace=2,');
    expect(lines.slice(at + 1)).toEqual([
      '  target:   -> 0x0 out(pVrp=0x0, length=0, inIoSpace=2, virtualAddress=0xffffc00000000000)',
      '  oracle:   -> 0x0 out(pVrp=0x0, length=4096, inIoSpace=2, virtualAddress=0xffffc00000000000)',
      '  VIOLATION map-dma-wrote-out-param: VideoPortMapDmaMemory wrote length: 4096 became 0',
      '    (rule: spec §4 invariant 5)',
      '  target state agrees with the model (1 object)',
      '# end: 2 calls replayed, 1 violation, outcome fail',
    ]);
    expect(lines.slice(0, at).join('\n')).not.toContain('VIOLATION');
    expect(lines[1]).toBe(
      'call 0 (line 3): VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0)',
    );
    expect(summary).toMatch(/^0 passed, 1 with violations/);
    expect(summary).toContain(`${repro}:5 (call 1): map-dma-wrote-out-param: `);
  });

  it('shows a conforming target (the model, a process target) with no violation, exit 0', async () => {
    const proc = `process:node ${join('test', 'fixtures', 'slow-process-target.mjs')}`;
    for (const target of ['model', proc]) {
      const r = await run(['replay', repro, '--target', target, '--explain']);
      expect(r.code, `${target}: ${r.err}`).toBe(0);
      expect(r.out, target).toContain(
        '  target and oracle: -> 0x0 out(pVrp=0x0, length=4096, inIoSpace=2, virtualAddress=0xffffc00000000000)\n# end: 2 calls replayed, 0 violations, outcome pass\n',
      );
      expect(r.out, target).not.toContain('VIOLATION');
    }
  });

  it("keeps a process target's stderr where the SPEC redirects it (docs/debugging.md), shows its state", async () => {
    // The SPEC goes through /bin/sh: a redirection and leading VAR=value words apply to it.
    const wrapper = join(dir, 'debug-target.sh');
    const fixture = join(import.meta.dirname, '../../test/fixtures/slow-process-target.mjs');
    writeFileSync(
      wrapper,
      `echo "DBG $VPDMA_DBG from the target" >&2\nexec "${process.execPath}" "${fixture}"\n`,
    );
    const log = join(dir, 'dbg.log');
    const target = `process:VPDMA_DBG=hello sh ${wrapper} 2>>${log}`;
    const r = await run(['replay', events, '--target', target, '--explain']);
    expect(r.code, r.err).toBe(1);
    expect(readFileSync(log, 'utf8')).toBe('DBG hello from the target\n');
    // Its state request answered after each call, beside the oracle's at the violation.
    expect(r.out).toContain(
      '\n  target state agrees with the model (1 object)\n# end: 2 calls replayed, 1 violation, outcome fail\n',
    );
  });

  it('shows the call a target hangs in, although its worker thread is killed', async () => {
    const r = await run([
      'replay',
      repro,
      '--target',
      'module:test/fixtures/spin-target.mjs',
      '--timeout',
      '300',
      '--explain',
    ]);
    expect(r.code, r.err).toBe(3);
    const [explained = ''] = r.out.split('\n\ntraces 1: ');
    expect(explained.split('\n').at(-1)).toMatch(/^call 1 \(line 5\): VideoPortMapDmaMemory\(/);
    expect(r.out).toContain(`${repro}:5 (call 1): target-timeout: `);
  });

  it('with --around 0 shows the failing call alone, and the call a hang stopped in', async () => {
    const target = 'mutant:mapdma-writes-length';
    const r = await run(['replay', repro, '--target', target, '--explain', '--around', '0']);
    expect(r.code, r.err).toBe(1);
    const lines = r.out.split('\n\ntraces 1: ')[0]?.split('\n') ?? [];
    expect(lines.filter((l) => !l.startsWith('  ')).slice(1)).toEqual([
      '# call 0 not shown (1 call more than 0 from a violation: --around 0)',
      lines.find((l) => l.startsWith('call 1 (line 5): VideoPortMapDmaMemory(')),
      '# end: 2 calls replayed, 1 violation, outcome fail',
    ]);
    expect(lines).toContain(
      '  VIOLATION map-dma-wrote-out-param: VideoPortMapDmaMemory wrote length: 4096 became 0',
    );
    // Its worker killed, the replay sends no end line: the call held is printed after it all.
    const spin = ['--target', 'module:test/fixtures/spin-target.mjs', '--timeout', '300'];
    const hung = await run(['replay', repro, ...spin, '--explain', '--around', '0']);
    expect(hung.code, hung.err).toBe(3);
    const [explained = ''] = hung.out.split('\n\ntraces 1: ');
    expect(explained.split('\n').at(-1)).toMatch(/^call 1 \(line 5\): VideoPortMapDmaMemory\(/);
    expect(explained).not.toContain('\ncall 0 ');
    const alone = await run(['replay', repro, '--around', '2']);
    expect([alone.code, alone.out]).toEqual([2, '']);
    expect(alone.err).toBe(
      'vpdma: --around: it chooses the calls --explain prints; give --explain too\n',
    );
  });

  it('takes one trace: several, a directory of several, or a report on stdout are refused', async () => {
    const other = join(dir, 'several');
    mkdirSync(other);
    for (const f of ['a.txt', 'b.txt']) writeFileSync(join(other, f), `#! vpdma-trace v1\n`);
    const one =
      '--explain tells the replay of one trace; 2 were given (a directory counts each trace in it): name one file';
    for (const args of [[repro, join(other, 'a.txt')], [other]]) {
      const r = await run(['replay', ...args, '--explain']);
      expect([r.code, r.out, r.err]).toEqual([2, '', `vpdma: ${one}\n`]);
    }
    for (const flag of ['--json', '--junit']) {
      const r = await run(['replay', repro, '--explain', flag, '-']);
      expect([r.code, r.out, r.err]).toEqual([
        2,
        '',
        `vpdma: --explain writes to stdout: ${flag} - cannot go there too; name a file\n`,
      ]);
    }
    // A finding's directory is one trace in three formats, with its original (the case before
    // minimizing) beside it (docs/debugging.md): explained once, from the repro's .jsonl.
    const finding = join(dir, 'finding');
    mkdirSync(finding);
    for (const name of ['repro.jsonl', 'repro.vpt', 'repro.txt', 'original.vpt', 'original.txt'])
      expect((await run(['convert', repro, join(finding, name)])).code).toBe(0);
    writeFileSync(join(finding, 'finding.json'), '{}\n');
    const r = await run(['replay', finding, '--explain']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^# \S+repro\.jsonl: /);
    expect(r.out).toContain('\ncall 1 (line 3): VideoPortMapDmaMemory(');
    expect(r.err).toContain(
      `vpdma replay: skipped a finding's original (${join(finding, 'original.txt')} beside ${join(finding, 'repro.jsonl')}, ...)`,
    );
  });
});

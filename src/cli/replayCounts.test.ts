// `vpdma replay`'s counts when a trace has more violations than its report lists.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-counts-'));

describe('vpdma replay', () => {
  it('counts every violation, and lists a rarer kind that comes after the first 1000', async () => {
    // 1,005 user-mode MapDmaMemory calls the mutant answers non-NULL, then a call whose
    // recorded ret and out are wrong: past 1000 listed, the first of a new kind and function
    // is still listed (the second, the out-parameter, only counted).
    const user = {
      fn: 'VideoPortMapDmaMemory',
      args: {
        hwDeviceExtension: '0xffffe00000001000',
        pVrp: '0x0',
        boardAddress: '0xe0000000',
        length: 4096,
        inIoSpace: 2, // VIDEO_MEMORY_SPACE_USER_MODE
        mappedUserEvent: '0x0',
        displayDriverEvent: '0x0',
        virtualAddress: '0x0',
      },
    };
    const event = {
      fn: 'VideoPortCreateEvent',
      args: { hwDeviceExtension: '0x0', eventFlag: 0, unused: '0x0' },
      ret: 0xc0000001,
      out: { ppEvent: '0x0' },
    };
    const header = { format: 'vpdma-trace', version: 1, profile: 'docs', device: {}, meta: {} };
    const lines = [header, ...Array.from({ length: 1005 }, () => user), event];
    const trace = join(dir, 'many.jsonl');
    writeFileSync(trace, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const json = join(dir, 'many.json');
    const target = 'mutant:mapdma-user-mode-nonnull';
    const r = await run(['replay', trace, '--target', target, '--quiet', '--json', json]);
    expect(r.code, r.err).toBe(1);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as {
      summary: { violations: number; byKind: Record<string, number> };
      traces: { violations: number; unlisted?: Record<string, number> }[];
      violations: { kind: string; callIndex: number }[];
    };
    expect(rep.summary.violations).toBe(1007);
    expect(rep.summary.byKind).toEqual({
      'map-dma-returned-non-null': 1005,
      'recorded-mismatch': 2,
    });
    expect(rep.traces[0]?.violations).toBe(1007);
    expect(rep.traces[0]?.unlisted).toEqual({
      'map-dma-returned-non-null': 5,
      'recorded-mismatch': 1,
    });
    expect(rep.violations).toHaveLength(1001);
    expect(rep.violations.at(-1)).toMatchObject({ kind: 'recorded-mismatch', callIndex: 1005 });
    expect(r.out).toContain('... and 987 more (--json lists all but 6:');
  });

  it('counts one trace in the singular, and reports the workers that ran, not those asked for', async () => {
    // Two NULL-description GetDmaAdapter calls: misuse, so the oracle stops being compared.
    const trace = join(dir, 'misuse.txt');
    const call =
      'VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription=0x0)';
    writeFileSync(trace, `#! vpdma-trace v1 profile=docs\n${call}\n${call}\n`);
    const json = join(dir, 'misuse.json');
    const r = await run(['replay', trace, '--workers', '2', '--quiet', '--json', json]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('\n1 trace stopped being compared with the oracle early (');
    expect(r.out).toMatch(/ calls\/s, 1 worker\); target model/);
    expect(r.err).toMatch(/ traces=1 workers=1 build=[0-9a-f]{12}\n/);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as { timing: { workers: number } };
    expect(rep.timing.workers).toBe(1);
    // Two traces on two workers: both are used, and the counts are plural.
    const copy = join(dir, 'misuse-2.txt');
    writeFileSync(copy, readFileSync(trace));
    const both = await run(['replay', trace, copy, '--workers', '2', '--quiet']);
    expect(both.out).toContain('\n2 traces stopped being compared');
    expect(both.out).toMatch(/ calls\/s, 2 workers\)/);
    expect(both.err).toMatch(/ traces=2 workers=2 build=[0-9a-f]{12}\n/);
  });

  it('replays a finding stored as .jsonl, .txt and .vpt once, from its .jsonl, saying so', async () => {
    // What a fuzz finding's directory holds: the same repro in the three formats.
    const finding = join(dir, 'findings', 'map-dma-wrote-out-param', 'f');
    mkdirSync(finding, { recursive: true });
    const txt = join(finding, 'repro.txt');
    writeFileSync(
      txt,
      [
        '#! vpdma-trace v1 profile=docs',
        'r0 = VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0) -> 0xffff9d0020000000',
        'VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp=0x0, boardAddress=0xe0000000, length=4096, inIoSpace=2, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=r0)',
        '',
      ].join('\n'),
    );
    for (const ext of ['jsonl', 'vpt'])
      expect((await run(['convert', txt, join(finding, `repro.${ext}`)])).code).toBe(0);
    writeFileSync(join(finding, 'finding.json'), '{}\n');
    const findings = join(dir, 'findings');
    const target = 'mutant:mapdma-writes-length';
    const r = await run(['replay', findings, '--target', target, '--quiet']);
    expect(r.code, r.err).toBe(1);
    // The summary starts stdout: no blank line before it.
    expect(r.out).toMatch(/^traces 1: 0 passed, 1 with violations/);
    expect(r.out.match(/map-dma-wrote-out-param: /g)).toHaveLength(1);
    expect(r.out).toContain(
      `${join(finding, 'repro.jsonl')}:3 (call 1): map-dma-wrote-out-param: `,
    );
    expect(r.err).toContain(
      `vpdma replay: skipped 2 files that repeat traces in another format (${txt} beside ${join(finding, 'repro.jsonl')}, ...): a directory's trace is replayed from one file per name, .jsonl, else .vpt, else .txt (uncompressed before .gz); name a file to replay it\n`,
    );
    // Named, each format is replayed.
    const named = await run(['replay', txt, join(finding, 'repro.vpt'), '--target', target]);
    expect(named.out).toContain('traces 2: 0 passed, 2 with violations');
    expect(named.err).not.toContain('skipped');
  });
});

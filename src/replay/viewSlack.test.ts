// An access to a view's pages outside the bytes the driver asked for (viewSlack.ts): the driver
// may access a view only within its requested length (spec §1 F), so the oracle stops being
// compared there, where it had judged the rest of the page as the process's own memory. From
// seed 2's nightly against model:reactos (--profile docs, 2000 runs, case 1106): ReactOS's
// user view of I/O space is the port number (0x3c0), so the trace's address past the 1 byte
// asked for, outside every learned range, reached the target untranslated, in its frame
// buffer view, where the oracle saw demand-zero memory: a memory-mismatch that was vpdma's.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import type { CallOutcome, TraceCall } from '../model/values.js';
import { parseText } from '../trace/textParse.js';
import { Explainer } from './explain.js';
import { createModelTargetSync } from './modelTarget.js';
import type { ReplayResult } from './replayTypes.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const EXT = 'hwDeviceExtension=0xffffe00000001000';
// The oracle's view: 0x8000000003c0, 1 byte, *Length 3136 (to the page's end).
const IO_VIEW = `VideoPortMapMemory(${EXT}, physicalAddress=0x3c0, length=1, inIoSpace=1, virtualAddress=0xffffffffffffffff)`;
// The oracle's at 0x800000002000; ReactOS's at 0x800000000000, the page of the oracle's IO_VIEW.
const FB_VIEW = `VideoPortMapMemory(${EXT}, physicalAddress=0xe0000000, length=4096, inIoSpace=0, virtualAddress=0x4c8)`;
const write = (va: string, data = '0f'): string => `@write(va=${va}, data=x"${data}")`;

const reactos = (): Target =>
  createModelTargetSync({ device: resolveDevice({}), profile: 'reactos' });

async function replay(
  lines: string[],
  t: Target = reactos(),
  onDetach?: (i: number, by: string, why?: string) => void,
): Promise<ReplayResult> {
  const parsed = parseText(['#! vpdma-trace v1 profile=docs', ...lines].join('\n'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return replayTrace(parsed.value.header, parsed.value.calls, t, onDetach ? { onDetach } : {});
}

const kinds = (r: ReplayResult): string[] => r.violations.map((v) => `${v.kind} #${v.callIndex}`);
const detach = (r: ReplayResult): unknown[] => [r.detachedAt, r.detachedBy];

describe('an access to a view’s page outside the bytes the driver asked for', () => {
  it('a @write past the requested length, inside the page (the seed-2 repro): latitude, not a mismatch', async () => {
    const why: string[] = [];
    const r = await replay([IO_VIEW, FB_VIEW, write('0x8000000007c3')], reactos(), (i, by, w) =>
      why.push(`${i} ${by}: ${w ?? ''}`),
    );
    expect(kinds(r)).toEqual([]);
    expect(detach(r)).toEqual([2, 'latitude']);
    expect(why).toEqual([
      '2 latitude: it reaches byte 1027 of a user view the driver asked 1 byte of, inside the page the oracle rounds its *Length to (3136 bytes): the driver may access a view only within the length it asked for (spec §1 F), and what a port maps past it is its own',
    ]);
  });

  it('before the view’s start, in its first page: the same', async () => {
    const r = await replay([IO_VIEW, FB_VIEW, write('0x800000000010')]);
    expect(kinds(r)).toEqual([]);
    expect(detach(r)).toEqual([2, 'latitude']);
  });

  it('a LockBuffer there detaches too', async () => {
    const lock = `VideoPortLockBuffer(${EXT}, baseAddress=0x800000000800, length=16, operation=2)`;
    const r = await replay([IO_VIEW, lock]);
    expect(detach(r)).toEqual([1, 'latitude']);
  });

  it('a @read there is not compared, and the replay compares on after it', async () => {
    // The target's frame buffer byte at 0x800 (the oracle's 0x800000002800) is what it reads.
    const read = '@read(va=0x800000000800, length=16)';
    const r = await replay([IO_VIEW, FB_VIEW, write('0x800000002800'), read, IO_VIEW]);
    expect(kinds(r)).toEqual([]);
    expect(r.detachedAt).toBeUndefined();
    // ...so a wrong answer after it is still found.
    const t = reactos();
    const wrong: Target = {
      ...t,
      call: (c: TraceCall): CallOutcome => {
        const got = t.call(c) as CallOutcome;
        return c.fn === 'VideoPortMapMemory' && c.args['physicalAddress'] === 0x3c1n
          ? { ...got, ret: 87 }
          : got;
      },
    };
    const after = await replay(
      [IO_VIEW, FB_VIEW, write('0x800000002800'), read, IO_VIEW.replace('0x3c0', '0x3c1')],
      wrong,
    );
    expect(kinds(after)).toEqual(['return-mismatch #4']);
  });

  it('a corruption inside the requested length is still a memory-mismatch', async () => {
    // The target writes the driver's byte wrong into its view (the port number, 0x3c0).
    const t = reactos();
    const corrupt: Target = {
      ...t,
      call: (c: TraceCall): CallOutcome =>
        c.fn === '@write' && c.args['va'] === 0x3c0n
          ? (t.call({ fn: c.fn, args: { ...c.args, data: new Uint8Array([0xee]) } }) as CallOutcome)
          : (t.call(c) as CallOutcome),
    };
    const r = await replay([IO_VIEW, FB_VIEW, write('0x8000000003c0')], corrupt);
    expect(kinds(r)).toEqual(['memory-mismatch #2']);
    expect(r.detachedBy).toBe('divergence');
    // And a correct target passes it, compared all the way.
    const fine = await replay([IO_VIEW, FB_VIEW, write('0x8000000003c0')]);
    expect(kinds(fine)).toEqual([]);
    expect(fine.detachedAt).toBeUndefined();
  });

  it('running from the view’s bytes past its end is the oracle’s to judge: misuse, as before', async () => {
    const r = await replay([IO_VIEW, FB_VIEW, write('0x8000000003c0', '0f0f')]);
    expect(detach(r)).toEqual([2, 'misuse']);
  });

  it('past the page the oracle rounds to, the access is compared as before', async () => {
    const r = await replay([
      IO_VIEW,
      FB_VIEW,
      write('0x800000001010'),
      '@read(va=0x800000001010, length=1)',
    ]);
    expect(kinds(r)).toEqual([]);
    expect(r.detachedAt).toBeUndefined();
  });

  it('--explain says why the oracle stopped being compared', async () => {
    const out: string[] = [];
    const ex = new Explainer(
      'repro.txt',
      () => undefined,
      (t) => void out.push(t),
    );
    const parsed = parseText(
      ['#! vpdma-trace v1 profile=docs', IO_VIEW, FB_VIEW, write('0x8000000007c3')].join('\n'),
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const r = await replayTrace(parsed.value.header, parsed.value.calls, reactos(), ex.hooks());
    ex.end(r);
    expect(out.join('')).toContain(
      '  (the oracle cannot judge the target at call 2 (it reaches byte 1027 of a user view the driver asked 1 byte of',
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALLS } from '../model/calls.js';
import type { TraceCall } from '../model/values.js';
import { printText } from '../trace/text.js';
import { emptyHeader, type Trace } from '../trace/trace.js';
import { materialize } from './materialize.js';
import { minimize, type StillFails } from './minimize.js';
import { simplifications } from './passes.js';
import { link } from './references.js';
import { BYTES_AT, bytesSimpler } from './simplify.js';

describe('bytes laid out at an address', () => {
  it('lists every bytes argument of the call table, at a pointer argument of the same call', () => {
    const bytesArgs = CALLS.flatMap((c) =>
      c.args.filter((a) => a.type === 'bytes').map((a) => `${c.fn}.${a.name}`),
    );
    const listed = Object.entries(BYTES_AT).map(([fn, at]) => `${fn}.${at.bytes}`);
    expect(bytesArgs.sort()).toEqual(listed.sort());
    for (const [fn, at] of Object.entries(BYTES_AT))
      expect(CALLS.find((c) => c.fn === fn)?.args.find((a) => a.name === at.at)?.type).toBe('ptr');
  });
});

describe('bytesSimpler', () => {
  const bytes = fc.uint8Array({ minLength: 0, maxLength: 40 });

  it('proposes pieces of the bytes where they were, shorter or zeroed, heads only without tails', () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), (b, tails) => {
        for (const s of bytesSimpler(b, tails)) {
          const zeroed = s.bytes.length === b.length;
          if (zeroed) expect(s.bytes.every((x) => x === 0) && b.some((x) => x !== 0)).toBe(true);
          else expect([...s.bytes]).toEqual([...b.slice(s.from, s.from + s.bytes.length)]);
          if (!tails) expect(s.from).toBe(0);
        }
      }),
    );
  });

  it('reaches any single byte by taking, each time, the piece that holds it', () => {
    fc.assert(
      fc.property(
        bytes.filter((b) => b.length > 0),
        fc.nat(),
        (b, k) => {
          const i = k % b.length;
          let piece: Uint8Array = b;
          let at = 0;
          while (piece.length > 1) {
            const next = bytesSimpler(piece, true).find(
              (s) =>
                s.bytes.length < piece.length &&
                at + s.from <= i &&
                i < at + s.from + s.bytes.length,
            );
            expect(next).toBeDefined();
            if (next === undefined) return;
            piece = next.bytes;
            at += next.from;
          }
          expect(at).toBe(i);
        },
      ),
    );
  });
});

const base: TraceCall = {
  fn: 'VideoPortGetDeviceBase',
  args: {
    hwDeviceExtension: 0xffffe00000001000n,
    ioAddress: 0xe0000000n,
    numberOfUchars: 0x1000,
    inIoSpace: 0,
  },
};
const VIEW = 0xffffc00000000000n;
const pattern = Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + 3) & 0xff || 1);
const writeTrace = (): Trace => ({
  header: emptyHeader(),
  calls: [base, { fn: '@write', args: { va: VIEW + 0x100n, data: pattern } }],
});

describe('a tail keeps its bytes where they were', () => {
  it('moves the address by as much as the bytes lost, and stays linked to the same view', () => {
    const linked = link(writeTrace());
    const tails = [...simplifications(linked, { call: 1, slot: 0 })].filter(
      (p) => p.cand.edit?.advance !== undefined,
    );
    const shown = tails.map((p) => {
      const t = materialize(linked, p.cand, 'oracle');
      const w = t?.calls[1]?.args;
      const data = w?.data;
      const relinked = t === undefined ? undefined : link(t).calls[1]?.refs[0];
      return [w?.va, data instanceof Uint8Array ? data.length : -1, relinked?.offset];
    });
    expect(shown).toEqual([
      [VIEW + 0x1ffn, 1, 0x1ffn],
      [VIEW + 0x180n, 128, 0x180n],
    ]);
  });
});

/** Still fails while some @write puts `value` at `address`: the byte that matters. */
function byteAt(address: bigint, value: number): StillFails {
  return (cands) =>
    Promise.resolve(
      cands.map((t) =>
        t.calls.some((c) => {
          const { va, data } = c.args;
          if (c.fn !== '@write' || typeof va !== 'bigint' || !(data instanceof Uint8Array))
            return false;
          const k = address - va;
          return k >= 0n && k < BigInt(data.length) && data[Number(k)] === value;
        }),
      ),
    );
}

describe('minimize keeps the one byte that matters, wherever it is', () => {
  it.each([0, 77, 200, 255])('byte %i of 256', async (i) => {
    const address = VIEW + 0x100n + BigInt(i);
    const runs = await Promise.all(
      [1, 4].map((batchSize) =>
        minimize(writeTrace(), byteAt(address, pattern[i] ?? -1), {
          attemptsMax: 1000,
          batchSize,
        }),
      ),
    );
    const [one, four] = runs.map((r) => ({ ...r, trace: printText(r.trace), evaluated: 0 }));
    expect(four).toEqual(one);
    const last = runs[0]?.trace.calls.at(-1);
    expect(last?.args.va).toBe(address);
    expect([...((last?.args.data as Uint8Array | undefined) ?? [])]).toEqual([pattern[i]]);
    expect(runs[0]?.exhausted).toBe(false);
  });
});

// The coverage build of the C target (vpdma-c-target-cov) on the wire, without the harness:
// it offers `coverage` (the default build does not), answers little-endian u32 edge ids hit
// while serving calls since hello or the last coverage request, the same ids in every process
// (ASLR moves the program, not the offsets), and none for reads or state requests.
import { describe, expect, it } from 'vitest';
import { COV_BINARY, hello, isError, mapDmaSession, msg, talk } from './testKit.js';

const coverage = msg({ op: 'coverage' });
const close = msg({ op: 'close' });
const calls = mapDmaSession().map((c) => msg({ op: 'call', fn: c.fn, args: c.args }));

/** An answer's edge ids, checking the bin's shape. */
function ids(answer: unknown): number[] {
  const edges = (answer as { edges?: unknown }).edges;
  expect(edges).toBeInstanceOf(Uint8Array);
  const bin = edges as Uint8Array;
  expect(bin.length % 4).toBe(0);
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  return Array.from({ length: bin.length / 4 }, (_, i) => view.getUint32(4 * i, true));
}

describe('vpdma-c-target-cov answers coverage', () => {
  it('lists coverage in its features; the default build neither lists nor answers it', () => {
    const cov = talk(Buffer.concat([hello, close]), {}, COV_BINARY);
    expect((cov.answers[0] as { features: string[] }).features).toContain('coverage');
    const plain = talk(Buffer.concat([hello, coverage, close]));
    expect((plain.answers[0] as { features: string[] }).features).not.toContain('coverage');
    expect(isError(plain.answers[1])).toBe(true);
  });

  it('edges of the calls since hello, each once, then none until the next call', () => {
    const r = talk(
      Buffer.concat([hello, coverage, ...calls, coverage, coverage, close]),
      {},
      COV_BINARY,
    );
    expect(r.status).toBe(0);
    const n = calls.length;
    expect(ids(r.answers[1])).toEqual([]); // nothing called yet
    const hit = ids(r.answers[2 + n]);
    expect(hit.length).toBeGreaterThan(50);
    expect(new Set(hit).size).toBe(hit.length);
    expect(ids(r.answers[3 + n])).toEqual([]);
  });

  it('the same calls give the same ids in another process and after hello again', () => {
    const once = talk(Buffer.concat([hello, ...calls, coverage, close]), {}, COV_BINARY);
    const again = talk(
      Buffer.concat([hello, calls[0] ?? hello, hello, ...calls, coverage, close]),
      {},
      COV_BINARY,
    );
    const a = ids(once.answers[1 + calls.length]).sort((x, y) => x - y);
    const b = ids(again.answers[3 + calls.length]).sort((x, y) => x - y);
    expect(a.length).toBeGreaterThan(50);
    expect(b).toEqual(a); // the first hello's call was forgotten by the second hello
  });

  it('the same ids after an earlier trace on the process grew its bookkeeping', () => {
    // The first write a process records takes room (touched_mark): were it kept across hello,
    // a later trace would skip that branch, and its ids would depend on the traces before it.
    const pool = msg({
      op: 'call',
      fn: 'VideoPortAllocatePool',
      args: { hwDeviceExtension: 0n, poolType: 0, numberOfBytes: 4096, tag: 0 },
    });
    // The same address every session (the C target allocates deterministically).
    const va = BigInt((talk(Buffer.concat([hello, pool])).answers[1] as { ret: bigint }).ret);
    const write = msg({ op: 'call', fn: '@write', args: { va, data: Uint8Array.of(1, 2, 3) } });
    const trace = [hello, pool, write, coverage];
    const fresh = talk(Buffer.concat([...trace, close]), {}, COV_BINARY);
    const second = talk(Buffer.concat([...trace, ...trace, close]), {}, COV_BINARY);
    const a = ids(fresh.answers[3]).sort((x, y) => x - y);
    const b = ids(second.answers[7]).sort((x, y) => x - y);
    expect(ids(second.answers[3]).sort((x, y) => x - y)).toEqual(a);
    expect(a.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
  });

  it('reads and state requests add no edges: only calls count', () => {
    const read = msg({ op: 'read', address: 0xffffb80000000000n, length: 16 });
    const r = talk(
      Buffer.concat([hello, ...calls, coverage, read, msg({ op: 'state' }), coverage, close]),
      {},
      COV_BINARY,
    );
    expect(ids(r.answers[1 + calls.length]).length).toBeGreaterThan(0);
    expect(ids(r.answers[4 + calls.length])).toEqual([]);
  });

  it('more calls, more of the code: a prefix hits a subset of the edges', () => {
    const first = talk(Buffer.concat([hello, calls[0] ?? hello, coverage, close]), {}, COV_BINARY);
    const all = talk(Buffer.concat([hello, ...calls, coverage, close]), {}, COV_BINARY);
    const some = ids(first.answers[2]);
    const more = new Set(ids(all.answers[1 + calls.length]));
    expect(some.length).toBeGreaterThan(0);
    expect(some.every((id) => more.has(id))).toBe(true);
    expect(more.size).toBeGreaterThan(some.length);
  });
});

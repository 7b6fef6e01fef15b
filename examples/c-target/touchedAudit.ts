// An audit of a target's touched operation (docs/target-protocol.md): a correct target may
// still leave bytes out of its answers, which the replayer cannot see as long as the bytes are
// right. The audit reads all live memory before and after every call and checks every byte
// that changed against the touched answer.
import type { Target, TouchedRanges } from '../../src/replay/target.js';

/** User memory read too: randomDriver's user buffers, and around them. */
const USER_WINDOW = { address: 0x1220000n, length: 0x20000 };
const auditChunk = 1 << 20;

export interface Audit {
  /** The first 20 changed bytes no touched answer covered. */
  readonly missed: string[];
  /** Bytes that changed across all audited calls. */
  changed: number;
}

/**
 * Wraps the C target so every call is audited: all live memory its own state lists (buffers,
 * views, pool, locked lists), plus a window of user memory, is read before and after the call;
 * every byte that changed (or is non-zero in a fresh RAM allocation: a fresh view shows what
 * the aperture already held) must lie in a range the touched answer right after the call
 * reports. The replayer's touched() gets those ranges unchanged.
 */
export function audited(audit: Audit): (inner: Target) => Target {
  return (inner) => {
    if (inner.touched === undefined) throw new Error('the target does not offer touched');
    const touched = inner.touched.bind(inner);
    let pending: TouchedRanges = [];
    const snapshot = async (): Promise<Map<string, Uint8Array>> => {
      const state = (await inner.state?.()) ?? {};
      const spans = [{ ...USER_WINDOW, list: 'user' }];
      for (const list of ['commonBuffers', 'views', 'blocks']) {
        for (const o of (state[list] ?? []) as Record<string, number | bigint>[])
          spans.push({ address: BigInt(o['va'] ?? 0), length: Number(o['length']), list });
      }
      const bytes = new Map<string, Uint8Array>();
      for (const s of spans) {
        const all = new Uint8Array(s.length);
        for (let at = 0; at < s.length; at += auditChunk) {
          const n = Math.min(auditChunk, s.length - at);
          all.set(await inner.read(s.address + BigInt(at), n), at);
        }
        bytes.set(`${s.list}:${s.address}:${s.length}`, all);
      }
      return bytes;
    };
    const target: Target = {
      async call(c) {
        const before = await snapshot();
        const outcome = await inner.call(c);
        const ranges = await touched();
        pending = [...pending, ...ranges];
        const covered = (a: bigint): boolean =>
          ranges.some((r) => a >= r.address && a < r.address + BigInt(r.length));
        for (const [key, now] of await snapshot()) {
          const was = before.get(key);
          if (was === undefined && key.startsWith('views:')) continue;
          if (was !== undefined && Buffer.from(was).equals(now)) continue;
          const base = BigInt(key.split(':')[1] ?? 0);
          for (let i = 0; i < now.length; i++) {
            if (now[i] === (was?.[i] ?? 0)) continue;
            audit.changed++;
            if (!covered(base + BigInt(i)) && audit.missed.length < 20)
              audit.missed.push(`${c.fn}: 0x${(base + BigInt(i)).toString(16)} changed unreported`);
          }
        }
        return outcome;
      },
      read: (address, length) => inner.read(address, length),
      touched() {
        const t = pending;
        pending = [];
        return t;
      },
    };
    if (inner.state !== undefined) target.state = inner.state.bind(inner);
    return target;
  };
}

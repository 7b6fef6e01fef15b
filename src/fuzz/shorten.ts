// Shortening a minimized repro further by reshaping it, which call removal alone cannot do:
// lifted into a program (arguments as "the k-th live object of a kind"), a call may move
// earlier, or point at a user buffer instead of an allocation, while up to three calls go at
// once, and every reference re-resolves against what is then live (so a LockBuffer of a
// deleted pool block locks the common buffer that is now first). Candidates are tried shortest first, in a fixed order, in batches through the same
// predicate; the first that still fails wins. Like syzkaller's prog minimization, but on
// resource slots instead of producer indices.
import type { StillFails } from '../trace/stillFails.js';
import type { Trace } from '../trace/trace.js';
import { materialize } from './caseGen.js';
import { liftTrace } from './lift.js';
import { RESOURCE_SPACE } from '../model/callTypes.js';
import type { AbsCall, Program, Slot } from './program.js';

/** Calls above which reshaping is not tried (the candidate count grows as n^5). */
export const reshapeCallsMax = 12;
/** Candidates tried per reshape round at most. */
const candidatesMax = 4000;
const batch = 64;

function* combinations(n: number, r: number, from = 0): Generator<number[]> {
  if (r === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= n - r; i++)
    for (const rest of combinations(n, r - 1, i + 1)) yield [i, ...rest];
}

/** A reshaping before calls are dropped: none, move call `from` to `to`, or use a user buffer. */
type Shape = { readonly move: readonly [number, number] } | { readonly user: number } | undefined;

/** Call i's CPU-space arguments pointing at a user buffer instead (no allocation needed). */
function userized(c: AbsCall): AbsCall | undefined {
  const args: Record<string, Slot> = { ...c.args };
  let changed = false;
  for (const [k, slot] of Object.entries(args)) {
    if (slot.s !== 'live' || RESOURCE_SPACE[slot.res] !== 'cpu') continue;
    args[k] = { s: 'user', off: 0 };
    changed = true;
  }
  return changed ? { ...c, args } : undefined;
}

function shaped(p: Program, shape: Shape): AbsCall[] {
  const out = [...p];
  if (shape === undefined) return out;
  if ('user' in shape) {
    const c = out[shape.user];
    const u = c === undefined ? undefined : userized(c);
    if (u !== undefined) out[shape.user] = u;
    return out;
  }
  const [from, to] = shape.move;
  const [c] = out.splice(from, 1);
  if (c !== undefined) out.splice(to, 0, c);
  return out;
}

function* programs(p: Program): Generator<Program> {
  const n = p.length;
  const shapes: Shape[] = [undefined];
  p.forEach((c, i) => {
    if (userized(c) !== undefined) shapes.push({ user: i });
  });
  for (let from = 1; from < n; from++)
    for (let to = 0; to < from; to++) shapes.push({ move: [from, to] });
  for (let r = Math.min(3, n - 1); r >= 1; r--)
    for (const shape of shapes) {
      const base = shaped(p, shape);
      for (const drop of combinations(n, r)) {
        const gone = new Set(drop);
        yield base.filter((_, i) => !gone.has(i));
      }
    }
}

const key = (t: Trace): string =>
  JSON.stringify(t.calls, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v].join() : v,
  );

/** A strictly shorter trace that still fails, or undefined. */
export async function reshape(trace: Trace, stillFails: StillFails): Promise<Trace | undefined> {
  if (trace.calls.length < 2 || trace.calls.length > reshapeCallsMax) return undefined;
  const program = liftTrace(trace);
  const seen = new Set<string>([key(trace)]);
  let pending: Trace[] = [];
  let tried = 0;
  for (const p of programs(program)) {
    const t = materialize({ header: trace.header, program: p }, p.length);
    const k = key(t);
    if (t.calls.length >= trace.calls.length || seen.has(k)) continue;
    seen.add(k);
    pending.push(t);
    tried++;
    if (pending.length < batch && tried < candidatesMax) continue;
    const hit = await firstFailing(pending, stillFails);
    if (hit !== undefined || tried >= candidatesMax) return hit;
    pending = [];
  }
  return pending.length === 0 ? undefined : firstFailing(pending, stillFails);
}

async function firstFailing(
  ts: readonly Trace[],
  stillFails: StillFails,
): Promise<Trace | undefined> {
  const answers = await stillFails(ts);
  const i = answers.findIndex((a) => a);
  return i < 0 ? undefined : ts[i];
}

export interface Shortened {
  readonly trace: Trace;
  readonly exhausted: boolean;
  readonly attempts: number;
}

export type Minimizer = (
  trace: Trace,
  stillFails: StillFails,
  failingIndex: number | undefined,
  /** Attempts this round may use: what the earlier rounds left of the whole budget (>= 1). */
  attemptsMax: number,
) => Promise<Shortened>;

/** Rounds of reshape + minimize after the first minimization. */
const roundsMax = 4;

/**
 * Minimize, then reshape and minimize again while that makes the repro shorter. `attemptsMax`
 * caps the attempts of all rounds together (each round gets what the earlier ones left); once
 * they have used it, no further round runs.
 */
export async function minimizeDeep(
  trace: Trace,
  failingIndex: number,
  stillFails: StillFails,
  minimize: Minimizer,
  attemptsMax: number,
  signal?: AbortSignal,
): Promise<Shortened> {
  let m = await minimize(trace, stillFails, failingIndex, attemptsMax);
  for (let round = 0; round < roundsMax && signal?.aborted !== true; round++) {
    const left = attemptsMax - m.attempts;
    if (left < 1) break;
    const shorter = await reshape(m.trace, stillFails);
    if (shorter === undefined) break;
    const again = await minimize(shorter, stillFails, undefined, left);
    m = {
      trace: again.trace,
      exhausted: m.exhausted || again.exhausted,
      attempts: m.attempts + again.attempts,
    };
  }
  return m;
}

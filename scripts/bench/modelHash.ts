// Proof that a model change changed no behaviour: one SHA-256 per input set over every step's
// result (values and keys in order), version() and touched(), then the final live state, live
// ranges, every live range's bytes, user pages, tick, version, write count, page count and
// free RAM, for builds loaded side by side.
//
//   npx tsx scripts/bench/modelHash.ts <dist> [<dist> ...] [--per=30000] [--state-without=KEY.FIELD,...]
//
// The final live state (liveState(), what a model target's state() answers) is hashed too, so
// a change that only adds fields to it changes the hashes: --state-without=transfers.offset
// leaves such a field out of every build's, to show that nothing else changed.
//
// e.g. a worktree of the base commit after `npm run build`, against this checkout's build:
//   npx tsx scripts/bench/modelHash.ts /tmp/base/dist dist
//
// Inputs, made here by this checkout's sources: the corpus scaled (scripts/bench/replay.ts's
// 18 scenarios, `per` calls each), every bundled scenario as it is, and 400 fuzz cases
// (generateCase, seeds 1 to 4, 100 each, 300 calls at most); each under its own profile and
// the other (and the scenarios in their layout), with touched() after every step and only at
// the end (which reaches TouchedPages' indexed path). Exit code 1 when the builds differ.
import { createHash, type Hash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DeviceSpec, Profile } from '../../src/model/device.js';
import type { Model as ModelClass, ModelOptions } from '../../src/model/model.js';
import type { TraceCall } from '../../src/model/values.js';
import { generateCase } from '../../src/fuzz/caseGen.js';
import { runScenario } from '../corpus/scenario.js';
import { SCENARIOS } from '../corpus/scenarios/index.js';
import { scaled } from './scaledScenario.js';

interface Input {
  readonly calls: readonly TraceCall[];
  /** Its own options first, then the other profile's. */
  readonly options: readonly ModelOptions[];
}

type ModelCtor = new (o: ModelOptions) => ModelClass;

const args = process.argv.slice(2);
const per = Number(args.find((a) => a.startsWith('--per='))?.slice(6) ?? 30_000);
const dists = args.filter((a) => !a.startsWith('--'));
/** KEY.FIELD of liveState() entries left out of the hash (--state-without). */
const without = (args.find((a) => a.startsWith('--state-without='))?.slice(16) ?? '')
  .split(',')
  .filter((x) => x !== '')
  .map((x) => x.split('.') as [string, string]);
if (dists.length === 0) {
  console.error('usage: modelHash.ts <dist> [<dist> ...] [--per=30000] [--state-without=K.F,...]');
  process.exit(2);
}

const other = (p: Profile | undefined): Profile => (p === 'reactos' ? 'docs' : 'reactos');

function inputs(): Record<string, Input[]> {
  const usable = SCENARIOS.filter((s) => s.layout === undefined && s.reactosMisuse === undefined);
  const mix = usable.map((s) => {
    const device: DeviceSpec = s.device ?? {};
    return { calls: scaled(s, per), options: [{ device }, { device, profile: other('docs') }] };
  });
  const plain = SCENARIOS.map((s) => {
    const device: DeviceSpec = s.device ?? {};
    const layout = s.layout === undefined ? {} : { layout: s.layout };
    return {
      calls: runScenario(s).calls,
      options: [
        { device, ...layout },
        { device, profile: other('docs') },
      ],
    };
  });
  const fuzz: Input[] = [];
  for (const seed of [1, 2, 3, 4]) {
    const ctx = { seed, seedText: String(seed), callsMax: 300, base: [] };
    for (let i = 0; i < 100; i++) {
      const t = generateCase(ctx, i);
      const { device, profile } = t.header;
      fuzz.push({
        calls: t.calls,
        options: [
          { device, ...(profile === undefined ? {} : { profile }) },
          { device, profile: other(profile) },
        ],
      });
    }
  }
  return { mix, plain, fuzz };
}

/** Feeds a value to the hash, types and key order included. */
function ser(v: unknown, h: Hash): void {
  if (v === undefined) h.update('u;');
  else if (v === null) h.update('N;');
  else if (typeof v === 'bigint') h.update(`b${v.toString(16)};`);
  else if (typeof v === 'number') h.update(`n${Object.is(v, -0) ? '-0' : String(v)};`);
  else if (typeof v === 'boolean') h.update(v ? 'T;' : 'F;');
  else if (typeof v === 'string') h.update(`s${JSON.stringify(v)};`);
  else if (v instanceof Uint8Array) {
    h.update(`y${v.length}:`);
    h.update(v);
    h.update(';');
  } else if (Array.isArray(v)) {
    h.update('[');
    for (const x of v) ser(x, h);
    h.update(']');
  } else if (typeof v === 'object' && !(v instanceof Map) && !(v instanceof Set)) {
    h.update('{');
    for (const [k, x] of Object.entries(v)) {
      h.update(`${k}=`);
      ser(x, h);
    }
    h.update('}');
  } else throw new Error(`cannot hash a ${typeof v}`);
}

/** The live state with the --state-without fields dropped from its entries. */
function stateHashed(state: object): object {
  if (without.length === 0) return state;
  const out: Record<string, unknown> = { ...state };
  for (const [key, field] of without) {
    const list = out[key];
    if (Array.isArray(list))
      out[key] = list.map((e: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)),
      );
  }
  return out;
}

function run(Model: ModelCtor, t: Input, o: ModelOptions, touchEach: boolean, h: Hash): void {
  const m = new Model(o);
  for (const c of t.calls) {
    ser(m.step(c.fn, c.args), h);
    if (touchEach) {
      ser(m.version(), h);
      ser(m.touched(), h);
    }
  }
  ser(m.version(), h);
  ser(m.touched(), h);
  ser(stateHashed(m.liveState()), h);
  const ranges = m.liveRanges();
  ser(ranges, h);
  for (const r of ranges) {
    m.visit(r.va, r.length, (page, off, n, at) => {
      h.update(`p${off},${n},${at}`);
      if (page !== undefined) h.update(page.subarray(off, off + n));
      return true;
    });
  }
  const s = m.state;
  for (const [p, k] of s.userPages) {
    ser(p, h);
    const page = s.mem.readPage(k);
    if (page !== undefined) h.update(page);
  }
  ser([s.tick, s.version, s.mem.writes, s.mem.pageCount(), s.phys.free()], h);
}

const sets = inputs();
const seen = new Map<string, string>(); // part → the first build's digest
let differ = false;
for (const dist of dists) {
  const url = pathToFileURL(resolve(dist, 'model/model.js')).href;
  const { Model } = (await import(url)) as { Model: ModelCtor };
  for (const [name, set] of Object.entries(sets)) {
    for (const touchEach of [true, false]) {
      const h = createHash('sha256');
      let steps = 0;
      for (const t of set) {
        for (const o of t.options) {
          run(Model, t, o, touchEach, h);
          steps += t.calls.length;
        }
      }
      const part = `${name}/${touchEach ? 'touchEach' : 'touchEnd'}`;
      const digest = h.digest('hex').slice(0, 16);
      const first = seen.get(part);
      if (first === undefined) seen.set(part, digest);
      else if (first !== digest) differ = true;
      const mark = first === undefined || first === digest ? '' : '  DIFFERENT';
      console.log(`${dist}  ${part.padEnd(16)} ${digest} (${steps} steps)${mark}`);
    }
  }
}
console.log(differ ? 'the builds differ' : `same (${dists.length} builds)`);
process.exitCode = differ ? 1 : 0;

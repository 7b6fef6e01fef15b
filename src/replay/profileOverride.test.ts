// Recorded values under another profile: the bundled corpus records the docs profile's
// answers, so replaying it under --profile reactos compares them with nothing (they would
// judge the profiles, not the capture or the target), and says so per trace; under the
// header's own profile they are compared as ever.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveDevice, type Profile } from '../model/device.js';
import { parseJsonl } from '../trace/jsonl.js';
import type { Trace } from '../trace/trace.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { ReplayResult } from './replayTypes.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../corpus');
const corpus: [string, Trace][] = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .map((f) => {
    const parsed = parseJsonl(readFileSync(path.join(DIR, f), 'utf8'), f);
    if (!parsed.ok) throw new Error(`${f}: ${parsed.error.message}`);
    return [f, parsed.value];
  });

const recorded = (t: Trace): boolean =>
  t.calls.some((c) => c.ret !== undefined || c.out !== undefined);

/** Each trace replayed against model:reactos, its header saying `header`, under `profile`. */
async function replayAll(header: Profile, profile?: Profile): Promise<Map<string, ReplayResult>> {
  const out = new Map<string, ReplayResult>();
  for (const [file, t] of corpus) {
    const target = createModelTargetSync({
      device: resolveDevice(t.header.device),
      profile: 'reactos',
    });
    const h = { ...t.header, profile: header };
    out.set(file, await replayTrace(h, t.calls, target, profile === undefined ? {} : { profile }));
  }
  return out;
}

const kinds = (rs: Map<string, ReplayResult>): string[] =>
  [...rs.values()].flatMap((r) => r.violations.map((v) => v.kind));

describe('the bundled corpus against model:reactos', () => {
  it('under --profile reactos: clean, each captured trace marked profile-override', async () => {
    const rs = await replayAll('docs', 'reactos');
    expect(kinds(rs)).toEqual([]);
    const marked = [...rs].filter(([, r]) => r.recordedSkipped === 'profile-override');
    // Every captured trace, and no generated one (it recorded nothing to leave out).
    expect(marked.map(([f]) => f)).toEqual(corpus.filter(([, t]) => recorded(t)).map(([f]) => f));
    expect(marked.length).toBeGreaterThan(10);
    for (const [, r] of marked) expect(r.recordedDetachedAt).toBeUndefined();
  });

  it('with reactos in the header: its recorded (docs) values are compared, and mismatch', async () => {
    const rs = await replayAll('reactos');
    const found = kinds(rs);
    expect(found.length).toBeGreaterThan(10);
    expect(new Set(found)).toEqual(new Set(['recorded-mismatch']));
    for (const r of rs.values()) expect(r.recordedSkipped).toBeUndefined();
  });

  it('--profile naming the header’s own profile is no override', async () => {
    const rs = await replayAll('reactos', 'reactos');
    expect(kinds(rs).length).toBeGreaterThan(10);
    for (const r of rs.values()) expect(r.recordedSkipped).toBeUndefined();
  });
});

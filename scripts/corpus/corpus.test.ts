// The bundled corpus is exactly what the scenarios build, contains no misuse in either
// profile, and covers the inert family and every environment event.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INERT_FNS } from '../../src/model/calls.js';
import { formatJsonl, parseJsonl } from '../../src/trace/jsonl.js';
import type { Trace } from '../../src/trace/trace.js';
import { buildCorpus, fileName, problems } from './corpus.js';
import { misuseOf } from './misuse.js';
import { runScenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../corpus');
const built = buildCorpus();

function load(file: string): Trace {
  const parsed = parseJsonl(readFileSync(path.join(DIR, file), 'utf8'), file);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error.message}`);
  return parsed.value;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));
const traces = new Map(files.map((f) => [f, load(f)]));

describe('corpus files', () => {
  it.each(built.map((b) => [b.scenario.name, b] as const))(
    '%s rebuilds to exactly the bytes in corpus/',
    (_name, b) => {
      const text = readFileSync(path.join(DIR, fileName(b.scenario)), 'utf8');
      expect(text === b.text, 'run `npm run corpus:build`').toBe(true);
      const parsed = parseJsonl(text);
      expect(parsed.ok && formatJsonl(parsed.value) === text).toBe(true);
    },
  );

  it('holds no scenario trace without a scenario', () => {
    const names = new Set(SCENARIOS.map(fileName));
    const orphans = [...traces]
      .filter(([, t]) => t.header.meta['source'] === 'vpdma scenario')
      .map(([f]) => f)
      .filter((f) => !names.has(f));
    expect(orphans).toEqual([]);
  });

  it('has at least 12 traces, each described, listed in corpus/README.md', () => {
    expect(traces.size).toBeGreaterThanOrEqual(12);
    const readme = readFileSync(path.join(DIR, 'README.md'), 'utf8');
    for (const [file, t] of traces) {
      expect(typeof t.header.meta['description'], file).toBe('string');
      expect(readme.includes(file), `${file} in README.md`).toBe(true);
    }
  });

  it('has scenario meta, at least 3 generated-style traces and honest capture flags', () => {
    for (const b of built) {
      const meta = b.trace.header.meta;
      expect(meta['scenario']).toBe(b.scenario.name);
      expect(meta['captured']).toBe(b.scenario.captured);
      const recorded = b.trace.calls.some((c) => c.ret !== undefined || c.out !== undefined);
      expect(recorded, b.scenario.name).toBe(b.scenario.captured);
    }
    expect(built.filter((b) => !b.scenario.captured).length).toBeGreaterThanOrEqual(3);
  });
});

describe('no misuse', () => {
  it.each(built.map((b) => [b.scenario.name, b] as const))('%s', (_name, b) => {
    expect(problems(b)).toEqual([]);
  });

  it('declared ReactOS exceptions still happen (so they cannot go stale)', () => {
    for (const b of built.filter((x) => x.scenario.reactosMisuse !== undefined)) {
      const rules = new Set(misuseOf(b.trace, { profile: 'reactos', learn: true }).map((h) => h.rule));
      expect([...rules].sort()).toEqual([...(b.scenario.reactosMisuse?.rules ?? [])].sort());
    }
  });

  it('the alternate-layout trace needs learning: its raw values mean nothing to the default model', () => {
    const alt = built.filter((b) => b.scenario.layout === 'alternate');
    expect(alt.length).toBeGreaterThan(0);
    for (const b of alt) {
      expect(misuseOf(b.trace, { profile: 'docs' }).length).toBeGreaterThan(0);
      expect(misuseOf(b.trace, { profile: 'docs', learn: true })).toEqual([]);
    }
  });

  it('scenario programs are deterministic', () => {
    for (const s of SCENARIOS.slice(0, 3)) {
      expect(formatJsonl(runScenario(s))).toBe(built.find((b) => b.scenario === s)?.text);
    }
  });
});

describe('coverage', () => {
  const fns = new Set([...traces.values()].flatMap((t) => t.calls.map((c) => c.fn)));

  it('every function of the inert family appears', () => {
    expect([...INERT_FNS].filter((fn) => !fns.has(fn))).toEqual([]);
  });

  it('each of the four environment events appears', () => {
    const events = ['@write', '@read', '@executeDma', '@deviceDma'];
    expect(events.filter((fn) => !fns.has(fn))).toEqual([]);
  });

  it('CreateEvent appears with all four flag combinations', () => {
    const flags = new Set(
      [...traces.values()].flatMap((t) =>
        t.calls.filter((c) => c.fn === 'VideoPortCreateEvent').map((c) => c.args['eventFlag']),
      ),
    );
    expect([0, 1, 2, 3].filter((f) => !flags.has(f))).toEqual([]);
  });
});

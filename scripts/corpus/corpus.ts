// The corpus in memory: each scenario's JSONL text, and the checks every corpus trace must
// pass (shared by build.ts, which refuses to write a bad corpus, and by corpus.test.ts).
import { PROFILES, profileOf } from '../../src/model/device.js';
import { formatJsonl } from '../../src/trace/jsonl.js';
import type { Trace } from '../../src/trace/trace.js';
import { describeHits, misuseOf } from './misuse.js';
import { runScenario, type Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

export interface Built {
  readonly scenario: Scenario;
  readonly trace: Trace;
  readonly text: string;
}

export function buildScenario(scenario: Scenario): Built {
  const trace = runScenario(scenario);
  return { scenario, trace, text: formatJsonl(trace) };
}

export function buildCorpus(): Built[] {
  return SCENARIOS.map(buildScenario);
}

/** The file a scenario's trace lives in, relative to the corpus directory. */
export function fileName(scenario: Scenario): string {
  return `${scenario.name}.jsonl`;
}

/**
 * Everything wrong with one built trace, as messages (empty when it is fit for the corpus):
 * misuse when its fixed calls are re-run through a fresh model with the header's profile
 * and the layout it was recorded with; misuse in either profile when recorded values are
 * learned (beyond what the scenario declares for ReactOS); and misuse by the scenario's
 * driver program itself when it runs under the ReactOS profile.
 */
export function problems(b: Built): string[] {
  const s = b.scenario;
  const found: string[] = [];
  const exact = misuseOf(b.trace, {
    profile: profileOf(b.trace.header),
    layout: s.layout ?? 'default',
  });
  if (exact.length > 0) found.push(`${s.name}: misuse on re-run: ${describeHits(exact)}`);
  for (const profile of PROFILES) {
    const allowed = new Set(profile === 'reactos' ? (s.reactosMisuse?.rules ?? []) : []);
    const hits = misuseOf(b.trace, { profile, learn: true }).filter((h) => !allowed.has(h.rule));
    if (hits.length > 0) found.push(`${s.name}: misuse under ${profile}: ${describeHits(hits)}`);
  }
  try {
    runScenario(s, 'reactos');
  } catch (e) {
    found.push((e as Error).message);
  }
  return found;
}

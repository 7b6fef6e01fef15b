import { describe, expect, it } from 'vitest';
import { tableRevision } from '../model/calls.js';
import { PROFILE_PER_TRACE } from '../replay/runIdentity.js';
import { buildRevision } from './buildRevision.js';
import { fuzzReportMeta, type FuzzReportPlan } from './fuzzReportMeta.js';
import { packageVersion } from './version.js';

const plan: FuzzReportPlan = {
  settings: {
    target: 'model',
    timeoutMs: 1000,
    sampleBytes: 512,
    callsMax: 64,
    seed: 7,
    seedText: '58c7482',
  },
  shard: { index: 1, count: 3 },
  budgetText: { runs: 100 },
  workers: 2,
  corpusDir: 'out/corpus',
  perGroup: 2,
  attemptsMax: 2000,
};
const run = {
  corpusFound: { entries: 3, bytes: 300, readMs: 1 },
  interrupted: false,
  warnings: ['w'],
  wallMs: 5,
};

describe('fuzzReportMeta', () => {
  it('says what the plan and the run say, leaving out what was not given', () => {
    expect(fuzzReportMeta(plan, run)).toStrictEqual({
      seed: '58c7482',
      vpdmaVersion: packageVersion(),
      modelRevision: tableRevision(),
      buildRevision: buildRevision(),
      target: 'model',
      profile: PROFILE_PER_TRACE,
      shard: '2/3',
      budget: { runs: 100 },
      callsMax: 64,
      timeoutMs: 1000,
      reprosPerKind: 2,
      attemptsMax: 2000,
      corpusDir: 'out/corpus',
      corpusFound: run.corpusFound,
      interrupted: false,
      warnings: ['w'],
      workers: 2,
      wallMs: 5,
    });
  });

  it('records --profile, --disable, --worker-heap-mb and --corpus-max when given', () => {
    const given: FuzzReportPlan = {
      ...plan,
      settings: { ...plan.settings, disabled: ['VideoPortDoDma'] },
      profile: 'reactos',
      workerHeapMb: 256,
      corpusMax: 10,
    };
    expect(fuzzReportMeta(given, run)).toMatchObject({
      profile: 'reactos',
      disabled: ['VideoPortDoDma'],
      workerHeapMb: 256,
      corpusMax: 10,
    });
  });
});

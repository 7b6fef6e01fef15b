// The fuzz options' defaults are one fact (fuzz/fuzzDefaults.ts): what commander applies to
// fuzz and nightly, what the parsers fall back to, and what the printed "run again" options
// leave out as the default, so a rerun command never drops an option its cases need.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { FUZZ_DEFAULTS, FUZZ_MAX } from '../fuzz/fuzzDefaults.js';
import { rerunOptions } from '../fuzz/fuzzSummary.js';
import { CliContext } from './context.js';
import { buildProgram } from './main.js';
import { fuzzIntOption } from './options.js';

const program = buildProgram(new CliContext({ out: () => undefined, err: () => undefined }));

function defaultOf(command: string, flag: string): unknown {
  const cmd = program.commands.find((c: Command) => c.name() === command);
  return cmd?.options.find((o) => o.long === flag)?.defaultValue;
}

const run = { runsEquivalent: 10, shard: '1/1' } as const;

describe('fuzz option defaults', () => {
  it('are what commander applies, for fuzz and nightly alike', () => {
    for (const command of ['fuzz', 'nightly']) {
      expect(defaultOf(command, '--calls-max')).toBe(String(FUZZ_DEFAULTS.callsMax));
      expect(defaultOf(command, '--timeout')).toBe(String(FUZZ_DEFAULTS.timeoutMs));
    }
    expect(defaultOf('fuzz', '--attempts-max')).toBe(String(FUZZ_DEFAULTS.attemptsMax));
    expect(defaultOf('fuzz', '--repros-per-kind')).toBe(String(FUZZ_DEFAULTS.reprosPerKind));
  });

  it('are left out of the rerun options exactly when applied', () => {
    const applied = {
      callsMax: fuzzIntOption('--calls-max', String(defaultOf('fuzz', '--calls-max'))),
      timeoutMs: fuzzIntOption('--timeout', String(defaultOf('fuzz', '--timeout'))),
    };
    expect(rerunOptions({ ...run, ...applied })).toBe('--runs 10');
    expect(rerunOptions({ ...run, callsMax: applied.callsMax + 1, timeoutMs: 1 })).toBe(
      `--runs 10 --calls-max ${applied.callsMax + 1} --timeout 1`,
    );
  });

  it('are the parsers fallbacks, and each option takes from 1 to its bound', () => {
    const keys = {
      '--calls-max': 'callsMax',
      '--timeout': 'timeoutMs',
      '--repros-per-kind': 'reprosPerKind',
      '--attempts-max': 'attemptsMax',
    } as const;
    for (const [flag, key] of Object.entries(keys) as [
      keyof typeof keys,
      (typeof keys)[keyof typeof keys],
    ][]) {
      expect(fuzzIntOption(flag, undefined)).toBe(FUZZ_DEFAULTS[key]);
      expect(fuzzIntOption(flag, String(FUZZ_MAX[key]))).toBe(FUZZ_MAX[key]);
      expect(() => fuzzIntOption(flag, String(FUZZ_MAX[key] + 1))).toThrow(
        `${flag}: expected a whole number from 1 to ${FUZZ_MAX[key]}, got "${FUZZ_MAX[key] + 1}"`,
      );
    }
  });
});

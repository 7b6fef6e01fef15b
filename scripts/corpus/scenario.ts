// A corpus scenario: a driver program plus what its trace header says about it. Running one
// against a fresh Recorder yields the trace; the same program also runs under the ReactOS
// profile, where it may take a different path (a driver checks every status it gets).
import type { DeviceSpec, Profile } from '../../src/model/device.js';
import { Recorder } from '../../src/model/recorder.js';
import type { Trace } from '../../src/trace/trace.js';
import { Driver } from './driver.js';

export interface Scenario {
  /** File name without extension, kebab-case. */
  readonly name: string;
  /** One paragraph: what a real miniport does here and what the trace proves. */
  readonly description: string;
  /** Captured style (ret/out recorded) or generated style (args only). */
  readonly captured: boolean;
  /** The allocation layout the trace was recorded with; 'alternate' only for captured. */
  readonly layout?: 'alternate';
  /** Only what the scenario changes from the default device. */
  readonly device?: DeviceSpec;
  /**
   * Misuse rules the fixed trace unavoidably hits when replayed against the ReactOS profile,
   * and why. Absent means none: the trace is misuse-free in both profiles.
   */
  readonly reactosMisuse?: { readonly rules: readonly string[]; readonly why: string };
  run(d: Driver): void;
}

/** The header meta every corpus trace carries. */
function metaOf(s: Scenario): Trace['header']['meta'] {
  return {
    source: 'vpdma scenario',
    scenario: s.name,
    description: s.description,
    captured: s.captured,
    ...(s.layout === undefined ? {} : { layout: s.layout }),
    ...(s.reactosMisuse === undefined ? {} : { reactos: s.reactosMisuse.why }),
  };
}

/** Runs the scenario's driver against a fresh model (recording profile docs by default). */
export function runScenario(s: Scenario, profile: Profile = 'docs'): Trace {
  const rec = new Recorder(
    {
      profile,
      ...(s.device === undefined ? {} : { device: s.device }),
      ...(s.layout === undefined ? {} : { layout: s.layout }),
    },
    s.captured,
  );
  try {
    s.run(new Driver(rec));
  } catch (e) {
    throw new Error(`scenario ${s.name} (${profile}): ${(e as Error).message}`, { cause: e });
  }
  return {
    header: {
      format: 'vpdma-trace',
      version: 1,
      profile: 'docs',
      device: s.device ?? {},
      meta: metaOf(s),
    },
    calls: rec.calls,
  };
}

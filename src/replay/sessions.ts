// Opening a fresh target for each trace from a SPEC. A session lives as long as a worker: a
// module is imported once, a process child is reused until it faults (an `{error}` answer is
// no fault of the child's).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Result } from '../core/result.js';
import type { DeviceConfig, Profile } from '../model/device.js';
import { describeThrown, TargetFault, withTimeout } from './callTarget.js';
import { guardTarget } from './guardedTarget.js';
import { createModelTargetSync } from './modelTarget.js';
import { createMutantTarget, findMutant, MUTANTS } from './mutants.js';
import { createProcessTarget, type ProcessChild } from './processTarget.js';
import type { Target, TargetFactory } from './target.js';
import type { TargetSpec } from './targetSpec.js';

export interface TargetSession {
  /** A fresh target for one trace (rejects with TargetFault if it cannot start). */
  open(device: DeviceConfig, profile: Profile): Promise<Target>;
  /**
   * Done with a target; `faulted` retires a process child instead of reusing it, unless the
   * fault was the child's own `{error}` answer (docs/target-protocol.md). Resolves to
   * why the target's close() failed (threw, rejected, hung), if it did: a warning for the
   * user, which changes no result.
   */
  release(target: Target, faulted: boolean): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A usage error: module: names a file (a directory's index is not looked for). */
export const IS_A_DIRECTORY = 'is a directory; name the module file in it';

async function loadFactory(path: string): Promise<Result<TargetFactory, string>> {
  const full = resolve(path);
  if (!existsSync(full)) return { ok: false, error: `target module ${path} does not exist` };
  if (statSync(full).isDirectory())
    return { ok: false, error: `target module ${path} ${IS_A_DIRECTORY}` };
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(full).href);
  } catch (e) {
    return {
      ok: false,
      error: `target module ${path} failed to load: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const factory = (mod as { default?: unknown }).default;
  if (typeof factory !== 'function')
    return {
      ok: false,
      error: `target module ${path} has no default export creating a target (see README.md, Writing a target)`,
    };
  return { ok: true, value: factory as TargetFactory };
}

/**
 * A target from a module's factory, behind guardTarget. A factory that throws, rejects,
 * answers no object or does not answer in time is the target failing to start (a
 * TargetFault), not a harness bug.
 */
async function openModule(
  factory: TargetFactory,
  options: Parameters<TargetFactory>[0],
  timeoutMs: number,
): Promise<Target> {
  let made: unknown;
  try {
    made = await withTimeout(Promise.resolve(factory(options)), timeoutMs, 'the factory');
  } catch (e) {
    throw TargetFault.is(e) ? e : new TargetFault(`the factory threw ${describeThrown(e)}`);
  }
  return guardTarget(made, timeoutMs);
}

function simple(open: TargetSession['open']): TargetSession {
  return {
    open,
    release: async (t) => {
      try {
        await t.close?.();
        return undefined;
      } catch (e) {
        return describeThrown(e);
      }
    },
    close: () => Promise.resolve(),
  };
}

/** A session over a factory given in code (the library's), each target behind guardTarget. */
export function factorySession(factory: TargetFactory, timeoutMs: number): TargetSession {
  return simple((device, profile) => openModule(factory, { device, profile }, timeoutMs));
}

export async function createSession(
  spec: TargetSpec,
  timeoutMs: number,
  /** --load-timeout, when given: a process child's hello allowance (startTimeout.ts). */
  startTimeoutMs?: number,
  /** --rss-limit-mb: a process child's resident memory limit (absent or 0: none). */
  rssLimitMb = 0,
): Promise<Result<TargetSession, string>> {
  switch (spec.kind) {
    case 'model':
      return {
        ok: true,
        value: simple((device, profile) =>
          Promise.resolve(
            createModelTargetSync({
              device,
              profile: spec.profile ?? profile,
              layout: spec.layout,
            }),
          ),
        ),
      };
    case 'mutant': {
      const m = findMutant(spec.name);
      if (m === undefined)
        return {
          ok: false,
          error: `unknown mutant "${spec.name}"; bundled: ${MUTANTS.map((x) => x.name).join(', ')}`,
        };
      return {
        ok: true,
        value: simple((device, profile) =>
          Promise.resolve(createMutantTarget(m, { device, profile })),
        ),
      };
    }
    case 'module': {
      const f = await loadFactory(spec.path);
      if (!f.ok) return f;
      return {
        ok: true,
        value: simple((device, profile) => openModule(f.value, { device, profile }, timeoutMs)),
      };
    }
    case 'process':
      return {
        ok: true,
        value: processSession(spec.command, timeoutMs, startTimeoutMs, rssLimitMb),
      };
  }
}

function processSession(
  command: string,
  timeoutMs: number,
  startTimeoutMs: number | undefined,
  rssLimitMb: number,
): TargetSession {
  let child: ProcessChild | undefined;
  return {
    async open(device, profile) {
      const t = await createProcessTarget(
        {
          command,
          device,
          profile,
          timeoutMs,
          ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
          rssLimitMb,
        },
        child,
      );
      child = t.child;
      return t;
    },
    release(_t, faulted) {
      // A trace that ended in the child's {error} answer (a function it does not implement,
      // say) leaves it alive and well: the next trace starts with hello, not a new process.
      if (faulted && child?.reusableAfterFault !== true) {
        child?.kill();
        child = undefined;
      }
      // The child serves the next trace: its exit status, if ever, is not looked at.
      return Promise.resolve(undefined);
    },
    close() {
      child?.kill();
      child = undefined;
      return Promise.resolve();
    },
  };
}

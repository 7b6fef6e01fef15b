// Failing early, in this thread, on a target that cannot be set up at all (a missing module,
// an unknown mutant): a usage error, before any work starts.
import { createSession } from '../replay/sessions.js';
import type { TargetSpec } from '../replay/targetSpec.js';
import { UserError } from './context.js';

export async function checkTarget(spec: TargetSpec, timeoutMs: number): Promise<void> {
  if (spec.kind === 'process') return; // started per worker; a failure shows per trace or case
  const s = await createSession(spec, timeoutMs);
  if (!s.ok) throw new UserError(`--target: ${s.error}`);
  await s.value.close();
}

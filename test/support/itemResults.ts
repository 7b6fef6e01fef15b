// ItemResults as a replay's pool gives them, for tests of what is decided from them.
import type { ItemResult } from '../../src/replay/protocol.js';
import { NOT_STARTED, violation } from '../../src/replay/violation.js';

/** A trace whose target did not answer its hello. */
export const unstarted = (id: number): ItemResult => ({
  id,
  label: `t${id}`,
  result: {
    outcome: 'timeout',
    calls: 0,
    violations: [violation('target-timeout', '(start)', 0, `${NOT_STARTED}: did not answer hello`)],
  },
});

export const passed = (id: number): ItemResult => ({
  id,
  label: `t${id}`,
  result: { outcome: 'pass', calls: 3, violations: [] },
});

/** A trace that could not be read: the target was not tried. */
export const unreadable = (id: number): ItemResult => ({ id, label: `t${id}`, inputError: 'bad' });

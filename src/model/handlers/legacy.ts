// E. The legacy PDMA family (spec §1 E): obsolete since Windows 2000 and inert. No PDMA
// object is ever created, so nothing here reads or writes state; `wrote` stays empty, which
// is exactly the promise the checks hold targets to.
import { big } from '../args.js';
import { ok, type StepResult } from '../result.js';
import type { ModelState } from '../state.js';
import type { Args } from '../values.js';

// Constants: step() hands a result without out-parameters on as is, so these calls allocate
// nothing.
const NULL = Object.freeze(ok('null', 0n));
const NO_OP = Object.freeze(ok('no-op'));
const FALSE = Object.freeze(ok('false', false));
const ZERO = Object.freeze(ok('zero', 0));

export const doDma = (): StepResult => NULL;
export const getDmaContext = (): StepResult => NULL;
export const setDmaContext = (): StepResult => NO_OP;
export const signalDmaComplete = (): StepResult => FALSE;
export const associateEventsWithDmaHandle = (): StepResult => NULL;
export const getBytesUsed = (): StepResult => ZERO;
export const setBytesUsed = (): StepResult => NO_OP;
export const mapDmaMemory = (): StepResult => NULL;
export const unmapDmaMemory = (): StepResult => FALSE;

/** Docs: returns pDma "for compatibility"; ReactOS: a stub returning NULL. */
export function getMdl(s: ModelState, a: Args): StepResult {
  return s.reactos ? ok('stub-null', 0n) : ok('echo', big(a['pDma']));
}

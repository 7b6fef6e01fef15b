// E. The legacy PDMA family (spec §1 E): obsolete since Windows 2000 and inert. No PDMA
// object is ever created, so nothing here reads or writes state; `wrote` stays empty, which
// is exactly the promise the checks hold targets to.
import { big } from '../args.js';
import { ok, type StepResult } from '../result.js';
import type { ModelState } from '../state.js';
import type { Args } from '../values.js';

export const doDma = (): StepResult => ok('null', 0n);
export const getDmaContext = (): StepResult => ok('null', 0n);
export const setDmaContext = (): StepResult => ok('no-op');
export const signalDmaComplete = (): StepResult => ok('false', false);
export const associateEventsWithDmaHandle = (): StepResult => ok('null', 0n);
export const getBytesUsed = (): StepResult => ok('zero', 0);
export const setBytesUsed = (): StepResult => ok('no-op');
export const mapDmaMemory = (): StepResult => ok('null', 0n);
export const unmapDmaMemory = (): StepResult => ok('false', false);

/** Docs: returns pDma "for compatibility"; ReactOS: a stub returning NULL. */
export function getMdl(s: ModelState, a: Args): StepResult {
  return s.reactos ? ok('stub-null', 0n) : ok('echo', big(a, 'pDma'));
}

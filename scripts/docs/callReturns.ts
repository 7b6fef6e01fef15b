// The values a port must return, per call, for docs/calls.md's "return values" lines: what a
// native target cannot read from the call table's types. Sourced from the spec
// (/work/shared/spec/videoport-dma.md, section cited as §1 A ... §1 H) and, where the spec is
// silent, the model's choice (docs/spec-gaps.md, "Sizes and counts": zero lengths fail,
// allocations over 1 GiB fail, 4096 live objects of a kind at most). Status codes come from
// core/constants.ts, so they cannot drift from what the oracle answers.
import {
  ERROR_INSUFFICIENT_BUFFER,
  ERROR_INVALID_FUNCTION,
  ERROR_INVALID_PARAMETER,
  ERROR_NOT_ENOUGH_MEMORY,
  NO_ERROR,
  WAIT_TIMEOUT,
} from '../../src/core/constants.js';

const OK = `NO_ERROR (${NO_ERROR})`;
const NOMEM = `ERROR_NOT_ENOUGH_MEMORY (${ERROR_NOT_ENOUGH_MEMORY})`;
const INVALID = `ERROR_INVALID_PARAMETER (${ERROR_INVALID_PARAMETER})`;
const SIZES =
  'a zero length, over 1 GiB, 4096 live already, or RAM exhausted ([spec-gaps.md](spec-gaps.md))';

export const CALL_RETURNS: Readonly<Record<string, string>> = {
  VideoPortGetDmaAdapter:
    'a new adapter handle; NULL on failure (spec §1 A; the model fails only with 4096 adapters live, in both profiles, although ReactOS itself has no count limit)',
  VideoPortAllocateCommonBuffer: `a new kernel VA; NULL on failure (spec §1 B): ${SIZES}`,
  VideoPortGetCommonBuffer: `a new kernel VA; NULL on failure (spec §1 B): ${SIZES}; the ReactOS profile also for \`desiredLength\` over 262144 (0x40000) or no adapter yet`,
  VideoPortAllocateContiguousMemory: `a new kernel VA; NULL on failure (spec §1 B): ${SIZES}; also when no run of free RAM pages that long ends at or below \`highestAcceptableAddress\` (system RAM starts at 0x100000, so 0xfffff always fails)`,
  VideoPortLockBuffer:
    'a new MDL handle; NULL when the buffer cannot be locked (spec §1 C: zero length, an address no live range or user memory holds, which is misuse; 4096 MDLs live), and for an `operation` other than 0, 1 or 2, which the model makes misuse in both profiles ([spec-gaps.md](spec-gaps.md))',
  VideoPortLockPages:
    'TRUE when `dmaFlags` is DmaInitOnly (3) and the lock succeeds; FALSE for any other flags (spec §1 C) or a failed lock',
  VideoPortUnlockPages:
    'TRUE, always, in the docs profile; FALSE, always, in the ReactOS profile (spec §1 C)',
  VideoPortStartDma: `${OK} or ${NOMEM} (spec §1 D). Docs profile: ${ERROR_NOT_ENOUGH_MEMORY} for a zero \`*pLength\` or no free map register. ReactOS profile: \`*pLength\` is ignored (0 is not a failure) and never written on success; ${ERROR_NOT_ENOUGH_MEMORY} with \`*pLength\` = 0 when the whole MDL can never fit: longer than the adapter's \`maximumLength\`, or needing more map registers than the adapter has. A start that fits but must wait for busy registers, or for a start queued before it on the same adapter, returns ${OK} and is queued: \`@executeDma\` delivers it only after a \`CompleteDma\` frees enough registers, in start order ([spec-gaps.md](spec-gaps.md))`,
  VideoPortCompleteDma: `${OK}, always (spec §1 D)`,
  VideoPortDoDma: 'NULL, always (spec §1 E)',
  VideoPortGetDmaContext: 'NULL, always (spec §1 E)',
  VideoPortSignalDmaComplete: 'FALSE, always (spec §1 E)',
  VideoPortAssociateEventsWithDmaHandle: 'NULL, always (spec §1 E)',
  VideoPortGetBytesUsed: '0, always (spec §1 E)',
  VideoPortGetMdl: '`pDma` itself in the docs profile; NULL in the ReactOS profile (spec §1 E)',
  VideoPortMapDmaMemory: 'NULL, always, writing no out-parameter (spec §1 E and §4 invariant 5)',
  VideoPortUnmapDmaMemory: 'FALSE, always (spec §1 E)',
  VideoPortGetDeviceBase:
    'a new view; NULL for a range outside every aperture (or of length 0), or with 4096 views live (spec §1 F says "VA or NULL" without naming the cases)',
  VideoPortMapMemory: `${OK} or ${INVALID} (spec §1 F): ${ERROR_INVALID_PARAMETER} for a range outside every aperture or a zero length; the ReactOS profile answers ${ERROR_NOT_ENOUGH_MEMORY} for a range outside every aperture, and for a zero length only at an address outside every aperture (in one: ${OK}, with \`*VirtualAddress\` NULL, the port number for I/O space, or a reused kernel mapping of that bus address; spec §1 F: "failed MmMapIoSpace / user-view map → NO_ERROR with NULL VA")`,
  VideoPortUnmapMemory: `${OK} or ${INVALID} for an address no view holds or the wrong process handle (spec §1 F); ${OK}, always, in the ReactOS profile, which releases a user view only if it is the current process's ("ProcessHandle ignored (current process used)")`,
  VideoPortMapBankedMemory: `as \`MapMemory\` in the docs profile (spec §1 F: ${OK} or ${INVALID}); ERROR_INVALID_FUNCTION (${ERROR_INVALID_FUNCTION}), always, in the ReactOS profile`,
  VideoPortAllocatePool: `a new kernel VA; NULL on failure (spec §1 G): ${SIZES}; and for a \`poolType\` other than 0, 1, 4 or 5, which the model makes misuse in both profiles`,
  VideoPortAllocateBuffer: `${OK}, or ${NOMEM} for ${SIZES}; the spec (§1 G) also lists ERROR_INSUFFICIENT_BUFFER (${ERROR_INSUFFICIENT_BUFFER}, a quota), which the model never answers`,
  VideoPortCreateEvent: `${OK}; ${NOMEM} with 4096 events live (spec §1 H gives ${ERROR_NOT_ENOUGH_MEMORY} for an allocation failure)`,
  VideoPortDeleteEvent: `${OK}; ${INVALID} for an event no call created (spec §1 H)`,
  VideoPortSetEvent:
    'the previous state: nonzero if the event was signaled, else 0 (spec §1 H; compared truthy)',
  VideoPortReadStateEvent: 'nonzero if the event is signaled, else 0 (spec §1 H; compared truthy)',
  VideoPortWaitForSingleObject: `${OK} when the event is (or was) signaled; WAIT_TIMEOUT (${WAIT_TIMEOUT}, 0x${WAIT_TIMEOUT.toString(16)}) when the timeout passes first; ${INVALID} for an object no call created (spec §1 H; its 258 is "the standard value, not checked against a named source")`,
};

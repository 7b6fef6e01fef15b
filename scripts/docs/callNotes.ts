// What a target author needs to know of a call beyond its table entry: the model's rules where
// the spec leaves a choice (docs/spec-gaps.md says why), and how to answer the misuse the
// fuzzer sends. docs/calls.md prints them under "For a target"; each rule is pinned by a model
// test (in src/model/handlers/ unless named otherwise), so the page cannot silently go stale.
export const CALL_NOTES: Readonly<Record<string, readonly string[]>> = {
  VideoPortGetDmaAdapter: [
    // Pinned by packetDma.test.ts (scatter/gather from the description or the device),
    // dma32Window.test.ts (a 32-bit adapter's list below 4 GiB) and
    // adapters.test.ts ("sizes map registers ...").
    "the adapter's settings combine the description with the device's `dma` (the trace header's, [design.md](design.md)): scatter/gather only when both the description's `scatterGather` and the device's `dma.scatterGather` are true (so a device without it gets one element per list, whatever the driver asks), 64-bit logical addresses likewise (`dma64BitAddresses`; without them a common buffer lies below 4 GiB, and a scatter/gather list names a page above 4 GiB by its map register's logical address, below 4 GiB), `maximumLength` the smaller of the two; `dma32BitAddresses` is not read",
    'the adapter gets min(`dma.mapRegisters`, ceil(`maximumLength` / 4096) + 1) map registers: 2 for a `maximumLength` of 4096, with the default device (64 registers); `StartDma` grants no more than the largest run of free ones ([spec-gaps.md](spec-gaps.md))',
  ],
  VideoPortLockPages: [
    // locking.test.ts ("locks user memory, ..."): LockPages locks through LockBuffer's lock().
    "`pVrp.inputBuffer` is a CPU address as `LockBuffer`'s `baseAddress` is: a live range, or user memory (`0x10000` to `0x7fffffff0000`: [target-protocol.md](target-protocol.md#user-memory)), which `corpus/legacy-lockpages.jsonl` locks",
    // locking.test.ts ("docs: InitOnly locks ...") and src/replay/compare.ts isSgListBytes.
    "docs profile, on success (`dmaFlags` 3, DmaInitOnly): `outputBuffer` points to a new VP_SCATTER_GATHER_LIST in the x64 layout of spec §3: `NumberOfElements` (u32) at 0, `Reserved` at 8, then 24-byte elements from offset 16 (`Address` u64 at +0, `Length` u32 at +8, `Reserved` at +16), one element per physically contiguous run of the locked pages (not one per page); `outputBufferLength` is its size (40 bytes for one element). Its bytes are not compared (the addresses are the implementation's), and its size is accepted in either layout, x64 (16 + 24n) or x86 (8 + 16n), for any n from 1 to the pages the buffer spans",
  ],
  VideoPortGetDeviceBase: [
    // deviceBase.test.ts ("USER_MODE: ignored by the docs ...").
    '`inIoSpace`: IO (1) maps I/O space, else memory space; P6CACHE (8) counts for the alias rule; DENSE (4) changes nothing. USER_MODE (2), which the documentation does not list for this function, is ignored by the docs profile (a kernel view, as without it: [spec-gaps.md](spec-gaps.md)); the ReactOS profile maps a user view of the current process',
  ],
  VideoPortMapMemory: [
    '`*VirtualAddress` 0 maps into system space (a kernel view), unless `inIoSpace` has USER_MODE (2): then into the current process, whose handle is -1 (`0xffffffffffffffff`, NtCurrentProcess()); any other value is the process handle of a user view',
  ],
  VideoPortUnmapMemory: [
    // mapping.test.ts ("ProcessHandle 0 releases ...").
    'docs profile: `processHandle` 0 releases any view, kernel or user, whatever process it was mapped into; any other handle must be the one the view was mapped with (-1 for a USER_MODE view mapped with no handle); otherwise `ERROR_INVALID_PARAMETER` (87) and nothing is released',
    // mapping.test.ts ("a user view of another process ...").
    'ReactOS profile: `processHandle` is ignored and the current process is searched, so a user view mapped with a handle other than -1 (`0xffffffffffffffff`) stays mapped, whatever handle is passed ([spec-gaps.md](spec-gaps.md))',
  ],
  '@write': [
    // memoryEvents.test.ts ("unmapped or overrunning accesses ...").
    'to memory that is not mapped (the fuzzer sends it: `misuse: write-unmapped`): write nothing and answer as usual; never `{error}` ([answering misuse](target-protocol.md#answering-misuse))',
  ],
  '@read': [
    'of memory that is not mapped (`misuse: read-unmapped`): answer with any bytes (the oracle answers none, `x""`); never `{error}`, which is a `target-crashed` here, unlike the protocol\'s `read` request ([answering misuse](target-protocol.md#answering-misuse))',
  ],
  '@executeDma': [
    // packetDma.test.ts and completeDma.test.ts (the misuse answers).
    'with no list pending on that adapter (`misuse: no-pending-transfer`): deliver nothing; the oracle answers `out: {sgList: 0, context: 0, elements: []}`. With several pending, the oldest is delivered. In the ReactOS profile a start queued for busy map registers is not pending until a `CompleteDma` frees enough ([spec-gaps.md](spec-gaps.md))',
  ],
  '@deviceDma': [
    'on a list that is unknown or not yet delivered, whose MDL was unlocked, or at a `deviceAddress` outside every memory aperture (`misuse: device-dma-without-list`, `device-dma-after-unlock`, `device-address-outside-aperture`): move nothing and answer 0',
  ],
};

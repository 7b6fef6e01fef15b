// SARIF rule metadata: one rule per violation kind (src/replay/violation.ts), in that order,
// with a one-line description and a help text that says what the check saw, where to look and
// which rule of the spec it holds (replay/ruleSource.ts KIND_CITATIONS). No helpUri: SARIF
// wants an absolute URI there, and vpdma's docs have none (they are files of the install).
import { KIND_CITATIONS, type KindCitation } from '../replay/ruleSource.js';
import { VIOLATION_KINDS, type ViolationKind } from '../replay/violation.js';

interface RuleText {
  readonly name: string;
  readonly short: string;
  readonly help: string;
}

const TEXT: Readonly<Record<ViolationKind, RuleText>> = {
  'map-dma-returned-non-null': {
    name: 'MapDmaReturnedNonNull',
    short: 'VideoPortMapDmaMemory returned something other than NULL.',
    help: 'VideoPortMapDmaMemory is obsolete and must return NULL for every argument combination. The failing call is the one the result points at (the last call of a finding repro, any call of a corpus trace); compare its arguments with the spec (spec/videoport-dma.md).',
  },
  'map-dma-wrote-out-param': {
    name: 'MapDmaWroteOutParam',
    short: 'VideoPortMapDmaMemory wrote through Length, InIoSpace, VirtualAddress or pVrp.',
    help: 'VideoPortMapDmaMemory must not write through any of its pointer parameters. The violation names the parameter and the value before and after the call.',
  },
  'inert-return-mismatch': {
    name: 'InertReturnMismatch',
    short: 'An obsolete inert call returned something other than its documented constant.',
    help: 'The obsolete PDMA family (UnmapDmaMemory, DoDma, AssociateEventsWithDmaHandle, Get/SetDmaContext, SignalDmaComplete, Get/SetBytesUsed, GetMdl) has documented constant returns per profile.',
  },
  'inert-wrote-out-param': {
    name: 'InertWroteOutParam',
    short: 'An obsolete inert call wrote an out-parameter.',
    help: 'Calls of the obsolete PDMA family must not write through their pointer parameters.',
  },
  'memory-corrupted': {
    name: 'MemoryCorrupted',
    short: 'A byte of a live mapping or buffer changed during an inert call.',
    help: 'During an obsolete inert call no byte of any mapped view, common buffer, locked buffer or request-packet buffer may change. The violation gives the address and the bytes before and after.',
  },
  'transfer-state-changed': {
    name: 'TransferStateChanged',
    short: 'Transfer state changed during an inert call.',
    help: 'An in-flight transfer, scatter/gather list or map-register count changed during an obsolete inert call; these calls must leave DMA state untouched.',
  },
  'object-state-changed': {
    name: 'ObjectStateChanged',
    short: 'A live object changed during an inert call.',
    help: 'An adapter, common buffer, MDL, view or event was created, changed or destroyed during an obsolete inert call.',
  },
  'view-torn-down': {
    name: 'ViewTornDown',
    short: 'VideoPortUnmapDmaMemory tore down a real mapping.',
    help: 'VideoPortUnmapDmaMemory returns FALSE and must never unmap a view created by VideoPortMapMemory or VideoPortGetDeviceBase.',
  },
  'return-mismatch': {
    name: 'ReturnMismatch',
    short: "A return value differs from the oracle's.",
    help: 'The target returned a value that the oracle profile does not allow. Implementation-defined values (addresses, handles) are learned, so this is a defined value: a status, a length or a constant.',
  },
  'out-param-mismatch': {
    name: 'OutParamMismatch',
    short: "An out-parameter differs from the oracle's.",
    help: 'The target wrote an out-parameter value that the oracle profile does not allow.',
  },
  'memory-mismatch': {
    name: 'MemoryMismatch',
    short: 'Memory differs from what the driver and the device put there.',
    help: 'A byte the driver wrote, or a DMA transfer moved, reads back differently from the oracle model.',
  },
  'recorded-mismatch': {
    name: 'RecordedMismatch',
    short: "A value recorded in a captured trace differs from the oracle's.",
    help: 'The captured system returned something the oracle does not allow; either the capture shows a bug of the captured implementation or the trace was edited.',
  },
  'target-crashed': {
    name: 'TargetCrashed',
    short: 'The target threw, exited, or answered garbage.',
    help: 'The implementation under test failed on this call. Replay the repro with the command given to see its output.',
  },
  'target-timeout': {
    name: 'TargetTimeout',
    short: 'The target did not answer within --timeout.',
    help: 'The implementation under test hung on this call (or took longer than --timeout).',
  },
};

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string };
  readonly defaultConfiguration: { readonly level: 'error' };
  /**
   * `specRule`: the spec's rule every result of the kind cites ("spec §4 invariant 5"); absent
   * where each result cites its own call's section (its `rule` property) or nothing.
   */
  readonly properties?: { readonly specRule: string };
}

/** The help's last sentence: which rule of docs/spec/videoport-dma.md the kind holds. */
export function citationText(c: KindCitation): string {
  switch (c.cites) {
    case 'fixed':
      return `Rule: ${c.rule} (docs/spec/videoport-dma.md).`;
    case 'call':
      return "Rule: the section of the call's entry in docs/spec/videoport-dma.md (spec §1 A to H, [R] where the ReactOS profile answers by the spec's ReactOS lines), in each result's `rule` property; `stricter` links docs/spec-gaps.md where the check is stricter than the documentation.";
    case 'none':
      return `Rule: none (${c.why}).`;
  }
}

function rule(id: string, t: RuleText, c?: KindCitation): SarifRule {
  const help = c === undefined ? t.help : `${t.help} ${citationText(c)}`;
  return {
    id,
    name: t.name,
    shortDescription: { text: t.short },
    fullDescription: { text: help },
    help: { text: help },
    defaultConfiguration: { level: 'error' },
    ...(c?.cites === 'fixed' ? { properties: { specRule: c.rule } } : {}),
  };
}

const KNOWN = new Set<string>(VIOLATION_KINDS);

/** Every known kind in table order, then any unknown kinds in `seen`, sorted. */
export function sarifRules(seen: Iterable<string>): SarifRule[] {
  const extra = [...new Set(seen)].filter((k) => !KNOWN.has(k)).sort();
  return [
    ...VIOLATION_KINDS.map((k) => rule(k, TEXT[k], KIND_CITATIONS[k])),
    ...extra.map((k) =>
      rule(k, { name: k, short: `Violation kind ${k}.`, help: `Violation kind ${k}.` }),
    ),
  ];
}

import { describe, expect, it } from 'vitest';
import type { ViolationKind } from '../replay/violation.js';
import { likelyOneBug, likelyOneBugLines, stateChange, type Groupable } from './likelyOneBug.js';

const ADAPTER = (used: number, handle = '0xffffe00010000000'): string =>
  `{handle=${handle}, mapRegisters=64, mapRegistersUsed=${used}}`;

/** A finding as report.json has it, its first violation at the call a state change. */
function finding(
  fn: string,
  tail: string,
  kind: ViolationKind = 'transfer-state-changed',
  key = 'adapters',
): Groupable {
  const message = `VideoPort${fn} changed the target's live ${key}${tail}`;
  return {
    kind,
    fn: `VideoPort${fn}`,
    signature: `${kind}/${fn}/b8a02000`,
    message,
    violationsAtCall: [{ kind, field: `state.${key}`, message }],
  };
}

const dropped = (fn: string, from = 1, handle?: string): Groupable =>
  finding(fn, `: ${ADAPTER(from, handle)} became ${ADAPTER(0, handle)}`);

describe('stateChange', () => {
  it('names the members that changed, not their values', () => {
    expect(stateChange(dropped('MapDmaMemory'))).toEqual({
      field: 'state.adapters',
      change: 'mapRegistersUsed',
    });
    expect(stateChange(dropped('DoDma', 3, '0xffffe00010001000'))?.change).toBe('mapRegistersUsed');
  });

  it('reads a map entry under its key, more changes, whole entries and plain values', () => {
    const mapped = finding(
      'GetDmaContext',
      ': 0x10: {state=1, bytes=[1, 2]} became 0x10: {state=2, bytes=[1, 2, 3]} (and 2 more changes)',
    );
    expect(stateChange(mapped)?.change).toBe('state, bytes');
    expect(stateChange(finding('DoDma', ': removed {handle=0x1}'))?.change).toBe('removed');
    expect(stateChange(finding('DoDma', ': added {handle=0x1}'))?.change).toBe('added');
    expect(stateChange(finding('DoDma', ': 3 became 4', 'object-state-changed', 'n'))).toEqual({
      field: 'state.n',
      change: 'value',
    });
  });

  it('is not fooled by quoted text, and gives up on what it cannot read', () => {
    const quoted = finding(
      'DoDma',
      ': {note="a, b became c", x=1} became {note="a, b became c", x=2}',
    );
    expect(stateChange(quoted)?.change).toBe('x');
    // An entry cut at 200 characters, a message of another shape, a field not about state.
    expect(stateChange(finding('DoDma', ': {a=1, b=2, c=3...} became {a=1...'))).toBeUndefined();
    expect(stateChange(finding('DoDma', ''))).toBeUndefined();
    const ret = {
      ...dropped('DoDma'),
      violationsAtCall: [{ kind: 'transfer-state-changed' as const, field: 'ret', message: 'x' }],
    };
    expect(stateChange(ret)).toBeUndefined();
  });
});

describe('likelyOneBug', () => {
  it('groups two or more findings of a kind by field and change, in report order', () => {
    const findings = [
      dropped('MapDmaMemory'),
      finding('FreeCommonBuffer', ': removed {handle=0x1}'),
      dropped('AssociateEventsWithDmaHandle', 2),
      finding('DoDma', `: ${ADAPTER(1)} became ${ADAPTER(1).replace('64', '63')}`),
      { ...dropped('GetDmaContext'), kind: 'object-state-changed' as const },
      dropped('GetDmaContext'),
    ];
    const groups = likelyOneBug(findings);
    expect(groups).toEqual([
      {
        findings: 3,
        kind: 'transfer-state-changed',
        field: 'state.adapters',
        change: 'mapRegistersUsed',
        signatures: [
          'transfer-state-changed/MapDmaMemory/b8a02000',
          'transfer-state-changed/AssociateEventsWithDmaHandle/b8a02000',
          'transfer-state-changed/GetDmaContext/b8a02000',
        ],
      },
    ]);
    expect(likelyOneBugLines(groups)).toEqual([
      '3 findings, likely one bug: transfer-state-changed, state.adapters: mapRegistersUsed changed (in MapDmaMemory, AssociateEventsWithDmaHandle, GetDmaContext)',
    ]);
    expect(likelyOneBug([...findings].reverse())[0]?.signatures[0]).toBe(
      'transfer-state-changed/GetDmaContext/b8a02000',
    );
  });
});

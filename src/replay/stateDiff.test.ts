// A state change names the entry that changed, not only the key it is under.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Recorder } from '../model/recorder.js';
import { deviceBaseArgs } from '../model/testDevice.js';
import { emptyHeader } from '../trace/trace.js';
import { canonical } from './canonical.js';
import { createMutantTarget, MUTANTS } from './mutants.js';
import { replayTrace } from './replayTrace.js';
import {
  entryCharsMax,
  STATE_KEY_KINDS,
  stateChangeText,
  stateDiff,
  stateKind,
} from './stateDiff.js';

const diff = (before: unknown, after: unknown) => {
  const d = stateDiff(canonical(before), canonical(after));
  return { key: d.key, ...d.entry };
};

describe('stateDiff', () => {
  const view = (va: bigint, refcount = 1) => ({
    va,
    length: 4096,
    bus: 0xe0000000,
    space: 'memory',
    process: 0n,
    refcount,
  });
  const text = (va: string, refcount = 1) =>
    `{bus=0xe0000000, length=4096, process=0x0, refcount=${refcount}, space=memory, va=${va}}`;

  it('a list entry removed, added, or changed in place (paired by the fields it kept)', () => {
    const a = view(0x50000000000n);
    const b = view(0x50000100000n);
    expect(diff({ views: [a, b] }, { views: [b] })).toEqual({
      key: 'views',
      before: text('0x50000000000'),
      after: '(none)',
      change: 'removed',
      more: 0,
    });
    expect(diff({ views: [a] }, { views: [a, b] })).toMatchObject({
      before: '(none)',
      after: text('0x50000100000'),
      change: 'added',
    });
    expect(diff({ views: [a, b] }, { views: [view(0x50000000000n, 0), b] })).toMatchObject({
      before: text('0x50000000000', 1),
      after: text('0x50000000000', 0),
      change: 'changed',
      more: 0,
    });
    expect(diff({ views: [a, b] }, { views: [] })).toMatchObject({ change: 'removed', more: 1 });
  });

  it('the first key that differs, in sorted order; a map entry by its key; a scalar as it is', () => {
    const before = { views: [], adapters: [{ handle: 1n, mapRegistersUsed: 4 }] };
    const after = { views: [view(1n)], adapters: [{ handle: 1n, mapRegistersUsed: 0 }] };
    expect(diff(before, after)).toMatchObject({
      key: 'adapters',
      before: '{handle=0x1, mapRegistersUsed=4}',
      after: '{handle=0x1, mapRegistersUsed=0}',
    });
    expect(diff({ byVa: { '0x10': 1, '0x20': 2 } }, { byVa: { '0x10': 1 } })).toMatchObject({
      key: 'byVa',
      before: '0x20: 2',
      after: '(none)',
      change: 'removed',
    });
    expect(diff({ count: 3 }, { count: 2 })).toMatchObject({ before: '3', after: '2' });
    expect(diff([1], [2])).toMatchObject({ key: 'state', before: '1', after: '2' });
  });

  it('cuts a long entry', () => {
    const big = { blob: 'x'.repeat(1000) };
    const d = diff({ blocks: [big] }, { blocks: [] });
    expect(d.before?.length).toBe(entryCharsMax);
    expect(d.before?.endsWith('...')).toBe(true);
  });
});

describe('a violation of the target state', () => {
  const mutant = (name: string) => {
    const m = MUTANTS.find((x) => x.name === name);
    if (m === undefined) throw new Error(`no mutant ${name}`);
    return createMutantTarget(m, {
      device: resolveDevice({}),
      profile: 'docs',
      layout: 'alternate',
    });
  };

  it('view-torn-down names the view, as the target has it', async () => {
    const r = new Recorder({}, false);
    const va = r.ptr('VideoPortGetDeviceBase', deviceBaseArgs(0x10000));
    r.call('VideoPortUnmapDmaMemory', {
      virtualAddress: va,
      processHandle: 0n,
      boardMemoryHandle: 0n,
    });
    const res = await replayTrace(emptyHeader(), r.calls, mutant('unmapdma-tears-down-view'));
    const v = res.violations[0];
    expect(v?.kind).toBe('view-torn-down');
    expect(v?.field).toBe('state.views');
    expect(v?.actual).toBe('(none)');
    expect(v?.expected).toMatch(/^\{bus=0xe0000000, length=0x10000, .*va=0x[0-9a-f]+\}$/);
    // The target's address of the view, not the trace's.
    expect(v?.expected).not.toContain(`va=0x${va.toString(16)}`);
    expect(v?.message).toBe(
      `VideoPortUnmapDmaMemory changed the target's live views: removed ${v?.expected ?? ''}`,
    );
  });

  it('object-state-changed names the entry before and after', async () => {
    const r = new Recorder({}, false);
    r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n });
    r.call('VideoPortDoDma', { pDma: 0n, dmaFlags: 1 });
    const res = await replayTrace(emptyHeader(), r.calls, mutant('dodma-signals-event'));
    const v = res.violations.find((x) => x.kind === 'object-state-changed');
    expect(v?.expected).toMatch(/^\{handle=0x[0-9a-f]+, signaled=false\}$/);
    expect(v?.actual).toBe(v?.expected?.replace('false', 'true'));
    expect(v?.message).toBe(
      `VideoPortDoDma changed the target's live events: ${v?.expected ?? ''} became ${v?.actual ?? ''}`,
    );
  });
});

describe('stateChangeText', () => {
  it('names only the key when a state cannot be read back', () => {
    const d = stateDiff('{', '}');
    expect(d).toEqual({ key: 'state' });
    expect(stateChangeText(d)).toEqual({ tail: '' });
  });
});

describe('the state keys that decide a kind, as docs/target-protocol.md lists them', () => {
  const doc = readFileSync(new URL('../../docs/target-protocol.md', import.meta.url), 'utf8');
  const start = doc.indexOf('### The keys of `state`');
  // Up to the next heading: the section after it (the shape of `state`) has tables of its own.
  const section = doc.slice(start, doc.indexOf('\n#', start + 1));
  const rows = [...section.matchAll(/^\| `(\w+)` \| (.*) \|$/gm)].map((m) => ({
    key: m[1] ?? '',
    text: m[2] ?? '',
  }));

  it('lists exactly the keys that decide one, each with its kind and function', () => {
    expect(rows.map((r) => r.key).sort()).toEqual(STATE_KEY_KINDS.map((r) => r.key).sort());
    for (const row of rows) {
      const rule = STATE_KEY_KINDS.find((r) => r.key === row.key);
      expect(row.text.startsWith(`\`${rule?.kind ?? ''}\``), row.key).toBe(true);
      if (rule?.fn !== undefined) expect(row.text).toContain(`during \`${rule.fn}\``);
    }
  });

  it('decides as documented: another name, or another function, is object-state-changed', () => {
    expect(stateKind('VideoPortUnmapDmaMemory', 'views')).toBe('view-torn-down');
    expect(stateKind('VideoPortUnmapDmaMemory', 'mappings')).toBe('object-state-changed');
    expect(stateKind('VideoPortMapDmaMemory', 'views')).toBe('object-state-changed');
    expect(stateKind('VideoPortDoDma', 'adapters')).toBe('transfer-state-changed');
    expect(stateKind('VideoPortDoDma', 'transfers')).toBe('transfer-state-changed');
    expect(stateKind('VideoPortDoDma', 'state')).toBe('object-state-changed');
  });
});

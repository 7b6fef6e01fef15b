// A violation's rule source: the call table's spec section, [R] under the ReactOS profile, and
// the spec-gaps.md link of a check stricter than the documentation; never in the message or the
// signature.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorOf, anchors } from '../../test/support/mdAnchors.js';
import { signatureOfViolation, violationAtCall } from '../fuzz/findings.js';
import { alsoAtCallLines } from '../fuzz/fuzzSummary.js';
import { describe as describeCall } from '../model/calls.js';
import { resolveDevice, type Profile } from '../model/device.js';
import { parseJsonl } from '../trace/jsonl.js';
import { parseText } from '../trace/textParse.js';
import { Explainer } from './explain.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import {
  cited,
  INERTNESS_RULE,
  KIND_CITATIONS,
  ruleSource,
  ruleText,
  specCitation,
  STRICTER_CHECKS,
} from './ruleSource.js';
import { violation, VIOLATION_KINDS } from './violation.js';
import type { Target } from './target.js';

const root = resolve(import.meta.dirname, '../..');
const SPEC_GAPS = resolve(root, 'docs/spec-gaps.md');

/** The probe's repro (fuzz seed 20261128, case 63): a 1-byte GetCommonBuffer. */
const REPRO = (profile: string): string =>
  [
    `#! vpdma-trace v1 profile=${profile}`,
    'VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=false, dma32BitAddresses=false, dma64BitAddresses=false, maximumLength=0})',
    'VideoPortGetCommonBuffer(hwDeviceExtension=0xffffe00000001000, desiredLength=1, alignment=0, cacheEnabled=false)',
    '',
  ].join('\n');

/** The model with *pActualLength rounded up to a page: the probe's planted bug B. */
function roundsUp(profile: Profile): Target {
  const model = createModelTargetSync({ device: resolveDevice({}), profile });
  return {
    ...model,
    call(call) {
      const o = model.call(call);
      if (o instanceof Promise || call.fn !== 'VideoPortGetCommonBuffer' || o.out === undefined)
        return o;
      return { ...o, out: { ...o.out, pActualLength: 4096 } };
    },
  };
}

async function replayRepro(profile: Profile) {
  const t = parseText(REPRO(profile));
  if (!t.ok) throw new Error(t.error.message);
  const out: string[] = [];
  const ex = new Explainer(
    'repro.txt',
    () => undefined,
    (s) => void out.push(s),
  );
  const r = await replayTrace(t.value.header, t.value.calls, roundsUp(profile), ex.hooks());
  ex.end(r);
  return { violations: r.violations, explained: out.join('') };
}

describe('STRICTER_CHECKS and docs/spec-gaps.md', () => {
  const text = readFileSync(SPEC_GAPS, 'utf8');
  const section = text.split('## Stricter than the documentation, not yet relaxed\n')[1] ?? '';
  const headings = [...section.split('\n## ')[0]!.matchAll(/^### (.+)$/gm)].map((m) => m[1]);

  it('each entry is a heading of spec-gaps.md, under "Stricter than the documentation"', () => {
    const all = anchors(SPEC_GAPS);
    expect(all.has('stricter-than-the-documentation-not-yet-relaxed')).toBe(true);
    for (const c of STRICTER_CHECKS) expect(all, c.anchor).toContain(c.anchor);
  });

  it('the section has one heading per entry, in the same order: neither lists one alone', () => {
    expect(headings.length).toBeGreaterThan(0);
    expect(headings.map((h) => anchorOf(h ?? ''))).toEqual(STRICTER_CHECKS.map((c) => c.anchor));
  });

  it('each entry that a violation can show names a call of the table', () => {
    for (const c of STRICTER_CHECKS)
      if (c.shows !== undefined) expect(describeCall(c.shows.fn), c.shows.fn).toBeDefined();
  });
});

describe('specCitation: the call table section, [R] where the ReactOS profile has a line', () => {
  it('cites the section the table gives, and [R] only under reactos for a call with a note', () => {
    expect(specCitation('VideoPortGetCommonBuffer', 'docs')).toBe('spec §1 B');
    expect(specCitation('VideoPortGetCommonBuffer', 'reactos')).toBe('spec §1 B [R]');
    expect(specCitation('VideoPortStartDma', 'docs')).toBe('spec §1 D');
    // No ReactOS note in the table: no [R] either.
    expect(describeCall('VideoPortFreePool')?.reactos).toBeUndefined();
    expect(specCitation('VideoPortFreePool', 'reactos')).toBe('spec §1 G');
    expect(specCitation('@read', 'docs')).toBeUndefined();
  });

  it('cites by KIND_CITATIONS: the call, the invariant, or nothing', () => {
    const fn = 'VideoPortGetCommonBuffer';
    expect(ruleSource('target-crashed', fn, undefined, 'docs')).toEqual({});
    expect(ruleSource('target-timeout', fn, undefined, 'reactos')).toEqual({});
    // The obsolete calls' checks hold §4 invariant 5 under either profile, without [R].
    for (const kind of VIOLATION_KINDS.slice(0, 8).filter((k) => k !== 'inert-return-mismatch'))
      expect(ruleSource(kind, 'VideoPortMapDmaMemory', 'out.length', 'reactos'), kind).toEqual({
        rule: INERTNESS_RULE,
      });
    // An obsolete call's constant is its row of §1 E, [R] where ReactOS differs (GetMdl).
    expect(ruleSource('inert-return-mismatch', 'VideoPortGetMdl', 'ret', 'reactos')).toEqual({
      rule: 'spec §1 E [R]',
    });
    expect(ruleSource('inert-return-mismatch', 'VideoPortDoDma', 'ret', 'docs')).toEqual({
      rule: 'spec §1 E',
    });
    expect(ruleSource('return-mismatch', fn, 'ret', 'docs')).toEqual({ rule: 'spec §1 B' });
    expect(ruleSource('recorded-mismatch', fn, 'out.pActualLength', 'reactos')).toEqual({
      rule: 'spec §1 B [R]',
    });
    expect(ruleText({})).toBeUndefined();
  });

  it("a memory-mismatch cites the call that wrote it, not one it showed at later or an event's", () => {
    const at = '0xffffa00000000000';
    expect(ruleSource('memory-mismatch', 'VideoPortLockPages', at, 'docs')).toEqual({
      rule: 'spec §1 C',
    });
    expect(ruleSource('memory-mismatch', 'VideoPortLockPages', at, 'docs', true)).toEqual({});
    expect(ruleSource('memory-mismatch', '@read', 'ret', 'docs')).toEqual({});
    expect(ruleSource('memory-mismatch', '@deviceDma', at, 'docs')).toEqual({});
  });

  it('cited adds them to a violation, and leaves one citing nothing as it was', () => {
    const v = violation('map-dma-returned-non-null', 'VideoPortMapDmaMemory', 3, 'm', {
      field: 'ret',
    });
    expect(cited(v, 'docs')).toEqual({ ...v, rule: INERTNESS_RULE });
    const crash = violation('target-crashed', 'VideoPortDoDma', 3, 'exited');
    expect(cited(crash, 'docs')).toBe(crash);
  });

  it("each kind's citation is in the table, and the invariant is the spec's fifth", () => {
    expect(Object.keys(KIND_CITATIONS).sort()).toEqual([...VIOLATION_KINDS].sort());
    const spec = readFileSync(resolve(root, 'docs/spec/videoport-dma.md'), 'utf8');
    const invariants = spec.split('Invariants implied by the docs')[1] ?? '';
    expect(INERTNESS_RULE).toBe('spec §4 invariant 5');
    expect(spec).toMatch(/^## 4\. State a faithful model must track$/m);
    expect(invariants).toMatch(
      /^5\. \*\*VideoPortMapDmaMemory \(and UnmapDmaMemory\)\*\*: returns NULL/m,
    );
    for (const c of Object.values(KIND_CITATIONS))
      if (c.cites === 'none') expect(c.why.length).toBeGreaterThan(10);
  });
});

describe("docs/checks.md's table of what each kind cites", () => {
  it('lists every kind once, in a row saying what KIND_CITATIONS says', () => {
    const text = readFileSync(resolve(root, 'docs/checks.md'), 'utf8');
    const table = text.split('What each kind cites')[1]?.split('\n\n')[1] ?? '';
    const rows = table.split('\n').slice(2);
    const seen: string[] = [];
    for (const row of rows) {
      const [kinds = '', cites = ''] = row.split(' | ');
      for (const [, kind] of kinds.matchAll(/`([a-z-]+)`/g)) {
        const c = KIND_CITATIONS[kind as keyof typeof KIND_CITATIONS];
        expect(c, kind).toBeDefined();
        const says =
          c?.cites === 'fixed'
            ? `\`${c.rule}\``
            : c?.cites === 'call'
              ? "the call's section"
              : 'nothing';
        expect(cites.startsWith(says), `${kind}: ${cites}`).toBe(true);
        seen.push(kind ?? '');
      }
    }
    expect(seen.sort()).toEqual([...VIOLATION_KINDS].sort());
  });
});

describe('a violation carries its rule source, outside its message and signature', () => {
  it('docs profile: *pActualLength rounded up is flagged stricter than the documentation', async () => {
    const { violations, explained } = await replayRepro('docs');
    const v = violations[0];
    expect(v?.message).toBe(
      'VideoPortGetCommonBuffer out.pActualLength: expected 1 (docs oracle), got 4096',
    );
    const link = 'docs/spec-gaps.md#getcommonbuffers-pactuallength-compared-exactly';
    expect(v).toMatchObject({ kind: 'out-param-mismatch', rule: 'spec §1 B', stricter: link });
    // The probe's signature, from a build before rules were cited.
    expect(signatureOfViolation(v!)).toBe('out-param-mismatch/GetCommonBuffer/b16daefe');
    expect(violationAtCall(v!)).toMatchObject({ rule: 'spec §1 B', stricter: link });
    const line = `    (rule: spec §1 B; stricter than the documentation: see ${link})`;
    expect(explained).toContain(`${line}\n`);
    // fuzz's and nightly's summaries: the line under the finding's message.
    expect(
      alsoAtCallLines({ callIndex: 1, violationsAtCall: [violationAtCall(v!)] }, '    '),
    ).toEqual([line]);
  });

  it('reactos profile: the spec states DesiredLength, so [R] and not stricter', async () => {
    const { violations, explained } = await replayRepro('reactos');
    const v = violations[0];
    expect(v).toMatchObject({ kind: 'out-param-mismatch', rule: 'spec §1 B [R]' });
    expect(v?.stricter).toBeUndefined();
    expect(signatureOfViolation(v!)).toBe('out-param-mismatch/GetCommonBuffer/b16daefe');
    expect(explained).toContain('    (rule: spec §1 B [R])\n');
  });

  it('bundled captures keep the signatures and messages a build before this gave', async () => {
    // From `vpdma replay corpus: --target model:reactos --profile reactos` at cd0d36b, before
    // rules were cited (and before --profile stopped recorded comparisons).
    const before: Record<string, [string, string][]> = {
      'divergence-get-common-buffer-cap.jsonl': [
        [
          'recorded-mismatch/GetCommonBuffer/f586ddc4',
          'the trace recorded ret = a new commonBuffer (0xffffa00000000000); the reactos oracle says NULL',
        ],
        [
          'recorded-mismatch/GetCommonBuffer/a258a7ec',
          'the trace recorded out.logicalAddress = a new logical (0x100000); the reactos oracle says unwritten (0xcccccccccccccccc)',
        ],
        [
          'recorded-mismatch/GetCommonBuffer/b16daefe',
          'the trace recorded out.pActualLength = 524288; the reactos oracle says unwritten (0xcccccccc)',
        ],
      ],
      'packet-dma-map-register-split.jsonl': [
        [
          'recorded-mismatch/StartDma/f586ddc4',
          'the trace recorded ret = 0; the reactos oracle says 8',
        ],
        [
          'recorded-mismatch/StartDma/a63cbecb',
          'the trace recorded out.pLength = 16128; the reactos oracle says 0',
        ],
      ],
    };
    for (const [name, want] of Object.entries(before)) {
      const t = parseJsonl(readFileSync(resolve(root, 'corpus', name), 'utf8'));
      if (!t.ok) throw new Error(t.error.message);
      const device = resolveDevice(t.value.header.device);
      const target = createModelTargetSync({ device, profile: 'reactos' });
      // The header's profile, not an override: recorded values are not compared under a
      // --profile other than the header's.
      const header = { ...t.value.header, profile: 'reactos' as const };
      const r = await replayTrace(header, t.value.calls, target);
      expect(
        r.violations.map((v) => [signatureOfViolation(v), v.message]),
        name,
      ).toEqual(want);
      // And each cites its call's section, with [R]: the reactos oracle answered.
      for (const v of r.violations) expect(v.rule, v.fn).toMatch(/^spec §1 [A-H] \[R\]$/);
    }
  });
});

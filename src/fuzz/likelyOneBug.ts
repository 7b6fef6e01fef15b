// Findings that are likely one bug. Dedup stays by kind, function and signature (a bug that
// shows in several functions is a finding per function, docs/fuzzing.md "Findings"), but the
// summary groups findings whose lead violation is of the same kind and changed the same
// members of the same part of the target's state: a dropped map-register count shows in
// whichever obsolete call comes next, always as `mapRegistersUsed` changing under
// `state.adapters`. Only state changes are grouped: their field names one target-wide object,
// where an out-parameter, a return value or a memory address belongs to one call or one repro.
import type { ViolationKind } from '../replay/violation.js';
import type { ReportFinding } from './fuzzReport.js';

export interface LikelyOneBug<K extends string = ViolationKind> {
  /** Findings in the group (two or more). */
  readonly findings: number;
  readonly kind: K;
  /** The part of the target's state that changed: "state.adapters". */
  readonly field: string;
  /** The entry's members whose values changed, or "added", "removed", "value". */
  readonly change: string;
  /** The findings' signatures, in the report's order. */
  readonly signatures: readonly string[];
}

// `kind` a string too: a nightly report's findings, read back by merge, have it so.
export type Groupable<K extends string = ViolationKind> = Pick<
  ReportFinding,
  'fn' | 'signature' | 'message'
> & { readonly kind: K } & Pick<Partial<ReportFinding>, 'violationsAtCall'>;

/**
 * Scans one value as stateDiff.ts renders it ({k=v, ...}, [a, b], "quoted", plain) from `at`
 * to the first `stop` outside brackets and quotes: its end, or -1 if it never closes (an
 * entry cut at entryCharsMax).
 */
function scan(text: string, at: number, stop: string): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (depth === 0 && text.startsWith(stop, i)) return i;
  }
  return depth === 0 ? text.length : -1;
}

/** A rendered record's members (name → value text), or undefined if it is no whole record. */
function members(entry: string): Map<string, string> | undefined {
  // A map's entry is shown under its key: "KEY: {...}".
  const brace = entry.indexOf('{');
  if (brace < 0 || !entry.endsWith('}') || scan(entry, brace, '\0') !== entry.length)
    return undefined;
  const out = new Map<string, string>();
  const body = entry.slice(brace + 1, -1);
  for (let at = 0; at < body.length;) {
    const end = scan(body, at, ', ');
    if (end < 0) return undefined;
    const item = body.slice(at, end);
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(item.slice(0, eq), item.slice(eq + 1));
    at = end + 2;
  }
  return out;
}

/** How the state entry changed, from the message inertCheck.ts writes; undefined if unclear. */
export function stateChange(f: Groupable<string>): { field: string; change: string } | undefined {
  const lead = f.violationsAtCall?.[0] ?? { kind: f.kind, message: f.message };
  const field = 'field' in lead ? lead.field : undefined;
  if (lead.kind !== f.kind || field === undefined || !field.startsWith('state.')) return undefined;
  const head = `${f.fn} changed the target's live ${field.slice('state.'.length)}: `;
  if (!lead.message.startsWith(head)) return undefined;
  const tail = lead.message.slice(head.length);
  if (tail.startsWith('removed ')) return { field, change: 'removed' };
  if (tail.startsWith('added ')) return { field, change: 'added' };
  const split = scan(tail, 0, ' became ');
  if (split < 0 || split === tail.length) return undefined;
  const afterAt = split + ' became '.length;
  const afterEnd = scan(tail, afterAt, ' (and ');
  if (afterEnd < 0) return undefined;
  const texts = [tail.slice(0, split), tail.slice(afterAt, afterEnd)];
  const [before, after] = texts.map(members);
  if (before === undefined || after === undefined)
    // Plain values are one value changing; a record cut short (or a list) is unclear.
    return texts.some((t) => /[{[]/.test(t)) ? undefined : { field, change: 'value' };
  const names = [...new Set([...before.keys(), ...after.keys()])].filter(
    (k) => before.get(k) !== after.get(k),
  );
  return names.length === 0 ? undefined : { field, change: names.join(', ') };
}

/** Groups of two or more findings likely to be one bug, in the order of their first finding. */
export function likelyOneBug<K extends string>(
  findings: readonly Groupable<K>[],
): LikelyOneBug<K>[] {
  const groups = new Map<
    string,
    { kind: K; field: string; change: string; signatures: string[] }
  >();
  for (const f of findings) {
    const c = stateChange(f);
    if (c === undefined) continue;
    const key = `${f.kind}\n${c.field}\n${c.change}`;
    const g = groups.get(key) ?? { kind: f.kind, ...c, signatures: [] };
    g.signatures.push(f.signature);
    groups.set(key, g);
  }
  return [...groups.values()]
    .filter((g) => g.signatures.length > 1)
    .map((g) => ({ findings: g.signatures.length, ...g }));
}

/** The summary's lines for them: "3 findings, likely one bug: ...". */
export function likelyOneBugLines(groups: readonly LikelyOneBug<string>[]): string[] {
  return groups.map((g) => {
    const fns = g.signatures.map((s) => s.split('/')[1] ?? s).join(', ');
    const what =
      g.change === 'added' || g.change === 'removed'
        ? `an entry ${g.change}`
        : g.change === 'value'
          ? 'changed'
          : `${g.change} changed`;
    return `${g.findings} findings, likely one bug: ${g.kind}, ${g.field}: ${what} (in ${fns})`;
  });
}

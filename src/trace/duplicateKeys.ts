// JSON.parse keeps the last of two equal keys without a word, so `{"ret":"0x0","ret":"0x1"}`
// would reach the checks as one value the capture never had alone. A JSONL line whose parse
// holds fewer keys than the text has colons is scanned here for the repeated key.

import { indexName, joinPath } from './fieldPath.js';

/** Reused by keysIn: its work list (a JSON value may nest deeper than the call stack). */
const pending: unknown[] = [];

/** Keys in a parsed JSON value, nested ones included ("__proto__", an own key, too). */
function keysIn(v: unknown): number {
  let n = 0;
  pending.push(v);
  while (pending.length > 0) {
    const x = pending.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (Array.isArray(x)) {
      for (const el of x) pending.push(el);
      continue;
    }
    const o = x as Record<string, unknown>;
    for (const k in o) {
      n++;
      pending.push(o[k]);
    }
  }
  return n;
}

function colonsIn(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) n++;
  return n;
}

/** The end (exclusive) of the JSON string starting at text[start] === '"'. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return text.length;
}

/**
 * The dotted path of the first key an object in this valid JSON text repeats, if any. Cheap
 * when there is none: every colon outside a string separates a key, so a text with no more
 * colons than its parse has keys repeats none, and only the rest are scanned.
 */
export function repeatedKey(text: string, parsed: unknown): string | undefined {
  if (colonsIn(text) <= keysIn(parsed)) return undefined;
  // Each open object or array: its keys so far (undefined for an array), its name under its
  // parent (a key, or an index; built into a path only for the answer, since paths built
  // level by level would cost the square of the depth), and for an array the element index.
  const stack: { keys: Set<string> | undefined; name: string; index: number }[] = [];
  let lastString = '';
  let pendingKey = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      lastString = JSON.parse(text.slice(i, end)) as string;
      i = end;
      continue;
    }
    const top = stack.at(-1);
    if (c === ':' && top?.keys !== undefined) {
      if (top.keys.has(lastString)) {
        return joinPath([...stack.slice(1).map((e) => e.name), lastString]);
      }
      top.keys.add(lastString);
      pendingKey = lastString;
    } else if (c === ',' && top !== undefined && top.keys === undefined) {
      top.index++;
    } else if (c === '{' || c === '[') {
      const name =
        top === undefined ? '' : top.keys === undefined ? indexName(top.index) : pendingKey;
      stack.push({ keys: c === '{' ? new Set() : undefined, name, index: 0 });
    } else if (c === '}' || c === ']') stack.pop();
    i++;
  }
  return undefined;
}

// One call line of the text format → the JSONL-shaped object validateCall checks. Literals
// keep their JSONL spelling ("0x..." strings, numbers, hex byte strings); rN names become the
// bigint they stand for; `<rN=>0x...` and `rN = ` define names for later lines.
import { FORBIDDEN_KEYS } from './structs.js';
import type { Cursor } from './textCursor.js';
import { NAME } from './textCursor.js';
import { repeatedKey } from './duplicateKeys.js';
import { jsonSyntaxMessage } from '../core/jsonSyntax.js';

/** Deepest nesting the format needs is a list of structures; anything deeper is an error. */
const DEPTH_MAX = 3;

export interface ParsedCall {
  readonly raw: Record<string, unknown>;
  /** Names this line defines, with their values, to register once the call is valid. */
  readonly defs: readonly (readonly [string, bigint])[];
}

class LineState {
  readonly defs: [string, bigint][] = [];
  constructor(
    readonly c: Cursor,
    readonly names: ReadonlyMap<string, bigint>,
  ) {}

  define(name: string, value: bigint, at: number): void {
    if (this.names.has(name) || this.defs.some(([n]) => n === name)) {
      this.c.fail(`name ${name} is already defined`, at);
    }
    this.defs.push([name, value]);
  }
}

export function parseCallLine(c: Cursor, names: ReadonlyMap<string, bigint>): ParsedCall {
  const s = new LineState(c, names);
  c.skipWs();
  const start = c.pos;
  let first = c.fnName();
  let retName: string | undefined;
  if (first !== undefined && c.eat('=')) {
    if (!NAME.test(first)) c.fail(`expected a result name like r0, found '${first}'`, start);
    retName = first;
    first = c.fnName();
  }
  if (first === undefined) c.fail(`expected a function name${c.found()}`);
  const raw: Record<string, unknown> = { fn: first };
  c.expect('(');
  raw['args'] = parseFields(s, ')', 0);
  if (c.eat('->')) {
    c.skipWs();
    const at = c.pos;
    raw['ret'] = parseValue(s, 0);
    if (retName !== undefined) s.define(retName, literalPointer(s, raw['ret'], at), start);
  } else if (retName !== undefined) {
    c.fail(`${retName} names the result, but the call has no '-> value'`, start);
  }
  if (c.eat('out')) {
    c.expect('(');
    raw['out'] = parseFields(s, ')', 0);
  }
  if (c.eat('meta')) raw['meta'] = parseMeta(c);
  // No call token contains '#' (byte literals are hex digits only, meta's JSON ends at its
  // closing brace), so one here is unambiguously a trailing comment.
  if (!c.atEnd() && c.peek() !== '#') c.fail(`unexpected text${c.found()}`);
  return { raw, defs: s.defs };
}

/** `meta {JSON}`: the call's meta, one JSON object (checked later as JSONL's is). */
function parseMeta(c: Cursor): unknown {
  c.skipWs();
  const start = c.pos;
  if (c.text[start] !== '{') c.fail(`expected a JSON object after meta${c.found()}`);
  const end = jsonObjectEnd(c.text, start);
  if (end === undefined) c.fail("meta's JSON object has no closing '}'", start);
  const json = c.text.slice(start, end);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return c.fail(`meta: invalid JSON: ${jsonSyntaxMessage(e)}`, start);
  }
  const repeated = repeatedKey(json, raw);
  if (repeated !== undefined) c.fail(`meta.${repeated}: key appears twice in one object`, start);
  c.pos = end;
  return raw;
}

/** The end (exclusive) of the JSON object at text[start] === '{': braces outside strings. */
function jsonObjectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      // Past the string: a backslash escapes the character after it.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '{' || ch === '[') depth++;
    else if ((ch === '}' || ch === ']') && --depth === 0) return i + 1;
  }
  return undefined;
}

/** `name=value, ...` up to `close` (consumed). */
function parseFields(s: LineState, close: string, depth: number): Record<string, unknown> {
  const c: Cursor = s.c;
  const out: Record<string, unknown> = {};
  if (c.eat(close)) return out;
  for (;;) {
    c.skipWs();
    const at = c.pos;
    const key = c.ident();
    if (key === undefined) c.fail(`expected a name${c.found()}`);
    if (FORBIDDEN_KEYS.has(key)) c.fail(`forbidden key "${key}"`, at);
    if (Object.hasOwn(out, key)) c.fail(`duplicate "${key}"`, at);
    c.expect('=');
    out[key] = parseValue(s, depth);
    if (c.eat(close)) return out;
    c.expect(',');
  }
}

function parseValue(s: LineState, depth: number): unknown {
  const c: Cursor = s.c;
  if (depth > DEPTH_MAX) c.fail('values nested too deeply');
  c.skipWs();
  const at = c.pos;
  if (c.eat('{')) return parseFields(s, '}', depth + 1);
  if (c.eat('[')) return parseList(s, depth + 1);
  if (c.eat('<')) {
    const name = c.ident();
    if (name === undefined || !NAME.test(name)) c.fail('expected a name like r0 after <', at);
    c.expect('=>');
    const valueAt = c.pos;
    const v = parseValue(s, depth);
    s.define(name, literalPointer(s, v, valueAt), at);
    return v;
  }
  const bytes = c.bytes();
  if (bytes !== undefined) return bytes;
  const hex = c.hex();
  if (hex !== undefined) return hex;
  const dec = c.decimal();
  if (dec !== undefined) {
    const n = Number(dec);
    if (!Number.isSafeInteger(n)) c.fail(`integer ${dec} is outside the safe range`, at);
    return n;
  }
  const word = c.ident();
  if (word === 'true' || word === 'false') return word === 'true';
  if (word !== undefined && NAME.test(word)) return reference(s, word, at);
  return c.fail(`expected a value${word === undefined ? c.found() : `, found '${word}'`}`, at);
}

function parseList(s: LineState, depth: number): unknown[] {
  const c: Cursor = s.c;
  const out: unknown[] = [];
  if (c.eat(']')) return out;
  for (;;) {
    out.push(parseValue(s, depth));
    if (c.eat(']')) return out;
    c.expect(',');
  }
}

function reference(s: LineState, name: string, at: number): bigint {
  const base = s.names.get(name);
  if (base === undefined) s.c.fail(`undefined name ${name}`, at);
  if (!s.c.eat('+')) return base;
  const off = s.c.hex();
  if (off === undefined) s.c.fail(`expected a hex offset after ${name}+`);
  return base + BigInt(off);
}

/** A defined name must stand for a literal address ("0x..."). */
function literalPointer(s: LineState, v: unknown, at: number): bigint {
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(v)) return BigInt(v);
  return s.c.fail('a named value must be a hex literal of at most 64 bits', at);
}

// `replay --known FILE`: the signatures of violations set aside as known (a baseline). FILE is
// an earlier report.json (every `violations[].signature` of a replay, fuzz, nightly or merge
// report) or a text list, one signature a line with `#` comments, or the name of a list vpdma
// ships (known/NAME.txt). A file is untrusted input: read only if regular and not too large,
// and a problem is one line naming the file and its line, quoting nothing of it.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonErrorOffset, jsonSyntaxReason } from '../core/jsonSyntax.js';
import { oneLine } from '../core/oneLine.js';
import { err, ok, type Result } from '../core/result.js';
import { signatureOf } from '../fuzz/findings.js';
import type { KnownSignatures } from '../report/knownViolations.js';
import { REPORT_SCHEMA } from '../report/replayReport.js';
import { VIOLATION_KINDS, type ViolationKind } from '../replay/violation.js';
import { ioMessage, openRegular } from '../store/fileChunks.js';
import { UserError } from './context.js';

/** A known-violations file this large is neither a list nor a report anyone meant (64 MiB). */
export const knownBytesMax = 64 * 1024 * 1024;

/** The lists vpdma ships, by the name --known takes (known/NAME.txt in the package). */
export const BUNDLED_KNOWN = ['reactos-divergences'] as const;

const bundledDir = fileURLToPath(new URL('../../known/', import.meta.url));

/** Where a bundled list lives. */
export function bundledKnownPath(name: (typeof BUNDLED_KNOWN)[number]): string {
  return join(bundledDir, `${name}.txt`);
}

/** `kind/Function/hash`, as signatureOf writes it (the function without its VideoPort prefix). */
const SIGNATURE = /^([a-z-]+)\/([^\s/#]+)\/([0-9a-f]{8})$/;

const KINDS: ReadonlySet<string> = new Set(VIOLATION_KINDS);

/** Why `s` is not a signature, or undefined when it is one. */
function signatureProblem(s: string): string | undefined {
  const m = SIGNATURE.exec(s);
  if (m === null)
    return "not a signature (kind/Function/hash, as report.json's violations[].signature)";
  if (!KINDS.has(m[1] ?? ''))
    return 'not a signature: its kind is not a violation kind (docs/checks.md)';
  return undefined;
}

/** The 1-based line of a 0-based character offset into `text`. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/**
 * The signatures `text` holds, or why not (the place in it: `line 3: ...`, `violations[2]: ...`).
 * A text starting with `{` is read as a report.json, any other as a list.
 */
export function parseKnown(text: string): Result<string[], string> {
  const body = text.replace(/^\uFEFF/, '');
  return body.trimStart().startsWith('{') ? fromReport(body) : fromList(body);
}

function fromList(text: string): Result<string[], string> {
  const out: string[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const hash = raw.indexOf('#');
    const s = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (s === '') continue;
    const problem = signatureProblem(s);
    if (problem !== undefined) return err(`line ${i + 1}: ${problem}`);
    out.push(s);
  }
  return ok(out);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An own property only: a parsed `__proto__` key is data, never looked through. */
const own = (o: Record<string, unknown>, k: string): unknown =>
  Object.hasOwn(o, k) ? o[k] : undefined;

function fromReport(text: string): Result<string[], string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const at = jsonErrorOffset(e);
    return err(`${at === undefined ? '' : `line ${lineAt(text, at)}: `}${jsonSyntaxReason(e)}`);
  }
  if (!isRecord(parsed) || own(parsed, 'schema') !== REPORT_SCHEMA)
    return err(
      `not a vpdma report.json (no "schema": "${REPORT_SCHEMA}") nor a list of signatures`,
    );
  const violations = own(parsed, 'violations');
  if (!Array.isArray(violations)) return err('violations: not an array');
  const out: string[] = [];
  for (const [i, v] of violations.entries()) {
    const s = signatureIn(v);
    if (!s.ok) return err(`violations[${i}]${s.error}`);
    out.push(s.value);
  }
  return ok(out);
}

/** A report violation's signature; one written before reports had it is computed. */
function signatureIn(v: unknown): Result<string, string> {
  if (!isRecord(v)) return err(': not an object');
  const given = own(v, 'signature');
  if (typeof given === 'string') {
    const problem = signatureProblem(given);
    return problem === undefined ? ok(given) : err(`.signature: ${problem}`);
  }
  if (given !== undefined) return err('.signature: not a string');
  const [kind, fn, field] = [own(v, 'kind'), own(v, 'fn'), own(v, 'field')];
  if (typeof kind !== 'string' || !KINDS.has(kind) || typeof fn !== 'string')
    return err(': no signature, nor a kind and fn to compute it from');
  return ok(signatureOf(kind as ViolationKind, fn, typeof field === 'string' ? field : undefined));
}

/** The file's text, read whole if regular and at most knownBytesMax bytes. */
async function readBounded(path: string): Promise<string> {
  const fh = await openRegular(path);
  try {
    const size = (await fh.stat()).size;
    if (size > knownBytesMax)
      throw new Error(
        `${size} bytes, more than the ${knownBytesMax} a known-violations file may have`,
      );
    // Read no more than the bound even if the file grows after the stat.
    const buf = Buffer.alloc(Math.min(size, knownBytesMax) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got === buf.length) throw new Error(`grew past ${size} bytes while being read`);
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    await fh.close();
  }
}

const isBundledName = (a: string): a is (typeof BUNDLED_KNOWN)[number] =>
  (BUNDLED_KNOWN as readonly string[]).includes(a);

/**
 * The file an argument names: a bundled list's name its file (unless a file of that name is
 * here too: then neither, a usage error), any other argument itself.
 */
export async function knownPath(arg: string, cwd = '.'): Promise<string> {
  if (!isBundledName(arg)) return arg;
  const here = await stat(join(cwd, arg)).catch(() => undefined);
  if (here !== undefined)
    throw new UserError(
      `--known ${arg}: names a list vpdma ships, and there is also a file of that name here; write ./${arg} for that one`,
    );
  return bundledKnownPath(arg);
}

/** Every --known argument's signatures, together; a file that cannot be read is exit 2. */
export async function loadKnown(
  args: readonly string[] | undefined,
): Promise<KnownSignatures | undefined> {
  if (args === undefined || args.length === 0) return undefined;
  const signatures = new Set<string>();
  for (const arg of args) {
    const path = await knownPath(arg);
    const text = await readBounded(path).catch((e: unknown) => {
      throw new UserError(`--known ${oneLine(arg)}: ${ioMessage(e)}`);
    });
    const parsed = parseKnown(text);
    if (!parsed.ok) throw new UserError(`--known ${oneLine(arg)}: ${parsed.error}`);
    for (const s of parsed.value) signatures.add(s);
  }
  return { from: [...args], signatures };
}

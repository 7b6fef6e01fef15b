// What `vpdma nightly` does not minimize again: the findings an earlier night left in
// OUT/findings whose --history bucket is open and whose repro failed the way it did in this
// night's replay (phase 1). The fuzzer reports such a finding with the repro it has
// (fuzz/knownFindings.ts), so OUT/findings keeps the same repro night after night, and no
// minimizing time goes to a bug already known.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { replayCommand } from '../fuzz/outputs.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import type { HistoryFile } from './nightlyHistory.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The report entry finding.json holds for `signature`, if it is a minimized one vpdma wrote. */
function entryOf(
  json: unknown,
  signature: string,
): Omit<ReportFinding, 'trace' | 'files' | 'command'> | undefined {
  if (!isRecord(json) || json['signature'] !== signature || json['minimized'] !== true)
    return undefined;
  const strings = ['kind', 'fn', 'message', 'reproText', 'seed', 'reproduced'];
  const numbers = ['callIndex', 'reproCalls', 'originalCalls', 'caseIndex'];
  if (strings.some((k) => typeof json[k] !== 'string')) return undefined;
  if (numbers.some((k) => !Number.isSafeInteger(json[k]))) return undefined;
  if (!Array.isArray(json['cases']) || typeof json['exhausted'] !== 'boolean') return undefined;
  const f = json as unknown as ReportFinding;
  return {
    signature,
    kind: f.kind,
    fn: f.fn,
    callIndex: f.callIndex,
    message: f.message,
    ...(Array.isArray(f.violationsAtCall) ? { violationsAtCall: f.violationsAtCall } : {}),
    reproCalls: f.reproCalls,
    originalCalls: f.originalCalls,
    reproText: f.reproText,
    seed: f.seed,
    caseIndex: f.caseIndex,
    cases: f.cases,
    reproduced: f.reproduced,
    minimized: true,
    exhausted: f.exhausted,
  };
}

/**
 * By signature, the earlier findings not to minimize again: `stillFailing` (their repros failed
 * as they did tonight) whose bucket of `target` in the history is open, read from their
 * finding.json; one that cannot be read is minimized as any other. None without --history
 * (every finding is new) or for a shard (the merge chooses findings over all shards).
 */
export async function knownRepros(
  out: string,
  file: HistoryFile | undefined,
  target: string,
  stillFailing: ReadonlySet<string>,
  settings: Pick<FuzzSettings, 'target' | 'profile' | 'timeoutMs'>,
  sharded: boolean,
): Promise<Map<string, ReportFinding>> {
  const known = new Map<string, ReportFinding>();
  if (file === undefined || sharded) return known;
  for (const b of file.history.buckets) {
    const open = b.fixedSince === undefined && b.signatureScheme === undefined;
    if (b.target !== target || !open || !stillFailing.has(b.signature)) continue;
    const dir = join(out, 'findings', ...b.signature.split('/'));
    const json = await readFile(join(dir, 'finding.json'), 'utf8')
      .then((t) => JSON.parse(t) as unknown)
      .catch(() => undefined);
    const entry = entryOf(json, b.signature);
    if (entry === undefined) continue;
    const files = {
      jsonl: join(dir, 'repro.jsonl'),
      txt: join(dir, 'repro.txt'),
      vpt: join(dir, 'repro.vpt'),
    };
    known.set(b.signature, {
      ...entry,
      trace: files.jsonl,
      files,
      command: replayCommand(files.jsonl, settings),
    });
  }
  return known;
}

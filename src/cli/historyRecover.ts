// A damaged --history file (a hand edit gone wrong, a CI cache that restored half of it, a
// merge conflict committed into it): refused, as before, with what to do about it in the same
// line; or, with --history-recover, replaced by its previous version (FILE.prev,
// which every write keeps: src/cli/historyFile.ts), else by an empty history. Never
// silently: the run says so on stderr, in its summary and in report.json
// (`historyRecovered`), and the damaged bytes are kept beside it: the newest few copies
// (damagedCopiesMax), older ones deleted, and said.
import { stat } from 'node:fs/promises';
import { plural } from '../core/plural.js';
import { shellWord } from '../core/shellWord.js';
import { emptyHistory } from '../report/history.js';
import type { HistoryRecovered } from '../report/nightlySchema.js';
import { ioMessage } from '../store/fileChunks.js';
import {
  damagedCopiesMax,
  keepDamaged,
  prevPath,
  pruneDamaged,
  readHistory,
  type HistoryProblem,
  type HistoryRead,
} from './historyFile.js';
import { UserError } from './context.js';

export const RECOVER_FLAG = '--history-recover';

/** The option, for nightly and merge. */
export const HISTORY_RECOVER_OPTION = [
  RECOVER_FLAG,
  `if the --history file is damaged, start from FILE.prev (else from an empty history) instead of refusing, keeping the damaged file as FILE.damaged-<UTC time> (the newest ${damagedCopiesMax} such copies are kept, older ones deleted); said on stderr and in report.json (historyRecovered)`,
] as const;

/** What FILE.prev holds: a history, nothing (missing, empty), or damage. */
type Prev =
  | {
      readonly kind: 'good';
      readonly path: string;
      readonly read: HistoryRead;
      readonly written: string;
    }
  | { readonly kind: 'none'; readonly path: string; readonly why: string }
  | { readonly kind: 'bad'; readonly path: string; readonly why: string };

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

async function readPrev(path: string): Promise<Prev> {
  const prev = prevPath(path);
  const r = await readHistory(prev);
  if (!r.ok) return { kind: 'bad', path: prev, why: r.error.reason };
  const st = await stat(prev).catch(() => undefined);
  if (st === undefined) return { kind: 'none', path: prev, why: 'missing' };
  if (r.value.text.trim() === '') return { kind: 'none', path: prev, why: 'empty' };
  return { kind: 'good', path: prev, read: r.value, written: isoSeconds(st.mtime) };
}

const described = (p: Prev & { kind: 'good' }): string =>
  `${p.path} (written ${p.written}, ${plural(p.read.history.buckets.length, 'bucket')})`;

/**
 * The refusal of a damaged history, one line: what is wrong and where, then what to do: restore
 * FILE.prev by hand, or let --history-recover do it (or start empty when there is none).
 */
export async function damagedRefusal(
  path: string,
  problem: HistoryProblem,
  /** How the reader runs the recovery: nightly and merge are run again with the flag. */
  recoverBy = `run again with ${RECOVER_FLAG}`,
  flag = '--history: ',
): Promise<string> {
  const prev = await readPrev(path);
  const kept = `keeping the damaged file as ${path}.damaged-<UTC time>`;
  const advice =
    prev.kind === 'good'
      ? `the previous version is ${described(prev)}: restore it with \`cp ${shellWord(prev.path)} ${shellWord(path)}\`, or ${recoverBy} to start from it, ${kept}`
      : `${prev.kind === 'none' ? `there is no earlier version to restore (${prev.path}: ${prev.why})` : `its earlier version ${prev.path} is damaged too (${prev.why})`}: fix it, or ${recoverBy} to start an empty history, ${kept}`;
  return `${flag}${problem.message}; vpdma will not overwrite it: ${advice}`;
}

/** A recovery decided on (recoverFrom) whose damaged file is not yet kept aside. */
export type PlannedRecovery = Omit<HistoryRecovered, 'keptAs'>;

/**
 * --history-recover on a damaged history: the history to start from, FILE.prev when it reads,
 * else an empty one. The text read is '' (nothing good is replaced), so the write at the end
 * leaves FILE.prev as it is. Nothing is written yet: keepDamagedHistory does that once the run
 * is sure to go ahead.
 */
export async function recoverFrom(
  path: string,
  problem: HistoryProblem,
): Promise<{ readonly read: HistoryRead; readonly plan: PlannedRecovery }> {
  const prev = await readPrev(path);
  const damaged = { file: path, reason: problem.reason };
  if (prev.kind === 'good')
    return {
      read: { history: prev.read.history, text: '' },
      plan: { ...damaged, from: prev.path, prevWritten: prev.written },
    };
  return {
    read: { history: emptyHistory(), text: '' },
    plan: { ...damaged, from: 'empty', prevUnusable: `${prev.path}: ${prev.why}` },
  };
}

/** The damaged file's bytes kept aside for a planned recovery: what the run says it did. */
export async function keepDamagedHistory(
  plan: PlannedRecovery,
  at: Date,
): Promise<HistoryRecovered> {
  const keptAs = await keepDamaged(plan.file, at).catch((e: unknown) => {
    throw new UserError(
      `--history ${plan.file}: damaged (${plan.reason}); ${RECOVER_FLAG}: cannot keep a copy of it beside it (${ioMessage(e)}), so it is not replaced`,
    );
  });
  const olderDeleted = await pruneDamaged(plan.file, keptAs);
  return {
    file: plan.file,
    reason: plan.reason,
    keptAs,
    ...withoutFileAndReason(plan),
    ...(olderDeleted.length === 0 ? {} : { olderDeleted }),
  };
}

function withoutFileAndReason(p: PlannedRecovery): Omit<PlannedRecovery, 'file' | 'reason'> {
  return {
    from: p.from,
    ...(p.prevWritten === undefined ? {} : { prevWritten: p.prevWritten }),
    ...(p.prevUnusable === undefined ? {} : { prevUnusable: p.prevUnusable }),
  };
}

/**
 * A missing or empty history beside a FILE.prev that holds one (FILE deleted by hand, say):
 * the run starts empty, as for a first night, and says where the earlier history is; '' else.
 */
export async function prevBesideEmptyNote(path: string, read: HistoryRead): Promise<string> {
  if (read.text.trim() !== '') return '';
  const prev = await readPrev(path);
  if (prev.kind !== 'good') return '';
  return `--history ${path} is missing or empty: this run starts an empty history, though the previous version, ${described(prev)}, holds one; to carry that one on instead, restore it with \`cp ${shellWord(prev.path)} ${shellWord(path)}\` once this run ends (dropping this run's history)`;
}

// `vpdma replay --explain --around N`: of a long trace's explanation (206 calls of a corpus
// trace), only the calls near a violation, the N before and after each call that has one;
// each run of calls left out is one line saying which. A call is held until the next one
// starts (only then is it known to have no violation), so with --around a target that hangs
// shows its call once the replay gives up on it, as the timeout's violation.
import { plural } from '../core/plural.js';
import { UserError } from './context.js';
import { positiveInt } from './options.js';
import { checkExplain } from './replayChecks.js';

export const AROUND_OPTION = [
  '--around <n>',
  'with --explain: print only the n calls before and after each call with a violation, and one line for each run of calls left out',
] as const;

/** The options of `vpdma replay` that decide what --explain prints, and where. */
export interface ExplainOptions {
  readonly explain?: boolean;
  readonly around?: string;
  readonly json?: string;
  readonly junit?: string;
}

/** Calls of context a side at most (more is every call: --explain alone). */
const aroundMax = 1_000_000;

export interface ExplainSink {
  /** The replay's options: where --explain's text goes. */
  readonly options: { onExplain?: (text: string) => void };
  /**
   * After the replay, what goes before the summary: with --explain, a blank line, and with
   * --around, first the call the replay stopped in (a worker killed in a hang ends no
   * explanation) and the calls held before it.
   */
  readonly end: () => string;
}

/**
 * Where --explain's text goes: `out`, or through the --around filter; nothing without
 * --explain. Refuses --around without --explain, and what checkExplain refuses.
 */
export function explainSink(
  files: readonly string[],
  opts: ExplainOptions,
  out: (text: string) => void,
): ExplainSink {
  const around = positiveInt('--around', opts.around, -1, aroundMax, 0);
  if (opts.explain !== true) {
    if (around >= 0)
      throw new UserError('--around: it chooses the calls --explain prints; give --explain too');
    return { options: {}, end: () => '' };
  }
  checkExplain(files, opts);
  if (around < 0) return { options: { onExplain: out }, end: () => '\n' };
  const filter = aroundFilter(around, out);
  return { options: { onExplain: filter.write }, end: () => `${filter.end()}\n` };
}

interface Block {
  readonly index: number;
  readonly lines: string[];
}

/**
 * --explain's text (whole lines) with only the calls within `n` of a violation kept; `end`
 * gives what is held when the text stopped short of its end line, the call it stopped in last.
 */
export function aroundFilter(
  n: number,
  out: (text: string) => void,
): { write: (text: string) => void; end: () => string } {
  let block: Block | undefined;
  let held: Block[] = [];
  let after = 0;
  let hidden: { first: number; last: number; count: number } | undefined;
  let text: string[] = [];
  const hide = (b: Block): void => {
    hidden =
      hidden === undefined
        ? { first: b.index, last: b.index, count: 1 }
        : { ...hidden, last: b.index, count: hidden.count + 1 };
  };
  const showHidden = (): void => {
    if (hidden === undefined) return;
    const { first, last, count } = hidden;
    const which = count === 1 ? `call ${first}` : `calls ${first}-${last}`;
    text.push(
      `# ${which} not shown (${plural(count, 'call')} more than ${n} from a violation: --around ${n})`,
    );
    hidden = undefined;
  };
  const close = (): void => {
    if (block === undefined) return;
    const b = block;
    block = undefined;
    if (b.lines.some((l) => l.startsWith('  VIOLATION '))) {
      showHidden();
      for (const h of held) text.push(...h.lines);
      held = [];
      text.push(...b.lines);
      after = n;
    } else if (after > 0) {
      text.push(...b.lines);
      after--;
    } else {
      held.push(b);
      const dropped = held.length > n ? held.shift() : undefined;
      if (dropped !== undefined) hide(dropped);
    }
  };
  const end = (): string => {
    text = [];
    if (block !== undefined) {
      showHidden();
      for (const h of held) text.push(...h.lines);
      text.push(...block.lines);
    }
    held = [];
    block = undefined;
    return text.length === 0 ? '' : `${text.join('\n')}\n`;
  };
  const write = (chunk: string): void => {
    text = [];
    for (const line of chunk.split('\n').slice(0, -1)) {
      const call = /^call (\d+)\b/.exec(line);
      if (call !== null) {
        close();
        block = { index: Number(call[1]), lines: [line] };
      } else if (block !== undefined && line.startsWith(' ')) block.lines.push(line);
      else {
        // A note (the first line, the end): no violation follows the calls held.
        close();
        for (const h of held) hide(h);
        held = [];
        showHidden();
        text.push(line);
      }
    }
    if (text.length > 0) out(`${text.join('\n')}\n`);
  };
  return { write, end };
}

// `vpdma replay --explain`: one trace's replay told call by call, for the person who has to
// find the faulty line of their implementation. Per call: its index (and line in a .jsonl or
// .txt file), the function and its arguments as the target got them, the target's answer,
// the oracle's, each violation found at that call, and what the call did to the oracle's
// objects. Built from the Replayer's hooks, so a replay without --explain pays nothing for it.
import { oneLine } from '../core/oneLine.js';
import { censusOf, EMPTY_CENSUS, type Census } from '../model/census.js';
import type { Model } from '../model/model.js';
import type { Stepped } from '../model/step.js';
import type { Args, CallOutcome, TraceCall, Value } from '../model/values.js';
import { textCallLines } from '../trace/textParse.js';
import { printCall } from '../trace/textPrint.js';
import { formatOf, isGzipPath } from '../store/traceFiles.js';
import { readRegularFile } from '../store/fileChunks.js';
import { TargetStateWatch } from './explainState.js';
import { andThen } from './memory.js';
import { objectsLine } from './objectsLine.js';
import type { DetachReason, ReplayOptions, ReplayResult } from './replayTypes.js';
import { ruleText } from './ruleSource.js';
import type { Violation } from './violation.js';
import { plural } from '../core/plural.js';

/** A printed line longer than this keeps its two ends around its length (a long @write). */
export const explainLineCharsMax = 2000;

/** The hooks explain uses; a heartbeat's onCall, if any, still runs. */
type Hooks = Required<
  Pick<ReplayOptions, 'onCall' | 'onStep' | 'onViolation' | 'onDetach' | 'afterCall'>
>;

export class Explainer {
  /** The call being explained (-1: none yet). */
  private index = -1;
  private pending: string[] = [];
  /** The oracle's objects after the last call that changed any, and its state's version then. */
  private census: Census = EMPTY_CENSUS;
  private version = -1;
  /** The last call a violation was found at (-1: none yet). */
  private violated = -1;
  private readonly targetState = new TargetStateWatch();

  constructor(
    label: string,
    /** The file line of call i, when the format has one. */
    private readonly lineOf: (i: number) => number | undefined,
    /** Takes the text as it is ready: everything up to a call's own line goes before it. */
    private readonly emit: (text: string) => void,
  ) {
    this.pending.push(
      `# ${oneLine(label)}: each call with its arguments as the target got them (in its own addresses), the target's answer, the oracle's (in the oracle's addresses), each violation found at it, the oracle's objects a call created or freed, and at a call with a violation the target's state() beside the oracle's`,
    );
  }

  /** The Replayer options that feed this explainer, `onCall` also calling `beat` (heartbeat). */
  hooks(beat?: (index: number, fn: string) => void): Hooks {
    return {
      onCall: (i, fn, args, call) => {
        beat?.(i, fn);
        this.call(i, fn, args, call);
      },
      onStep: (fn, stepped, model, answer, misuseNote) => {
        this.answers(fn, answer, stepped, misuseNote);
        this.objects(model);
      },
      onViolation: (v) => this.violation(v),
      onDetach: (i, by, detail) => this.detached(i, by, detail),
      // The target's own state beside the oracle's, under a call with a violation.
      afterCall: (i, view) =>
        andThen(this.targetState.after(i, view), () => {
          if (this.violated === i) this.pending.push(...this.targetState.lines(i));
        }),
    };
  }

  private where(i: number): string {
    const line = this.lineOf(i);
    return line === undefined ? `call ${i}` : `call ${i} (line ${line})`;
  }

  /** Before the call goes to the target: sent at once, so a target that hangs on it shows it. */
  private call(i: number, fn: string, args: Args, call: TraceCall): void {
    this.index = i;
    // The capture's meta (a thread id, a timestamp) says which of its calls this was.
    const shown: TraceCall = call.meta === undefined ? { fn, args } : { fn, args, meta: call.meta };
    this.pending.push(`${this.where(i)}: ${printed(() => printCall(shown, new Map()))}`);
    if (call.ret !== undefined || call.out !== undefined)
      this.pending.push(`  recorded: ${answerText(fn, call)} (in the trace's addresses)`);
    this.flush();
  }

  private answers(fn: string, answer: CallOutcome, stepped: Stepped, misuseNote?: string): void {
    const target = answerText(fn, answer);
    const oracle = answerText(fn, stepped);
    const open = stepped.unspecified ?? [];
    const latitude = open.length > 0 ? ` (any value allowed in ${open.join(', ')})` : '';
    if (target === oracle) this.pending.push(`  target and oracle: ${target}${latitude}`);
    else this.pending.push(`  target:   ${target}`, `  oracle:   ${oracle}${latitude}`);
    // A misuse only the capture's one value for two live objects makes one is not the driver's.
    const why = misuseNote ?? 'the documentation forbids this call here';
    if (stepped.misuse !== undefined) this.pending.push(`  misuse:   ${stepped.misuse} (${why})`);
  }

  /** Under a call that created, freed or changed an oracle object: which, and what is live. */
  private objects(model: Model): void {
    // Every object change bumps the version: a call that changed none costs nothing here.
    if (model.state.version === this.version) return;
    this.version = model.state.version;
    const after = censusOf(model.state);
    const line = objectsLine(this.census, after);
    this.census = after;
    if (line !== undefined) this.pending.push(`  objects:  ${line}`);
  }

  private violation(v: Violation): void {
    // Found before the call reached the target (its state() or a read around it failed).
    if (v.callIndex !== this.index) {
      this.index = v.callIndex;
      this.pending.push(`${this.where(v.callIndex)}: ${v.fn}`);
    }
    this.violated = v.callIndex;
    this.pending.push(`  VIOLATION ${v.kind}: ${oneLine(v.message)}`);
    const cited = ruleText(v);
    if (cited !== undefined) this.pending.push(`    (${cited})`);
  }

  private detached(i: number, by: DetachReason, detail?: string): void {
    const why =
      by === 'latitude'
        ? `the oracle cannot judge the target at call ${i} (${detail ?? 'a size the implementation chooses'})`
        : by === 'misuse' && detail !== undefined
          ? `the capture's misuse at call ${i}`
          : `${by === 'misuse' ? 'the trace misuses the API' : 'the target diverged'} at call ${i}`;
    this.pending.push(
      `  (${why}: after it the oracle's answers are shown but no longer compared with the target's; the obsolete calls are still checked)`,
    );
  }

  /** After the replay: what is left, and how it ended. */
  end(result: ReplayResult | undefined, trouble?: string): void {
    if (trouble !== undefined) this.pending.push(`# ${oneLine(trouble)}`);
    if (result?.recordedSkipped !== undefined)
      this.pending.push(
        "# the recorded values were not compared: the oracle's profile is not the trace header's, whose answers they are",
      );
    if (result !== undefined) {
      const n = result.violations.length + Object.values(result.unlisted ?? {}).reduce(sum, 0);
      this.pending.push(
        `# end: ${plural(result.calls, 'call')} replayed, ${plural(n, 'violation')}, outcome ${result.outcome}`,
      );
    }
    this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.emit(`${this.pending.map(clip).join('\n')}\n`);
    this.pending = [];
  }
}

const sum = (a: number, b: number | undefined): number => a + (b ?? 0);

/** `-> ret out(...)` as the text format prints them; 'nothing' for neither. */
function answerText(fn: string, a: { readonly ret?: Value; readonly out?: Args }): string {
  const shown = printed(() => {
    const call: TraceCall = {
      fn,
      args: {},
      ...(a.ret === undefined ? {} : { ret: a.ret }),
      ...(a.out === undefined ? {} : { out: a.out }),
    };
    return printCall(call, new Map()).slice(`${fn}()`.length).trim();
  });
  return shown === '' ? 'nothing returned' : shown;
}

/** The text format's printing, or why it refused (a value of the wrong type). */
function printed(print: () => string): string {
  try {
    return print();
  } catch (e) {
    return `(cannot print: ${e instanceof Error ? e.message : String(e)})`;
  }
}

function clip(line: string): string {
  if (line.length <= explainLineCharsMax) return line;
  const edge = explainLineCharsMax / 2 - 40;
  return `${line.slice(0, edge)} ... (${line.length - 2 * edge} of the line's ${line.length} characters left out) ... ${line.slice(-edge)}`;
}

/**
 * Where call i is in the file: JSONL has the header on line 1 and a call a line (blank lines
 * only at the end); a .txt file is read for its call lines; a .vpt has no lines.
 */
export async function callLines(
  path: string | undefined,
): Promise<(i: number) => number | undefined> {
  const format = path === undefined ? undefined : formatOf(path);
  if (format === 'jsonl') return (i) => i + 2;
  // A .txt.gz is not read for its lines: a help, not worth inflating the trace again for.
  if (format !== 'txt' || path === undefined || isGzipPath(path)) return () => undefined;
  const lines = textCallLines(
    await readRegularFile(path).then(
      (b) => b.toString('utf8'),
      () => '',
    ),
  );
  return (i) => lines[i];
}

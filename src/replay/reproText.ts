// A repro's text form, annotated with the oracle's answers (trace/textAnnotate.ts). The
// answers come from the oracle as replay drives it: a fresh model with the header's device and
// profile, the trace's values translated to the model's and learned as replay learns them, and
// the answers translated back, so a comment shows the values the text uses. (A generated or
// minimized repro names values by the oracle's own layout: nothing moves.)
import { poison } from '../model/args.js';
import { profileOf, resolveDevice } from '../model/device.js';
import { liveSnapshot } from '../model/live.js';
import { Model } from '../model/model.js';
import { valueEquals, type Value } from '../model/values.js';
import { printTextAnnotated, type FoundAt, type OracleAnswer } from '../trace/textAnnotate.js';
import { printText } from '../trace/text.js';
import type { Trace } from '../trace/trace.js';
import { AddressBook } from './addressBook.js';
import { planOf } from './callPlan.js';
import { learnProduced } from './learn.js';
import { translateArgs, translateOut } from './translate.js';

/** What the oracle answers to each call of the trace, index-aligned with its calls. */
export function oracleAnswers(trace: Trace): (OracleAnswer | undefined)[] {
  const model = new Model({
    device: resolveDevice(trace.header.device),
    profile: profileOf(trace.header),
  });
  const book = new AddressBook(() => liveSnapshot(model.state));
  return trace.calls.map((call) => {
    const plan = planOf(call.fn);
    if (plan === undefined) return undefined;
    const modelArgs = translateArgs(book, plan, call.args, 'trace', 'model');
    const s = model.step(call.fn, modelArgs);
    // The oracle is the target here too: what it produced is learned under the trace's names.
    learnProduced(book, plan, call, s, s, modelArgs);
    const written: string[] = [];
    const out: Record<string, Value> = {};
    for (const o of plan.outs) {
      const v = s.out?.[o.name];
      if (v === undefined) continue;
      if (!valueEquals(v, modelArgs[o.name] ?? poison(o.type))) written.push(o.name);
      out[o.name] = translateOut(book, o, v, 'model', 'trace');
    }
    const ret =
      s.ret === undefined || plan.ret === undefined
        ? s.ret
        : translateOut(book, plan.ret, s.ret, 'model', 'trace');
    return {
      ...(ret === undefined ? {} : { ret }),
      ...(plan.outs.length === 0 ? {} : { out }),
      written,
      ...(s.misuse === undefined ? {} : { misuse: s.misuse }),
      ...(s.unspecified === undefined ? {} : { unspecified: s.unspecified }),
    };
  });
}

/**
 * The repro as written to a .txt file: printText's trace, explained in comments (what the
 * oracle answers, which call produced a value). It parses to the same trace. Should the
 * explaining fail, the bare text is written: a comment is not worth losing a repro over.
 * `found` is the violation the repro shows (a fuzz finding's, or minimize's replay of it), printed
 * under its call so the text alone shows what the target answered.
 */
export function printRepro(
  trace: Trace,
  options: { readonly numbers?: boolean; readonly found?: FoundAt } = {},
): string {
  try {
    return printTextAnnotated(trace, oracleAnswers(trace), options);
  } catch {
    return printText(trace);
  }
}

// A target that is an external program speaking docs/target-protocol.md over stdin/stdout.
// Every fault the program can commit (exit, hang, garbage, floods, partial frames) becomes a
// TargetFault; the caller reports it and starts a fresh child for the next trace. An `{error}`
// answer is no fault of the child's: it is reported too, but the child serves the next trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { frameBytesMax } from '../core/limits.js';
import { poison } from '../model/args.js';
import { describe } from '../model/calls.js';
import type { DeviceConfig } from '../model/device.js';
import type { Args, CallOutcome, Value } from '../model/values.js';
import { packMessage, unpackMessage } from '../trace/codec.js';
import { harnessTarget } from './argsInPlace.js';
import { messageCharsMax, TargetFault } from './callTarget.js';
import { owned } from './unchanging.js';
import { answered } from './heartbeat.js';
import { StderrTail } from './stderrTail.js';
import { execed, quoted } from './childCommand.js';
import {
  afterFrameBytesMax,
  badFrameText,
  oversizeText,
  sameSeq,
  seqText,
  strayCharsMax,
  unansweredText,
  unaskedText,
} from './frameText.js';
import { normalizeOutcome, touchedRanges, touchedRangesMax } from './wire.js';
import { greet } from './hello.js';
import { watchRss } from './rssLimit.js';
import { edgesFromBin } from './targetCoverage.js';
import type { Target, TargetState, TouchedRanges, TraceCallIn } from './target.js';

export interface ProcessTargetOptions {
  readonly command: string;
  readonly device: DeviceConfig;
  readonly profile: string;
  readonly timeoutMs: number;
  /** --load-timeout, when given: how long a fresh child may take to answer hello. */
  readonly startTimeoutMs?: number;
  /** --rss-limit-mb: the child is killed past this many MiB resident (absent or 0: no limit). */
  readonly rssLimitMb?: number;
}

type Pending = {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: TargetFault) => void;
  /** Put before "reported an error: ..." when the child answers the request with one. */
  readonly asked: string;
  readonly op: string;
  /** A call's function, which a message about its answer names ("did not answer X"). */
  readonly fn: string | undefined;
  /** The seq the request carried (the seq extension), which its answer must repeat. */
  readonly seq: number | undefined;
};

class Child {
  private readonly proc: ChildProcess;
  /** Output received since the last whole frame, joined once the frame is complete. */
  private parts: Buffer[] = [];
  private have = 0;
  private pending: Pending | undefined;
  private readonly stderr = new StderrTail();
  private dead: TargetFault | undefined;
  /** A fault seen on stdout, its message waiting for stderr to drain (failDrained). */
  private failing = false;
  /**
   * While failing: the bad output from its first byte on, and what follows it up to keptMax
   * bytes, for a message made once the pipes are drained (so it is the same every run).
   */
  private kept: Buffer[] = [];
  private keptMax = 0;
  /** The last request was answered with a well-formed `{error: "text"}`. */
  private erred = false;
  /** The seq of the next request, while the child has taken up the seq extension. */
  private seq: number | undefined;
  /** Stops sampling its resident memory (--rss-limit-mb) once it has failed. */
  private readonly unwatch: (() => void) | undefined;

  constructor(command: string, rssLimitMb = 0) {
    const named = quoted(command); // as messages name it
    // Its own process group, so kill() reaches the program the shell started, not only the
    // shell: a hung target never reads the EOF that would otherwise end it.
    this.proc = spawn('/bin/sh', ['-c', execed(command)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.proc.stdout?.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr?.on('data', (d: Buffer) => this.stderr.push(d));
    this.proc.on('error', (e) => this.fail(`cannot start ${named}: ${e.message}`));
    this.proc.on('exit', (code, signal) => {
      // The call it died on, which only --json would otherwise tell (the line names its index).
      const fn = this.pending?.fn;
      const during = fn === undefined ? '' : ` during ${fn}`;
      const exited = `${named} exited (${signal ?? `code ${code}`})${during}`;
      this.killGroup(); // what it left running in the background, holding its pipes perhaps
      // Its last words may still be in the stderr pipe when the exit status arrives: fail once
      // the pipes are drained, so the message is the same every time (or soon, if held open).
      const late = setTimeout(() => this.fail(exited), 1000).unref();
      this.proc.once('close', () => (clearTimeout(late), this.fail(exited)));
    });
    // A closed pipe usually means the child is exiting: give its exit status a moment to arrive.
    this.proc.stdin?.on('error', () => {
      setTimeout(() => this.exitUnseen() && this.fail(`${named} closed its input`), 200).unref();
    });
    this.proc.stdout?.on('end', () => {
      setTimeout(() => this.exitUnseen() && this.fail(`${named} closed its output`), 200).unref();
    });
    // The program the shell exec'd (childCommand.ts): its own memory, not its children's.
    const over = (fault: string): void =>
      this.fail(
        `${named} ${fault}${this.pending?.fn === undefined ? '' : ` during ${this.pending.fn}`}`,
      );
    const pid = this.proc.pid;
    this.unwatch = pid === undefined ? undefined : watchRss(pid, rssLimitMb, over);
  }

  /** Whether the exit status is yet to come (once it has, the exit handler says what happened). */
  private exitUnseen(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  private fail(message: string, timeout = false): void {
    if (this.dead !== undefined) return;
    this.unwatch?.();
    // Within the bound on a fault's message, so that the stderr's last line is never cut off.
    const tail = this.stderr.summary(Math.max(messageCharsMax - message.length - 2, 200));
    this.dead = new TargetFault(tail === '' ? message : `${message}; ${tail}`, timeout);
    this.pending?.reject(this.dead);
    this.pending = undefined;
    this.parts = [];
    this.have = 0;
    this.kept = [];
    this.kill();
  }

  /**
   * A fault seen on stdout while the child lives: what it wrote to stderr just before may not
   * all be read yet. It is killed at once, and the message made once its pipes are drained (or
   * soon, if something outside its group holds them open), so that it names the child's last
   * stderr lines every time, not only when the stderr pipe won the race.
   */
  private failDrained(message: string | ((kept: Buffer) => string), keptMax = 0): void {
    if (this.dead !== undefined || this.failing) return;
    this.failing = true;
    // What the child wrote before it was killed is still read from the pipe: a message built
    // from it does not depend on how its output was cut into chunks.
    this.kept = this.parts;
    this.keptMax = keptMax;
    this.parts = [];
    this.have = 0;
    this.kill();
    const text = (): string =>
      typeof message === 'string'
        ? message
        : message(Buffer.concat(this.kept).subarray(0, this.keptMax));
    const late = setTimeout(() => this.fail(text()), 200).unref();
    this.proc.once('close', () => (clearTimeout(late), this.fail(text())));
  }

  /** Output after a fault: kept up to keptMax bytes for its message, the rest dropped. */
  private keep(d: Buffer): void {
    let n = 0;
    for (const b of this.kept) n += b.length;
    if (n < this.keptMax) this.kept.push(d.subarray(0, this.keptMax - n));
  }

  private onData(d: Buffer): void {
    // Once failed, its output is nobody's: a process it left outside its group may still hold
    // the pipe and flood it, and every chunk kept (and joined) would cost more than the last.
    if (this.dead !== undefined) return;
    if (this.failing) return this.keep(d);
    this.parts.push(d);
    this.have += d.length;
    if (this.have < 4) return;
    const head = (this.parts[0]?.length ?? 0) >= 4 ? this.parts[0] : Buffer.concat(this.parts);
    const n = head?.readUInt32LE(0) ?? 0;
    if (n > frameBytesMax) return this.failDrained((kept) => oversizeText(n, kept), strayCharsMax);
    if (this.have < 4 + n) return;
    if (this.pending === undefined) return this.failDrained(unaskedText, strayCharsMax);
    const whole = this.parts.length === 1 ? d : Buffer.concat(this.parts, this.have);
    const msg = unpackMessage(whole.subarray(4, 4 + n));
    // Said once what the child wrote after the frame is read too (a value running past it).
    if (msg === undefined) return this.failDrained(badFrameText, 4 + n + afterFrameBytesMax);
    if (this.have > 4 + n)
      return this.failDrained((kept) => unaskedText(kept.subarray(4 + n)), 4 + n + strayCharsMax);
    this.parts = [];
    this.have = 0;
    const p = this.pending;
    // An answer to another request (a stale one, of the same shape perhaps) is no answer.
    if (p.seq !== undefined && !sameSeq(msg['seq'], p.seq))
      return this.failDrained(
        `answered ${p.op} request seq ${p.seq} with ${seqText(msg['seq'])} (an answer to another request? its hello listed seq)`,
      );
    const error = msg['error'];
    // Checked while the request is still pending, so that fail() rejects it.
    if (error !== undefined && typeof error !== 'string')
      return this.failDrained('sent garbage: an error that is not a string');
    this.pending = undefined;
    answered();
    if (typeof error === 'string') {
      this.erred = true;
      return p.reject(new TargetFault(`${p.asked}reported an error: ${error}`, false, true));
    }
    p.resolve(msg);
  }

  request(
    msg: Record<string, unknown>,
    timeoutMs: number,
    asked = '',
  ): Promise<Record<string, unknown>> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    this.erred = false;
    const op = String(msg['op']);
    const fn = op === 'call' ? String(msg['fn']) : undefined;
    // hello never carries one: a child takes the extension up (again) in its answer.
    if (op === 'hello') this.seq = undefined;
    const seq = this.seq;
    if (seq !== undefined) this.seq = seq + 1;
    const payload = packMessage(seq === undefined ? msg : { ...msg, seq });
    const frame = Buffer.alloc(4 + payload.length);
    frame.writeUInt32LE(payload.length, 0);
    frame.set(payload, 4);
    return new Promise((resolve, reject) => {
      // The part of a frame that came (a length prefix too large) is named, not "no answer".
      const timer = setTimeout(() => {
        const partial = Buffer.concat(this.parts, this.have);
        this.fail(unansweredText(fn ?? op, timeoutMs, partial), true);
      }, timeoutMs);
      this.pending = {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        asked,
        op,
        fn,
        seq,
      };
      this.proc.stdin?.write(frame);
    });
  }

  /** After hello: the child took up the seq extension; its requests are numbered from 1. */
  numberRequests(): void {
    this.seq = 1;
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /**
   * Whether a trace that ended in a fault may leave this child to the next one: only when the
   * fault was its own `{error}` answer to the last request, and it is alive and said nothing
   * amiss since. Garbage found above the wire (a call answer of the wrong shape) comes after an
   * answer that was no error, so it does not qualify.
   */
  get reusableAfterFault(): boolean {
    return this.erred && this.dead === undefined && !this.failing;
  }

  /** Never to serve again: killed, and a request to it is refused at once. */
  retire(): void {
    this.fail('retired by vpdma after a fault');
  }

  kill(): void {
    const pid = this.proc.pid;
    // While the shell is unreaped its pid, the group's id, cannot have been reused.
    if (pid === undefined || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL'); // the whole group: the shell and what it started
    } catch {
      this.proc.kill('SIGKILL');
    }
  }

  /**
   * After the shell exited: the rest of its group. A group's id is not handed out again while
   * any member lives, so this reaches only what the target started; ESRCH when none is left.
   */
  private killGroup(): void {
    const pid = this.proc.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // nothing left in the group
    }
  }
}

/** Out-only parameters the trace omits, with the poison they arrive with (the protocol). */
function poisoned(fn: string, args: Args): Record<string, Value> | undefined {
  let filled: Record<string, Value> | undefined;
  for (const a of describe(fn)?.args ?? [])
    if (a.outOnly === true && args[a.name] === undefined) (filled ??= {})[a.name] = poison(a.type);
  return filled;
}

/** Starts (or reuses) a child and greets it for one trace. */
export async function createProcessTarget(
  options: ProcessTargetOptions,
  reuse?: Child,
): Promise<Target & { child: Child }> {
  const fresh = reuse?.alive !== true;
  const child = fresh ? new Child(options.command, options.rssLimitMb) : reuse;
  let features: unknown[];
  try {
    features = await greet(child, options, fresh);
  } catch (e) {
    // Not left running unheld (a fresh child the caller never gets) or to serve on after
    // garbage; a child it holds that answered hello with {error} serves the next trace.
    if (fresh || !child.reusableAfterFault) child.retire();
    throw e;
  }
  if (features.includes('seq')) child.numberRequests();
  const t = options.timeoutMs;
  const inCall = features.includes('touched') && features.includes('touched-in-call');
  /** touched-in-call: the ranges the call answers reported since touched() was last asked. */
  let written: TouchedRanges = [];
  /**
   * The state answered since the last call: only a call changes it, so the state before an
   * obsolete call that follows another is the one after that call, without asking again.
   */
  let stateNow: TargetState | undefined;
  const target: Target & { child: Child } = {
    child,
    async call(c: TraceCallIn): Promise<CallOutcome> {
      const filled = poisoned(c.fn, c.args);
      const args = filled === undefined ? c.args : { ...c.args, ...filled };
      stateNow = undefined;
      const answer = await child.request({ op: 'call', fn: c.fn, args }, t);
      if (inCall) {
        if (answer['touched'] === undefined)
          throw new TargetFault(
            'sent garbage: a call answered without touched (its hello listed touched-in-call)',
          );
        const ranges = touchedRanges(answer['touched'], 'touched', `${c.fn}: `);
        // Obsolete calls under --paranoid do not ask touched(): bounded as one answer is.
        if (written.length + ranges.length > touchedRangesMax)
          throw new TargetFault(
            `sent garbage: call answers listed more than ${touchedRangesMax} touched ranges since vpdma last asked; join adjacent ones`,
          );
        written = written.length === 0 ? ranges : [...written, ...ranges];
      }
      const outcome = normalizeOutcome(c.fn, answer);
      if (filled === undefined) return outcome;
      // An out-parameter left out of `out` came back unchanged: still the poison it was sent.
      return { ...outcome, out: { ...filled, ...outcome.out } };
    },
    async read(address: bigint, length: number): Promise<Uint8Array> {
      // Its error answer (how it says "not mapped") names the read, as a module's throw does.
      const what = `read of ${length} bytes at 0x${address.toString(16)}: the target `;
      const r = await child.request({ op: 'read', address, length }, t, what);
      const data = r['data'];
      // Garbage, not unmapped memory (that is an error answer): the trace ends target-crashed.
      if (!(data instanceof Uint8Array))
        throw new TargetFault(`sent garbage: read of ${length} bytes answered without bin data`);
      if (data.length !== length)
        throw new TargetFault(
          `sent garbage: read of ${length} bytes answered ${data.length} bytes`,
        );
      return data;
    },
  };
  if (features.includes('state')) {
    target.state = async (): Promise<TargetState> => {
      if (stateNow !== undefined) return stateNow;
      const r = await child.request({ op: 'state' }, t);
      // The harness's own: the same object answered again is known unchanged (unchanging.ts).
      stateNow = owned((r['state'] ?? {}) as TargetState);
      return stateNow;
    };
  }
  if (features.includes('coverage')) {
    target.coverage = async (): Promise<Uint32Array> =>
      edgesFromBin((await child.request({ op: 'coverage' }, t))['edges']);
  }
  if (inCall) {
    // Only calls write, so this is what a touched request would answer now, without asking.
    target.touched = (): TouchedRanges => {
      const w = written;
      written = [];
      return w;
    };
  } else if (features.includes('touched')) {
    target.touched = async (): Promise<TouchedRanges> => {
      const r = await child.request({ op: 'touched' }, t);
      return touchedRanges(r['ranges']);
    };
  }
  // Its arguments are encoded, never changed: the Replayer need not copy them (withOwnArgs).
  return harnessTarget(target);
}

export { Child as ProcessChild };

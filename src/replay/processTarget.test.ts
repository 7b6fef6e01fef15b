import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE } from '../model/device.js';
import { createProcessTarget } from './processTarget.js';

const fixture = join(resolve(import.meta.dirname, '../..'), 'test/fixtures/frame-fault-target.mjs');
/** A child that answers hello wrong on the wire (test/fixtures/frame-fault-target.mjs). */
const framing = (mode: string): string => `${process.execPath} ${fixture} ${mode}`;

/** 'started', or why the target could not start. */
function startMessage(command: string, timeoutMs = 5000): Promise<string> {
  return createProcessTarget({
    command,
    device: DEFAULT_DEVICE,
    profile: 'docs',
    timeoutMs,
  }).then(
    () => 'started',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}

describe('createProcessTarget', () => {
  it('names a dead child’s last stderr lines every time, not only when the pipe won the race', async () => {
    // The exit status can arrive before the last of stderr is read; many children at once make
    // that likely, and the message (grouped by the summary) must not depend on it.
    const command = 'seq 1 20000 >&2; echo last words >&2; exit 5';
    const messages: string[] = [];
    for (let round = 0; round < 8; round++)
      messages.push(
        ...(await Promise.all(Array.from({ length: 25 }, () => startMessage(command)))),
      );
    expect(new Set(messages)).toEqual(
      new Set([
        `\`${command}\` exited (code 5); its last stderr lines: 19998 | 19999 | 20000 | last words`,
      ]),
    );
  });

  it('keeps the last stderr line after a huge one: each line is shortened on its own', async () => {
    // A hex dump or state dump, then the line that says why the program died.
    const script =
      "process.stderr.write('x'.repeat(300000) + '\\n' + 'y'.repeat(5000) + '\\n\\n' +" +
      " '  at frame (f.js:1:1)\\n' + 'Traceback: boom\\n'); process.exitCode = 9";
    const command = `node -e "${script}"`;
    const message = await startMessage(command);
    const x = (n: number): string => 'x'.repeat(n);
    const y = (n: number): string => 'y'.repeat(n);
    expect(message).toBe(
      `\`${command}\` exited (code 9); its last stderr lines: ` +
        `${x(85)} ... (300000 characters) ... ${x(85)} | ` +
        `${y(86)} ... (5000 characters) ... ${y(86)} | Traceback: boom`,
    );
    expect(message.length).toBeLessThanOrEqual(1000);
  });

  it('names the last stderr lines of a child that sent garbage just after writing them', async () => {
    // A stray print on stdout, read as a frame's length, right after the reason on stderr:
    // the garbage is seen while stderr may still be unread; the message must not depend on it.
    const command = "printf 'loading\\nconfig bad\\nfalling back\\n' >&2; echo stray; sleep 5";
    const messages: string[] = [];
    for (let round = 0; round < 4; round++)
      messages.push(
        ...(await Promise.all(Array.from({ length: 25 }, () => startMessage(command)))),
      );
    expect(new Set(messages.map((m) => m.replace(/^.*?(its last stderr)/, '$1')))).toEqual(
      new Set(['its last stderr lines: loading | config bad | falling back']),
    );
    expect(messages[0]).toContain('stray');
  });

  it('quotes a stray print every time, however its text and the frame after it were read', async () => {
    // The text, then the answer, in two writes: read in one chunk or two, the message (and so
    // report.json) is the same, and it quotes the text up to its line break.
    const messages: string[] = [];
    for (let round = 0; round < 3; round++)
      messages.push(
        ...(await Promise.all(Array.from({ length: 8 }, () => startMessage(framing('stray'))))),
      );
    expect(new Set(messages)).toEqual(
      new Set([
        'sent a frame claiming 1819042147 bytes (over the 16 MiB limit); its first bytes read as text ' +
          '"calling VideoPortCreateEvent" (a stray print to stdout?)',
      ]),
    );
  }, 60_000);

  it('says which way a wrong length prefix is wrong, not "no answer" or "not a map"', async () => {
    // Hello's answer in one write, its prefix 3 more or 3 less than its 53 or 54 bytes, or 0.
    const [long, short, empty] = await Promise.all(
      ['long-prefix', 'short-prefix', 'empty'].map((m) => startMessage(framing(m), 300)),
    );
    // A fresh child's hello gets 5 s (START_TIMEOUT_MS) under a shorter timeout.
    expect(long).toBe(
      'sent a frame of 56 bytes to answer hello, only 53 arrived within 5000 ms; ' +
        'a whole MessagePack map ended after 53 of them: is the length prefix 3 too large?',
    );
    expect(short).toBe(
      'sent a frame of 51 bytes whose MessagePack map ran 3 bytes past its end ' +
        '(is the length prefix too small?)',
    );
    expect(empty).toBe('sent an empty frame (length prefix 0), not a MessagePack map');
  }, 60_000);

  it('a length prefix over the limit shows its bytes; a hello without version says so', async () => {
    const [big, none] = await Promise.all(
      ['big-endian', 'no-version'].map((m) => startMessage(framing(m))),
    );
    // 52 bytes, big-endian: 00 00 00 34 read as 0x34000000.
    expect(big).toBe(
      'sent a frame claiming 872415232 bytes (over the 16 MiB limit; ' +
        'the length prefix is little-endian uint32, and came as 00 00 00 34)',
    );
    expect(none).toBe(
      'sent garbage: hello answered no version; expected {version: 1, name, features}',
    );
  }, 60_000);

  it('numbers the requests of a child that takes up seq, and only of such a child', async () => {
    const bad = join(resolve(import.meta.dirname, '../..'), 'test/fixtures/bad-process-target.mjs');
    const call = {
      fn: 'VideoPortCreateEvent',
      args: { hwDeviceExtension: 0x1000n, eventFlag: 0, unused: 0n },
    };
    const start = (mode: string) =>
      createProcessTarget({
        command: `${process.execPath} ${bad} ${mode}`,
        device: DEFAULT_DEVICE,
        profile: 'docs',
        timeoutMs: 5000,
      });
    // Its answers' ret is the seq its requests carried: 1, 2, 3 after hello.
    const numbered = await start('seq');
    const rets = [];
    for (let i = 0; i < 3; i++) rets.push((await numbered.call(call)).ret);
    expect(rets).toEqual([1, 2, 3]);
    numbered.child.retire();
    // A child that did not take it up never sees one (its ret would be 99).
    const plain = await start('seqless');
    expect((await plain.call(call)).ret).toBe(0);
    plain.child.retire();
    // An answer carrying the seq before its request's: a stale answer of the same shape.
    const stale = await start('stale');
    await expect(stale.call(call)).rejects.toThrow(
      /^answered call request seq 1 with seq 0 \(an answer to another request\? its hello listed seq\)$/,
    );
  }, 60_000);
});

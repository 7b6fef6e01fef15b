// The end of a process target's stderr, for the one-line message when it misbehaves: its last
// few non-empty lines (docs/target-protocol.md). Each line is kept to its first and last
// characters as it arrives, so one huge line before the end (a hex dump, a state dump) neither
// pushes the lines after it out of the message nor makes the message long: the last line,
// the one that usually says why the program died, always shows.
import { StringDecoder } from 'node:string_decoder';

/** Lines shown: a Node or Python exception's own line beside the runtime's closing banner. */
const linesShown = 4;
/** Characters kept from each end of a line as it arrives. */
const edgeChars = 100;
/** A line longer than this shows its ends and its length between them. */
export const stderrLineCharsMax = 2 * edgeChars;

interface Line {
  /** The first `edgeChars` characters. */
  head: string;
  /** The last `edgeChars` characters after the head (all of them, while the line is short). */
  tail: string;
  /** Characters in the line as written. */
  length: number;
}

const blank = (): Line => ({ head: '', tail: '', length: 0 });

function append(l: Line, text: string): void {
  if (text === '') return;
  l.length += text.length;
  let rest = text;
  const room = edgeChars - l.head.length;
  if (room > 0) {
    l.head += rest.slice(0, room);
    rest = rest.slice(room);
  }
  if (rest !== '') l.tail = (rest.length >= edgeChars ? rest : l.tail + rest).slice(-edgeChars);
}

/** Not blank, and not an indented `at ...` frame of a stack trace. */
const shown = (l: Line): boolean => (l.head + l.tail).trim() !== '' && !/^\s+at /.test(l.head);

/** One line within `width` characters: whole, or its two ends around its length. */
function renderLine(l: Line, width: number): string {
  const whole = l.length === l.head.length + l.tail.length;
  const text = whole ? (l.head + l.tail).trim() : undefined;
  if (text !== undefined && text.length <= width) return text;
  const start = (text ?? l.head).trimStart();
  const end = (text ?? l.tail).trimEnd();
  const mark = ` ... (${l.length} characters) ... `;
  const edge = Math.max(8, Math.floor((width - mark.length) / 2));
  return `${start.slice(0, edge)}${mark}${end.slice(-edge)}`;
}

/** How the summary begins, then `: ` or `s: ` (a crash's title leaves it out: crashTitle.ts). */
export const STDERR_SAID = 'its last stderr line';

export class StderrTail {
  private readonly decoder = new StringDecoder('utf8');
  /** The last complete lines worth showing, oldest first. */
  private readonly lines: Line[] = [];
  private current: Line = blank();

  push(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    for (let at = 0; ;) {
      const nl = text.indexOf('\n', at);
      append(this.current, nl < 0 ? text.slice(at) : text.slice(at, nl));
      if (nl < 0) return;
      this.endLine();
      at = nl + 1;
    }
  }

  private endLine(): void {
    const l = this.current;
    this.current = blank();
    if (!shown(l)) return;
    this.lines.push(l);
    if (this.lines.length > linesShown) this.lines.shift();
  }

  /**
   * `its last stderr lines: a | b | c | d` in at most `charsMax` characters ('' when there is
   * nothing to show): the oldest lines go first if they do not fit, and the last line is
   * shortened further if it alone does not.
   */
  summary(charsMax: number): string {
    const all = shown(this.current) ? [...this.lines, this.current] : this.lines;
    const lines = all.slice(-linesShown);
    const last = lines[lines.length - 1];
    if (last === undefined) return '';
    const what = (n: number): string => (n === 1 ? `${STDERR_SAID}: ` : `${STDERR_SAID}s: `);
    const texts = lines.map((l) => renderLine(l, stderrLineCharsMax));
    const size = (): number =>
      what(texts.length).length + texts.reduce((n, t) => n + t.length + 3, -3);
    while (texts.length > 1 && size() > charsMax) texts.shift();
    if (size() > charsMax) texts[0] = renderLine(last, charsMax - what(1).length);
    return `${what(texts.length)}${texts.join(' | ')}`;
  }
}

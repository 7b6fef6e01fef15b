// A cursor over one line of the text format: the lexical rules, one token kind per method.
// Failures throw TextSyntaxError, caught once per line by the parser (textParse.ts).

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const FN = /@?[A-Za-z_][A-Za-z0-9_]*/y;
const HEX = /0x[0-9a-fA-F]+/y;
const DEC = /-?[0-9]+/y;
const BYTES = /x"([0-9a-fA-F]*)"/y;
export const NAME = /^r[0-9]+$/;

export class TextSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

export class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new TextSyntaxError(message, at + 1);
  }

  skipWs(): void {
    while (
      this.pos < this.text.length &&
      (this.text[this.pos] === ' ' || this.text[this.pos] === '\t')
    ) {
      this.pos++;
    }
  }

  /** The next non-blank character, without consuming it ('' at the end). */
  peek(): string {
    this.skipWs();
    return this.text[this.pos] ?? '';
  }

  atEnd(): boolean {
    return this.peek() === '';
  }

  eat(token: string): boolean {
    this.skipWs();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected '${token}'${this.found()}`);
  }

  found(): string {
    const rest = this.text.slice(this.pos, this.pos + 12);
    return rest === '' ? ' at the end of the line' : `, found '${rest}'`;
  }

  private match(re: RegExp): string | undefined {
    this.skipWs();
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos = re.lastIndex;
    return m[0];
  }

  ident(): string | undefined {
    return this.match(IDENT);
  }

  fnName(): string | undefined {
    return this.match(FN);
  }

  hex(): string | undefined {
    return this.match(HEX);
  }

  decimal(): string | undefined {
    return this.match(DEC);
  }

  /** The hex digits of x"...", or undefined if the next token is not a byte string. */
  bytes(): string | undefined {
    const m = this.match(BYTES);
    return m === undefined ? undefined : m.slice(2, -1);
  }
}

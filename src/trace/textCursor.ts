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
    const h = this.match(HEX);
    if (h === undefined) this.misspelledHex();
    return h;
  }

  /** Fails on the near misses of a hex literal, which would otherwise read as a decimal 0. */
  private misspelledHex(): void {
    const m = /(-?)0([xX])/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.text);
    if (found === null) return;
    if (found[1] === '' && found[2] === 'x') this.fail('expected hex digits after 0x');
    if (found[1] === '-') {
      // The literal's value in decimal, as the user should write it.
      const digits = /-0[xX]([0-9a-fA-F]{1,32})/y;
      digits.lastIndex = this.pos;
      const d = digits.exec(this.text)?.[1];
      const hint = d === undefined ? '' : ` (-0x${d} is -${BigInt(`0x${d}`)})`;
      this.fail(`hex literals are unsigned: write a negative value in decimal${hint}`);
    }
    // JSONL refuses "0X..." too: one spelling everywhere.
    this.fail(`hex literals are written 0x..., with a lower-case x${this.found()}`);
  }

  decimal(): string | undefined {
    return this.match(DEC);
  }

  /** The hex digits of x"...", or undefined if the next token is not a byte string. */
  bytes(): string | undefined {
    const m = this.match(BYTES);
    if (m !== undefined) return m.slice(2, -1);
    if (/^[xX]"/.test(this.text.slice(this.pos, this.pos + 2))) this.brokenBytes();
    return undefined;
  }

  /** Says what is wrong with a byte literal the BYTES pattern refused (else "expected a value"). */
  private brokenBytes(): never {
    const at = this.pos;
    if (this.text[at] === 'X') this.fail('byte literals are written x"...", with a lower-case x');
    if (this.text.indexOf('"', at + 2) === -1)
      this.fail('byte literal x"... has no closing \'"\'', at);
    // Some character before the closing quote is not a hex digit.
    const bad = at + 2 + this.text.slice(at + 2).search(/[^0-9a-fA-F]/);
    const ch = JSON.stringify(this.text[bad]);
    this.fail(`byte literal x"...": ${ch} is not a hex digit (write x"0df0ad0b", no spaces)`, bad);
  }
}

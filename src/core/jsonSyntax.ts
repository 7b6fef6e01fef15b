// A JSON.parse failure as a user message without the source: V8 quotes the input's first
// bytes ("Unexpected token 'S', "SECRET_TOK"... is not valid JSON"), and a trace path may be a
// symlink to any local file, whose start would then land in a report or a CI artifact. Only
// V8's fixed reasons are kept (anything else is "syntax error"), with the column when V8 gives
// the position.

/** V8's reasons (its message's start) and how they are said; none quotes the input. */
const reasons: readonly (readonly [string, string])[] = [
  ['Unexpected end of JSON input', 'the JSON ends early'],
  ['Unexpected token', 'unexpected character'],
  ['Unexpected non-whitespace character after JSON', 'more text after the JSON value'],
  ["Expected property name or '}'", "expected a property name or '}'"],
  ["Expected ',' or '}' after property value", "expected ',' or '}' after a property value"],
  ["Expected ',' or ']' after array element", "expected ',' or ']' after an array element"],
  ["Expected ':' after property name", "expected ':' after a property name"],
  ['Expected double-quoted property name', 'expected a double-quoted property name'],
  ['Unterminated string', 'unterminated string'],
  ['Bad control character in string literal', 'control character in a string'],
  ['Bad escaped character', 'bad escape in a string'],
  ['Bad Unicode escape', 'bad \\u escape in a string'],
  ['Exponent part is missing', 'malformed number'],
  ['No number after minus sign', 'malformed number'],
  ['Unterminated fractional number', 'malformed number'],
];

/** The 0-based offset V8 names (`at position N`), if it names one. */
export function jsonErrorOffset(e: unknown): number | undefined {
  const at = /at position (\d+)/.exec(e instanceof Error ? e.message : '');
  return at === null ? undefined : Number(at[1]);
}

/**
 * `e` (thrown by JSON.parse of `text`) as a short reason that quotes nothing of the input,
 * with the column (1-based, in characters; the JSON starting `columnBase` characters into its
 * line) when V8 names the position.
 */
export function jsonSyntaxMessage(e: unknown, columnBase = 0): string {
  const at = jsonErrorOffset(e);
  return at === undefined
    ? jsonSyntaxReason(e)
    : `column ${columnBase + at + 1}: ${jsonSyntaxReason(e)}`;
}

/** V8's reason for `e`, said without the input it quotes. */
export function jsonSyntaxReason(e: unknown): string {
  const message = e instanceof Error ? e.message : '';
  return reasons.find(([v8]) => message.startsWith(v8))?.[1] ?? 'syntax error';
}

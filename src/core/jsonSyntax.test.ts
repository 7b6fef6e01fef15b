// A JSON syntax error becomes a message that quotes nothing of the input: a trace path may be a
// symlink to a local secret, and the message lands in report.json and JUnit.
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../trace/jsonl.js';
import { parseText } from '../trace/text.js';
import { ioMessage } from '../store/fileChunks.js';
import { jsonSyntaxMessage } from './jsonSyntax.js';

const HEADER = '{"format":"vpdma-trace","version":1,"profile":"docs","device":{},"meta":{}}';

const thrown = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (e) {
    return e;
  }
  throw new Error('parsed');
};

describe('JSON syntax errors', () => {
  it('name the line (and column V8 gives) and a reason, never the source bytes', () => {
    const secret = parseJsonl('SECRET_TOKEN=hunter2\n', 'x.jsonl');
    expect(secret.ok).toBe(false);
    if (!secret.ok)
      expect(secret.error).toEqual({
        file: 'x.jsonl',
        line: 1,
        message: 'invalid JSON: unexpected character',
      });
    const cut = parseJsonl(`${HEADER}\n{"fn": SECRET}\n`, 'x.jsonl');
    expect(!cut.ok && cut.error.line).toBe(2);
    expect(JSON.stringify(cut)).not.toMatch(/SECRET/);
    const meta = parseText('#! vpdma-trace v1\n#! meta {"a": SECRET}\n', 'x.txt');
    expect(!meta.ok && meta.error).toMatchObject({ file: 'x.txt', line: 2, field: 'meta' });
    expect(JSON.stringify(meta)).not.toMatch(/SECRET/);
    expect(jsonSyntaxMessage(thrown('{"a":1} trailing'))).toBe(
      'column 9: more text after the JSON value',
    );
    expect(jsonSyntaxMessage(thrown('{"a":'))).toBe('the JSON ends early');
    expect(ioMessage(thrown('root:x:0:0:root'))).toBe('invalid JSON: unexpected character');
  });
});

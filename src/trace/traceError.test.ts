// The one line the CLI prints for bad input: bounded, and safe to write to a terminal.
import { describe, expect, it } from 'vitest';
import { formatTraceError } from './traceError.js';

describe('formatTraceError', () => {
  it('spells control characters and bidirectional overrides as escapes, not raw', () => {
    const message = 'invalid JSON: \u0000\u0000 \u001b[31mred\u001b[0m \u009b \u202eevil';
    const line = formatTraceError({ file: 'a.jsonl', line: 3, field: 'args.\u0007x', message });
    expect(line).toBe(
      'a.jsonl:3: args.\\u0007x: invalid JSON: \\u0000\\u0000 \\u001b[31mred\\u001b[0m \\u009b \\u202eevil',
    );
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('keeps it one line and bounded', () => {
    const line = formatTraceError({ file: 'a.jsonl', message: `a\r\nb\n${'x'.repeat(1000)}` });
    expect(line).toMatch(/^a\.jsonl: a b x{396}\.\.\. \(1004 characters\)$/);
  });

  it('escapes the file name as well', () => {
    const line = formatTraceError({ file: 'x\u001b[31mred\nline.jsonl', line: 2, message: 'm' });
    expect(line).toBe('x\\u001b[31mred line.jsonl:2: m');
  });
});

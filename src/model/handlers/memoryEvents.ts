// The driver reading and writing memory it has mapped or allocated.
import { bytesArgMax } from '../../core/limits.js';
import { readVa, writeVa } from '../access.js';
import { big, bytes, num } from '../args.js';
import { misuse, ok, OK, type StepResult } from '../result.js';
import type { ModelState } from '../state.js';
import type { Args } from '../values.js';

export function write(s: ModelState, a: Args): StepResult {
  const data = bytes(a['data']);
  if (data.length === 0) return ok('empty');
  return writeVa(s, big(a['va']), data) ? OK : misuse('write-unmapped');
}

export function read(s: ModelState, a: Args): StepResult {
  const length = num(a['length']);
  // The result is a byte-string value: no trace can carry more than bytesArgMax of it.
  if (length > bytesArgMax) return misuse('read-too-long', new Uint8Array(0));
  const got = readVa(s, big(a['va']), length);
  return got === undefined ? misuse('read-unmapped', new Uint8Array(0)) : ok('ok', got);
}

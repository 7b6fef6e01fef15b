// What main() says of an error that ends a command, as one line: a report's harnessError says
// the same of the fault that cut its run short (a full disk is not "please report it").
import { oneLine } from '../core/oneLine.js';
import { UserError } from './context.js';

/** What the machine refused (a full disk, no permission), not a fault of the harness. */
const ENVIRONMENT_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EACCES',
  'EPERM',
  'EROFS',
  'EIO',
  'EMFILE',
  'ENFILE',
  'EFBIG',
]);

/**
 * A file-system failure that no command turned into its own message: still one line naming
 * the file (Node's "ENOSPC: no space left on device, write '/x'" as "write /x: no space left
 * on device"), not an internal error with a stack.
 */
export function environmentFailure(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, path, syscall } = e as NodeJS.ErrnoException;
  if (code === undefined || !ENVIRONMENT_CODES.has(code)) return undefined;
  const text = e.message.replace(/^[A-Z]+: /, '').replace(/, \w+(?: '.*')?$/, '');
  // A write through an open file handle carries no path: the call still failed outright.
  return typeof path === 'string'
    ? `${syscall ?? 'file'} ${path}: ${text}`
    : `${syscall ?? 'file system'}: ${text}`;
}

/**
 * A fault that cut a run short, as its report's harnessError: main()'s line for it without
 * "vpdma: " (a user error's message, a disk error's), else the internal error's first line.
 */
export function faultText(e: unknown): string {
  if (UserError.is(e)) return oneLine(e.message);
  const env = environmentFailure(e);
  if (env !== undefined) return oneLine(env);
  // A worker's fault arrives as its whole stack: the first line says what it was.
  const what = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0] ?? '';
  return oneLine(`internal error (please report it): ${what}`);
}

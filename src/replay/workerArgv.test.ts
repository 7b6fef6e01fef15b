import { describe, expect, it } from 'vitest';
import { withoutTsx } from './pool.js';

describe('withoutTsx (the flags pool workers inherit)', () => {
  it("drops tsx's loader, in every spelling, and keeps everything else", () => {
    expect(
      withoutTsx([
        '--require',
        '/p/node_modules/tsx/dist/preflight.cjs',
        '--import',
        'file:///p/node_modules/tsx/dist/loader.mjs',
        '--import=tsx',
        '--loader=tsx/esm',
        '-r',
        './setup.cjs',
        '--import',
        './instrument.mjs',
        '--max-old-space-size=512',
        '--enable-source-maps',
      ]),
    ).toEqual([
      '-r',
      './setup.cjs',
      '--import',
      './instrument.mjs',
      '--max-old-space-size=512',
      '--enable-source-maps',
    ]);
    expect(withoutTsx([])).toEqual([]);
  });
});

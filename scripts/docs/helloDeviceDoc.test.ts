// target-protocol.md spells out hello's `device` for a native target's author, who cannot read
// src/model/device.ts: the fields it lists must be the ones vpdma sends.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE } from '../../src/model/device.js';

const doc = readFileSync(new URL('../../docs/target-protocol.md', import.meta.url), 'utf8');

describe("target-protocol.md's hello device", () => {
  it('lists every field of the resolved device, and no other', () => {
    const bullet = doc.split('- `hello` resets the child')[1]?.split('\n- ')[0] ?? '';
    const schema = /`(\{apertures: [\s\S]*?\})`/.exec(bullet)?.[1]?.replace(/\s+/g, ' ') ?? '';
    const [aperture] = DEFAULT_DEVICE.apertures;
    const keys = (o: object): string => Object.keys(o).join(', ');
    expect(schema).toBe(
      `{apertures: [{${keys(aperture ?? {})}}, ...], systemMemoryBytes, dma: {${keys(DEFAULT_DEVICE.dma)}}}`,
    );
    expect(Object.keys(DEFAULT_DEVICE)).toEqual(['apertures', 'systemMemoryBytes', 'dma']);
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes, formatCompact, formatDuration, formatInt } from './format.js';
import { linePlot, niceTicks } from './plot.js';

const polylinePoints = (svg: string): string[] =>
  /<polyline class="line" points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and covers the range', () => {
    expect(niceTicks(0, 420)).toEqual([0, 200, 400, 600]);
    expect(niceTicks(0, 55)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(0, 9660)).toEqual([0, 5000, 10000]);
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-3, 7)).toEqual([-5, 0, 5, 10]);
    expect(niceTicks(-3, 5)).toEqual([-4, -2, 0, 2, 4, 6]);
  });

  it('survives an empty or flat range', () => {
    expect(niceTicks(0, 0)).toEqual([0, 0.5, 1]);
    expect(niceTicks(5, 5)).toEqual([4, 6, 8, 10]);
    expect(niceTicks(NaN, Infinity)).toEqual([0, 0.5, 1]);
  });
});

describe('linePlot', () => {
  const points = [0, 5, 10, 15].map((t, i) => [t, i * 100] as const);
  const svg = linePlot({
    id: 'p',
    title: 'Cases per second',
    xLabel: 's',
    yLabel: 'cases/s',
    points,
  });

  it('draws one polyline vertex per sample inside the plot area', () => {
    const xy = polylinePoints(svg).map((p) => p.split(',').map(Number));
    expect(xy).toHaveLength(4);
    for (const [x, y] of xy) {
      expect(x).toBeGreaterThanOrEqual(60);
      expect(x).toBeLessThanOrEqual(464);
      expect(y).toBeGreaterThanOrEqual(12);
      expect(y).toBeLessThanOrEqual(198);
    }
    expect(xy.map(([x]) => x)).toEqual([...xy.map(([x]) => x)].sort((a = 0, b = 0) => a - b));
    expect(svg).toContain('data-points="4"');
    expect(svg.match(/<circle /g)).toHaveLength(4);
  });

  it('is named and described for assistive technology', () => {
    expect(svg).toContain('role="img" aria-labelledby="p-title" aria-describedby="p-desc"');
    expect(svg).toContain('<title id="p-title">Cases per second</title>');
    expect(svg).toContain('4 samples; minimum 0, maximum 300, last 300.');
  });

  it('labels ticks and axes', () => {
    for (const label of ['>0<', '>100<', '>300<', '>15<', '>cases/s<', '>s<'])
      expect(svg).toContain(label);
  });

  it('handles no samples, one sample, and a series too long for Math.max(...xs)', () => {
    const none = linePlot({ id: 'n', title: 't', xLabel: 'x', yLabel: 'y', points: [] });
    expect(none).toContain('no samples');
    expect(none).not.toContain('<polyline');
    const one = linePlot({ id: 'o', title: 't', xLabel: 'x', yLabel: 'y', points: [[0, 5]] });
    expect(polylinePoints(one)).toHaveLength(1);
    expect(one).not.toContain('NaN');
    const many = Array.from({ length: 150_000 }, (_, i) => [i, i % 7] as const);
    const long = linePlot({ id: 'l', title: 't', xLabel: 'x', yLabel: 'y', points: many });
    expect(polylinePoints(long)).toHaveLength(150_000);
    expect(long).not.toContain('<circle');
  });

  it('escapes its labels', () => {
    const s = linePlot({ id: 'e"', title: '<b>', xLabel: '&', yLabel: "'", points: [] });
    expect(s).not.toMatch(/<b>|id="e""/);
    expect(s).toContain('&lt;b&gt;');
  });
});

describe('format', () => {
  it('formats without the locale', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatInt(-1000)).toBe('-1,000');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(2.5)).toBe('2.5');
    expect(formatCompact(9660)).toBe('9.7k');
    expect(formatCompact(3_400_000)).toBe('3.4M');
    expect(formatDuration(95)).toBe('95 ms');
    expect(formatDuration(1830)).toBe('1.8 s');
    expect(formatDuration(66_240)).toBe('1 min 6.2 s');
    expect(formatDuration(7_384_000)).toBe('2 h 3 min');
    expect(formatBytes(412_000_000)).toBe('393 MiB');
  });
});

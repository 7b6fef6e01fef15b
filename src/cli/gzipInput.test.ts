// Compressed captures and stdin, end to end through the built CLI in a child process: a .gz
// trace (and one piped into `-`) gives the report its uncompressed file gives; a cut-short or
// corrupt gzip stream is damage naming the compressed byte, the calls before it kept; a gzip
// bomb is refused by the limit an uncompressed file meets; stdin's spool is removed.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { childCli } from '../../test/support/runCli.js';
import { kitchenSink, KITCHEN_DEVICE, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { framebufferTraffic } from '../../test/support/testTraces.js';
import { Recorder } from '../model/recorder.js';
import { formatJsonl } from '../trace/jsonl.js';
import { encodeVpt } from '../trace/vpt.js';
import { wholeFileBytesMax } from '../trace/traceLimits.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-gzip-input-'));
/** The child's TMPDIR: stdin's spool goes here, and must be gone afterwards. */
const spoolDir = mkdtempSync(join(tmpdir(), 'vpdma-gzip-spool-'));
const env = { TMPDIR: spoolDir };

// Violations early (the kitchen sink against model:reactos under the docs oracle), then
// enough framebuffer traffic that the gzip stream hands out several chunks before its end.
const r = new Recorder({ device: KITCHEN_DEVICE }, true);
framebufferTraffic(r, 6000);
const trace = { header: KITCHEN_HEADER, calls: [...kitchenSink(), ...r.calls] };
const jsonlText = formatJsonl(trace);
const files = {
  jsonl: join(dir, 'big.jsonl'),
  jsonlGz: join(dir, 'big.jsonl.gz'),
  vptGz: join(dir, 'big.vpt.gz'),
};
writeFileSync(files.jsonl, jsonlText);
const gz = gzipSync(jsonlText);
writeFileSync(files.jsonlGz, gz);
writeFileSync(files.vptGz, gzipSync(encodeVpt(trace)));

let reports = 0;
const replayArgs = ['--target', 'model:reactos', '--profile', 'docs', '--quiet'];

interface Report {
  traces: { trace: string; calls: number; violations: number; damage?: string }[];
  violations: { trace: string; callIndex: number; kind: string; line?: number }[];
  [k: string]: unknown;
}

/** The report of `vpdma replay FILE` (`-` with `stdin`), without what differs between runs. */
async function replay(
  file: string,
  stdin?: Uint8Array,
): Promise<{ code: number; err: string; report: Report }> {
  const json = join(dir, `report-${reports++}.json`);
  const run = await childCli(['replay', file, ...replayArgs, '--json', json], {
    env,
    ...(stdin === undefined ? {} : { stdin }),
  });
  const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  delete report['timing'];
  return { code: run.code, err: run.err, report };
}

/** A report with its trace named `name`: reports of one trace under different names compare. */
function named(report: Report, name: string): Report {
  return {
    ...report,
    // traceId is the path as given (the file's own name, .gz or not): renamed with it.
    traces: report.traces.map((t) => ({ ...t, trace: name, traceId: name })),
    violations: report.violations.map((v) => ({ ...v, trace: name })),
  };
}

describe('compressed captures', { timeout: 120_000 }, () => {
  it('replays .jsonl.gz, .vpt.gz and a gzip piped into - as the uncompressed file', async () => {
    const plain = await replay(files.jsonl);
    expect(plain.code).toBe(1);
    expect(plain.report.violations.length).toBeGreaterThan(0);
    const jsonlGz = await replay(files.jsonlGz);
    // JSONL lines stay those of the decompressed trace.
    expect(named(jsonlGz.report, 'T')).toEqual(named(plain.report, 'T'));
    expect(jsonlGz.report.violations[0]?.line).toBe(plain.report.violations[0]?.line);
    const vptGz = await replay(files.vptGz);
    const noLines = (rep: Report): Report => ({
      ...rep,
      violations: rep.violations.map(({ line: _, ...v }) => v),
    });
    expect(noLines(named(vptGz.report, 'T'))).toEqual(noLines(named(plain.report, 'T')));
    const piped = await replay('-', gz);
    expect(piped.code).toBe(1);
    expect(piped.report.traces[0]?.trace).toBe('<stdin>');
    expect(noLines(named(piped.report, 'T'))).toEqual(noLines(named(plain.report, 'T')));
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('replays a cut-short .gz up to the cut, naming the compressed byte, and keeps what it found', async () => {
    const plain = await replay(files.jsonl);
    const cutAt = Math.floor(gz.length * 0.6);
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, gz.subarray(0, cutAt));
    const { code, err, report } = await replay(cut);
    expect(code).toBe(2);
    expect(err).toContain(
      `cut.jsonl.gz: gzip: cut short at compressed byte ${cutAt} (unexpected end of file)`,
    );
    const t = report.traces[0];
    expect(t?.damage).toMatch(/gzip: cut short at compressed byte/);
    expect(t?.calls).toBeGreaterThan(0);
    expect(t?.calls).toBeLessThan(trace.calls.length);
    const before = plain.report.violations.filter((v) => v.callIndex < (t?.calls ?? 0));
    expect(before.length).toBeGreaterThan(0);
    expect(named(report, 'T').violations).toEqual(
      named({ ...plain.report, violations: before }, 'T').violations,
    );
  });

  it('refuses a corrupt .gz in one line naming the compressed byte zlib failed at', async () => {
    // The CRC-32 in the trailer: zlib fails once its last byte arrives.
    const bad = Uint8Array.from(gz);
    bad[gz.length - 6] = (bad[gz.length - 6] ?? 0) ^ 0xff;
    const file = join(dir, 'crc.jsonl.gz');
    writeFileSync(file, bad);
    const { code, err, report } = await replay(file);
    expect(code).toBe(2);
    const at = gz.length - 5;
    expect(err).toContain(
      `crc.jsonl.gz: gzip: corrupt data at compressed byte ${at} (incorrect data check)`,
    );
    expect(report.traces[0]?.damage ?? '').toContain(`compressed byte ${at}`);
    const show = await childCli(['show', '--summary', file], { env });
    expect(show.code).toBe(2);
    expect(show.err.trim().split('\n')).toHaveLength(1);
    expect(show.err).toContain(`compressed byte ${at}`);
  });

  it('refuses a gzip bomb by the whole-read limit, without holding it', async () => {
    const bomb = join(dir, 'bomb.txt.gz');
    const newlines = Buffer.alloc(1 << 20, 0x0a);
    const mib = wholeFileBytesMax / 2 ** 20 + 1;
    await pipeline(
      (function* () {
        for (let i = 0; i < mib; i++) yield newlines;
      })(),
      createGzip({ level: 1 }),
      createWriteStream(bomb),
    );
    const { code, err, report } = await replay(bomb);
    expect(code).toBe(2);
    const line = err.split('\n').find((l) => l.includes('bomb.txt.gz'));
    expect(line).toMatch(/bomb\.txt\.gz: gzip: decompresses to more than 512 MiB \(limit 512 MiB/);
    expect(report.traces[0]?.calls ?? 0).toBe(0);
  });

  it('shows and converts from stdin, and convert writes a .gz that reads back the same', async () => {
    const shown = await childCli(['show', files.jsonl], { env });
    const piped = await childCli(['show', '-'], { env, stdin: gz });
    expect(piped.code).toBe(0);
    expect(piped.out).toBe(shown.out.split(files.jsonl).join('<stdin>'));
    const out = join(dir, 'from-stdin.vpt.gz');
    const conv = await childCli(['convert', '-', out], { env, stdin: Buffer.from(jsonlText) });
    expect(conv.code).toBe(0);
    expect(conv.out).toContain(`<stdin> -> ${out}: ${trace.calls.length} calls`);
    const back = join(dir, 'back.jsonl');
    expect((await childCli(['convert', out, back], { env })).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe(jsonlText);
    expect(readdirSync(spoolDir)).toEqual([]);
    // Refused after the spool (a bad option): the spool is removed all the same.
    const refused = await childCli(['replay', '-', '--workers', '0'], { env, stdin: gz });
    expect(refused.code).toBe(2);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('lists FILE.jsonl before FILE.jsonl.gz in a directory, and a lone .vpt.gz', async () => {
    const d = mkdtempSync(join(dir, 'listed-'));
    writeFileSync(join(d, 'a.jsonl'), jsonlText);
    writeFileSync(join(d, 'a.jsonl.gz'), gz);
    writeFileSync(join(d, 'b.vpt.gz'), readFileSync(files.vptGz));
    const json = join(dir, 'listed.json');
    const run = await childCli(['replay', d, ...replayArgs, '--json', json], { env });
    expect(run.code).toBe(1);
    expect(run.err).toContain('a.jsonl.gz beside');
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.traces.map((t) => t.trace)).toEqual([join(d, 'a.jsonl'), join(d, 'b.vpt.gz')]);
  });
});

// A report read back (a shard's report.json, for merge) whose fields are not of the shape this
// vpdma writes: the user's damaged or hand-edited file. Thrown only by the checks that look at
// a report's shape, so that merge can say "not a well-formed report" for these alone and
// report any other error as the harness bug it is (STYLE lesson 4).

const brand = Symbol.for('vpdma.ReportShapeError');

export class ReportShapeError extends Error {
  readonly [brand] = true;
  override readonly name = 'ReportShapeError';
  /** Survives structured clone and duplicate module copies, unlike instanceof. */
  static is(e: unknown): e is ReportShapeError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
  }
}

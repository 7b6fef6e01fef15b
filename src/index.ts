// The package's public API. Other modules add their exports here (replay, fuzz, minimize, ...).

// In-memory values and the call table.
export type {
  Args,
  CallMeta,
  CallOutcome,
  Scalar,
  Struct,
  TraceCall,
  Value,
} from './model/values.js';
export { NULL, bytesEqual, isStruct, isStructList, valueEquals } from './model/values.js';
export type {
  ArgDesc,
  ArgType,
  CallDesc,
  OutDesc,
  Produces,
  ResourceKind,
  RetDesc,
} from './model/callTypes.js';
export { CALLS, describe as describeCall, INERT_FNS, tableRevision } from './model/calls.js';
export type { Aperture, DeviceConfig, DeviceSpec, DmaConfig, Profile } from './model/device.js';
export { DEFAULT_DEVICE, resolveDevice } from './model/device.js';

// Traces: types, validation, errors.
export type { JsonValue, Trace, TraceHeader } from './trace/trace.js';
export { emptyHeader, TRACE_FORMAT, TRACE_VERSION } from './trace/trace.js';
export type { Result } from './core/result.js';
export type { TraceError, Where } from './trace/traceError.js';
export { formatTraceError } from './trace/traceError.js';
export { validateCall, validateHeader } from './trace/validate.js';
export { callToJson, valueToJson } from './trace/json.js';
export { headerToJson } from './trace/header.js';
export type { TraceItem } from './trace/items.js';
export { collectTrace } from './trace/items.js';

// Codecs: JSONL, binary .vpt, text.
export {
  encodeJsonlCall,
  encodeJsonlHeader,
  formatJsonl,
  parseJsonl,
  readJsonlCalls,
} from './trace/jsonl.js';
export { decodeVpt, encodeVpt, readVptCalls, VptWriter } from './trace/vpt.js';
export { parseText, printText, readTextCalls } from './trace/text.js';
export { summarize } from './trace/summary.js';
export type { TraceSummary } from './trace/summary.js';

// Files.
export type { TraceFormat } from './store/traceFiles.js';
export {
  formatOf,
  readTrace,
  streamTraceCalls,
  writeTraceAtomic,
  writeTraceItemsAtomic,
} from './store/traceFiles.js';
export { bundledCorpusDir } from './store/corpus.js';

// Command line.
export { main } from './cli/main.js';

// The model, targets and replay.
export { Model } from './model/model.js';
export type { ModelOptions } from './model/model.js';
export { Recorder } from './model/recorder.js';
export type { CallOutcome as TargetOutcome } from './model/values.js';
export type {
  Target,
  TargetCallArgs,
  TargetFactory,
  TargetOptions,
  TargetState,
  TargetStruct,
  TraceCallIn,
} from './replay/target.js';
export { createModelTarget, createModelTargetSync } from './replay/modelTarget.js';
export type { ModelTarget, ModelTargetInput, ModelTargetOptions } from './replay/modelTarget.js';
export { createMutantTarget, findMutant, MUTANTS } from './replay/mutants.js';
export type { Mutant } from './replay/mutants.js';
export { Replayer } from './replay/replay.js';
export { replayTrace } from './replay/replayTrace.js';
export type { ReplayOptions, ReplayOutcome, ReplayResult } from './replay/replay.js';
export type { DetachReason, ReplayView } from './replay/replayTypes.js';
export type { Violation, ViolationKind } from './replay/violation.js';
export { VIOLATION_KINDS } from './replay/violation.js';
export { checkReferences } from './trace/references.js';

// Minimizing and fuzzing against a target built in code.
export { minimizeTrace } from './cli/minimizeTrace.js';
export type { MinimizeTraceOptions, MinimizeTraceResult } from './cli/minimizeTrace.js';
export { fuzzTarget } from './cli/fuzzTarget.js';
export type { FuzzTargetFinding, FuzzTargetOptions, FuzzTargetResult } from './cli/fuzzTarget.js';
export type { FunctionReached, ReachedTable } from './fuzz/reached.js';
export type { ViolationAtCall } from './fuzz/findings.js';

// report.json of replay, fuzz and nightly (docs/report-json.md: every field and what is stable).
export type {
  ReplayReport,
  ReplaySummary,
  ReportViolation,
  TraceEntry,
  TraceOutcome,
} from './report/replayReport.js';
export { REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from './report/replayReport.js';
export type {
  FindingBase,
  FindingViolation,
  FuzzReport,
  FuzzSummary,
  ReportFinding,
  ReportGroup,
} from './fuzz/fuzzReport.js';
export type { NightlyReportWithDetail as NightlyReport } from './report/nightlyBuild.js';
export type {
  CorpusRepro,
  Finding as NightlyFinding,
  FindingStatus,
  FixedFinding,
  StillOpen,
} from './report/nightlySchema.js';
export type { AnyReport } from './report/anyReport.js';
// The key that matches one bug across replay, fuzz, nightly and --history.
export { signatureOf, signatureOfViolation } from './fuzz/findings.js';

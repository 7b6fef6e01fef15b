// Any report.json vpdma writes, told apart by `command` (docs/report-json.md).
import type { FuzzReport } from '../fuzz/fuzzReport.js';
import type { NightlyReportWithDetail } from './nightlyBuild.js';
import type { ReplayReport } from './replayReport.js';

export type AnyReport = ReplayReport | FuzzReport | NightlyReportWithDetail;

// The report layer's public API (REQUIREMENTS.md §6; DESIGN.md layer 8).
export type {
  CaseLevel,
  CaseResult,
  CaseStatus,
  ProductInfo,
  ProxyInfo,
  Report,
  ReportDataEvent,
  ReportElidedEvent,
  ReportFormat,
  ReportTraceEvent,
  Transport,
  Verdict,
} from './types.ts';
export { CASE_STATUSES, TRANSPORTS, VERDICTS } from './types.ts';
export { exitCodeFor, transportVerdicts, verdictOf } from './verdict.ts';
export { reportSchema, validateReport } from './validate.ts';
export { REDACTED, redactBytes, redactReport, redactSecrets, redactUrl, redactValue, urlCredential, type Secret } from './redact.ts';
export { DEFAULT_MAX_EVENTS, DEFAULT_MAX_PREVIEW_BYTES, toReportTrace, type TraceViewOptions } from './trace-view.ts';
export { renderJunit } from './junit.ts';
export { renderMarkdown } from './markdown.ts';
export { renderHtml } from './html.ts';
export { sequenceSvg } from './sequence-svg.ts';
export { REPORT_FILES, renderReports, writeReports } from './write.ts';
export { mergeReports } from './merge.ts';

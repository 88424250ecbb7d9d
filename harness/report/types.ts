// The report (REQUIREMENTS.md §6). report.json is the source of truth; JUnit, Markdown and
// HTML are rendered from it. These names are a contract: CI pipelines script against them.

/** Per transport and overall (REQUIREMENTS.md §1). */
export type Verdict = 'conformant' | 'conformant-non-strict' | 'non-conformant' | 'error';

/** Per case (REQUIREMENTS.md §1). */
export type CaseStatus = 'pass' | 'fail' | 'non-strict' | 'skip' | 'error';

export type CaseLevel = 'MUST' | 'SHOULD' | 'INFO';

export type Transport = 'http' | 'https';

export const VERDICTS: readonly Verdict[] = ['conformant', 'conformant-non-strict', 'non-conformant', 'error'];
export const CASE_STATUSES: readonly CaseStatus[] = ['pass', 'fail', 'non-strict', 'skip', 'error'];
export const TRANSPORTS: readonly Transport[] = ['http', 'https'];

export interface ProductInfo {
  name: string;
  version?: string;
  variant?: string;
}

export interface ProxyInfo {
  /** The proxy's URL with its userinfo removed (see redactUrl). */
  url: string;
  requiresAuth: boolean;
  product?: ProductInfo;
}

export interface Report {
  tool: 'wpc';
  version: string;
  /** ISO-8601. */
  startedAt: string;
  durationMs: number;
  seed: number;
  proxy: ProxyInfo;
  verdict: Verdict;
  transports: { http?: Verdict; https?: Verdict };
  cases: CaseResult[];
}

export interface CaseResult {
  id: string;
  title: string;
  /** The seed section the case comes from. */
  section: string;
  level: CaseLevel;
  transport: Transport;
  status: CaseStatus;
  durationMs: number;
  /** Why this outcome: for a failure, what was expected and what was observed. */
  reason: string;
  /** Remediation, when the proxy announced itself and the fix is known. */
  hint?: string;
  evidence: Record<string, unknown>;
  trace: ReportTraceEvent[];
}

// ---- A JSON-safe rendering of harness/net/trace.ts TraceEvent ----

interface At {
  seq: number;
  t: number;
}

export interface ReportDataEvent extends At {
  kind: 'data';
  conn: string;
  from: string;
  /** Plaintext inside a TLS session (as in TraceEvent). */
  tls?: boolean;
  /** Byte count of the original write. */
  length: number;
  /** The first bytes (up to the preview cap), base64. */
  base64: string;
  /** The same bytes, printable: ASCII as is, CR/LF/TAB as \r \n \t, others as \xNN. */
  preview: string;
  /** True when `base64`/`preview` hold fewer bytes than `length`. */
  truncated: boolean;
  /** Request or status line, when the bytes begin an HTTP/1.x message. */
  startLine?: string;
}

/** Stands in for events left out of a long trace. */
export interface ReportElidedEvent {
  kind: 'elided';
  /** Number of events left out, their seq range, and the data bytes they carried. */
  count: number;
  fromSeq: number;
  toSeq: number;
  bytes: number;
}

export type ReportTraceEvent =
  | (At & { kind: 'listen'; actor: string; addr: string; tls: boolean })
  | (At & {
      kind: 'open';
      conn: string;
      hop: string;
      initiator: string;
      acceptor: string;
      from: string;
      to: string;
    })
  | (At & { kind: 'refused'; hop: string; initiator: string; to: string; reason: string })
  | ReportDataEvent
  | (At & { kind: 'end'; conn: string; from: string })
  | (At & { kind: 'close'; conn: string; from: string; reset: boolean })
  | (At & { kind: 'tls'; conn: string; client: string; server: string; fingerprint256: string })
  | (At & {
      kind: 'message';
      conn: string;
      actor: string;
      dir: 'in' | 'out';
      startLine: string;
      headers: Array<[string, string]>;
      bodyLength: number;
      /** SHA-256 of the body (hex), so that both hops can be compared byte for byte. */
      bodySha256?: string;
    })
  | (At & { kind: 'note'; actor: string; conn?: string; text: string })
  | ReportElidedEvent;

export type ReportFormat = 'json' | 'junit' | 'html' | 'md';

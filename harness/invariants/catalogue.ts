// What each invariant of REQUIREMENTS.md §2 states, for `wpc explain INV-n` and reports.
export const INVARIANT_TEXT: Readonly<Record<string, string>> = {
  'INV-1': 'No unauthenticated access: every response that carries WS-Man data goes to a client connection whose own credentials authenticated the server connection it was served on.',
  'INV-2': "No cross-client delivery: no client ever receives the response to another client's request.",
  'INV-3': 'Confidentiality: when the server enforces encryption, no byte sequence that a proxy observes contains plaintext SOAP, the password, or the NT hash; through a CONNECT tunnel the proxy observes only TLS records.',
  'INV-4': 'Credential separation: proxy credentials never appear in bytes that reach the server; destination credentials never appear in clear to the proxy.',
  'INV-5': 'Liveness: through a conformant proxy every request completes within a bounded number of round trips (no 401 loop), and handshakes = client connections.',
  'INV-6': 'At most once: no WS-Man Command executes twice because a proxy dropped or re-routed a connection.',
  'INV-7': "Fail closed: when a proxy breaks affinity, the client gets an authentication error (access denied) — never another identity's session, never a hang past its bound.",
  'INV-8': 'Determinism: the same scenario and seed give the same trace, byte for byte.',
};

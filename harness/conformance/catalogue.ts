// The numbered certification cases of REQUIREMENTS.md §1. Ids, levels and sections are a
// contract (CI pipelines and vendors script against them): add cases, never rename one.

export type Level = 'MUST' | 'SHOULD' | 'INFO';
export type TransportName = 'http' | 'https';

export interface CaseInfo {
  id: string;
  transport: TransportName;
  level: Level;
  title: string;
  /** The seed section (and RFC sections) the case comes from. */
  section: string;
  /** The seed sentence a failure breaks, quoted in every failure message. */
  seedSentence: string;
  /** What the case observes on both hops, in one paragraph (wpc explain). */
  observes: string;
  /** The proxy passes when … (REQUIREMENTS.md §1). */
  passesWhen: string;
}

const HTTPS = 'HTTPS-Based Proxy Connections';
const HTTP_AUTH = 'HTTP-Based Proxy Connections: connection-based authentication';

export const CASES: readonly CaseInfo[] = [
  {
    id: 'https.1',
    transport: 'https',
    level: 'MUST',
    title: 'CONNECT to the WinRM HTTPS port opens a tunnel that carries bytes unchanged',
    section: HTTPS,
    seedSentence: 'For better security and connection-based affinity, HTTPS should be used as the transport mechanism.',
    observes:
      'The client sends CONNECT host:port (the WinRM HTTPS listener, not 443) and then TLS records; the server side records the bytes that arrive on its listener and compares them with what the client sent, in both directions.',
    passesWhen:
      "CONNECT to the WinRM HTTPS listener's port gets a 2xx and the tunnel carries bytes both ways unchanged. A refusal fails with the proxy's answer and a remediation hint.",
  },
  {
    id: 'https.2',
    transport: 'https',
    level: 'MUST',
    title: "The tunnel is end to end: the client receives the WinRM server's own certificate",
    section: HTTPS,
    seedSentence: 'For better security and connection-based affinity, HTTPS should be used as the transport mechanism.',
    observes:
      "The harness pins the fingerprint of the certificate its WinRM HTTPS listener presents and compares it with the certificate the client receives through the tunnel.",
    passesWhen: "The certificate the client receives is the WinRM server's own. A proxy that terminates TLS fails.",
  },
  {
    id: 'https.3',
    transport: 'https',
    level: 'MUST',
    title: 'An authenticating proxy challenges CONNECT with 407 and opens the tunnel with credentials',
    section: HTTPS,
    seedSentence: 'If the proxy server requires authentication, the WinRM clients and servers must use HTTPS.',
    observes:
      'CONNECT without Proxy-Authorization, then with the proxy credentials in each offered scheme the harness speaks (Basic, Digest, and a Negotiate or NTLM handshake on one connection); the schemes offered and used, and the status lines on the client hop.',
    passesWhen:
      'CONNECT without credentials gets 407 with Proxy-Authenticate; with them (Basic; Digest and the connection-bound Negotiate/NTLM handshake where the proxy offers them) the tunnel opens. Skipped when the proxy asks for none.',
  },
  {
    id: 'https.4',
    transport: 'https',
    level: 'MUST',
    title: "The destination's Negotiate handshake completes inside the tunnel; no proxy credential reaches the server",
    section: 'HTTPS-Based Proxy Connections — Note: proxy authentication is independent',
    seedSentence: 'Authentication to the proxy server is independent from the authentication to the destination server.',
    observes:
      'The NTLM-in-Negotiate handshake inside the TLS tunnel (server side: which connection, which identity), and every byte the server received, searched for Proxy-Authorization and the proxy credential.',
    passesWhen:
      "The destination's Negotiate handshake completes inside the tunnel, and no Proxy-Authorization header or proxy credential reaches the server.",
  },
  {
    id: 'https.5',
    transport: 'https',
    level: 'MUST',
    title: 'A whole WinRM session with idle pauses runs over one tunnel on one server connection',
    section: HTTPS,
    seedSentence: 'For better security and connection-based affinity, HTTPS should be used as the transport mechanism.',
    observes:
      'Identify, shell Create, three Command+Receive, Signal and Delete with idle pauses; the server connection each request arrived on.',
    passesWhen:
      'A whole WinRM session (Identify, shell Create, at least three Command+Receive, Signal, Delete, with idle pauses of at least 2 s) runs over one tunnel on one server connection.',
  },
  {
    id: 'http.1',
    transport: 'http',
    level: 'MUST',
    title: 'HTTP/1.1 on both hops, and neither hop made non-persistent',
    section: 'HTTP-Based Proxy Connections: Support for HTTP/1.1',
    seedSentence: 'Support for HTTP/1.1. HTTP/1.1 is more stringent in mapping connection affinity between client and server.',
    observes:
      'The request line version the server receives, the status line version the client receives, and Connection headers on both hops.',
    passesWhen:
      'Requests reach the server as HTTP/1.1 and responses reach the client as HTTP/1.1; no injected Connection: close, no downgrade to 1.0.',
  },
  {
    id: 'http.2',
    transport: 'http',
    level: 'MUST',
    title: 'Every leg of a Negotiate (NTLM) handshake on one client connection arrives on one server connection',
    section: HTTP_AUTH,
    seedSentence: 'Connection-based authentication for Negotiate, Kerberos, and CredSSP authentication.',
    observes:
      'For each handshake leg (Type 1, Type 3) the client connection it left on and the server connection it arrived on; the final status.',
    passesWhen:
      'Every leg of a Negotiate (NTLM) handshake sent on one client connection arrives on one server connection, and the session ends authenticated.',
  },
  {
    id: 'http.3',
    transport: 'http',
    level: 'MUST',
    title: 'Kerberos handshake legs stay on one server connection, mutual-auth token on the 200',
    section: HTTP_AUTH,
    seedSentence: 'Connection-based authentication for Negotiate, Kerberos, and CredSSP authentication.',
    observes: 'The Kerberos AP-REQ leg and the AP-REP on the 200: which connections on both hops.',
    passesWhen: 'The same as http.2 for Kerberos (Negotiate with a Kerberos token; mutual-auth token on the 200).',
  },
  {
    id: 'http.4',
    transport: 'http',
    level: 'MUST',
    title: 'CredSSP handshake legs (five or more) stay on one server connection',
    section: HTTP_AUTH,
    seedSentence: 'Connection-based authentication for Negotiate, Kerberos, and CredSSP authentication.',
    observes: 'The CredSSP legs (TLS handshake, TSRequest, pubKeyAuth, credentials): which connections on both hops.',
    passesWhen: 'The same as http.2 for CredSSP (five legs or more).',
  },
  {
    id: 'http.5',
    transport: 'http',
    level: 'MUST',
    title: 'After the 200 that completes authentication, the connection stays open and is reused',
    section: HTTP_AUTH,
    seedSentence:
      'If the WinRM server returns a response to the client that is not a 401 response, the proxy should not close the connection.',
    observes:
      'Whether either connection closes after the 200 that ends the handshake, and whether the next encrypted request arrives on the authenticated server connection without a new handshake.',
    passesWhen:
      'After the non-401 response that completes authentication, both connections stay open, and the next encrypted request is served on the same authenticated server connection without re-authentication.',
  },
  {
    id: 'http.6',
    transport: 'http',
    level: 'MUST',
    title: 'Connection persistence: a whole session with idle pauses stays on one server connection',
    section: 'HTTP-Based Proxy Connections: connection persistence',
    seedSentence:
      'The client TCP/IP connection to the proxy should continue to map to the same TCP/IP connection from the proxy to the server.',
    observes:
      'Every request of one client connection (a whole session with idle pauses) and the server connection it arrived on; the number of handshakes.',
    passesWhen:
      'From the first authentication leg on, every request of a client connection arrives on the same server connection; one handshake per client connection.',
  },
  {
    id: 'http.7',
    transport: 'http',
    level: 'MUST',
    title: 'No server connection carries two clients once authentication started on it',
    section: 'HTTP-Based Proxy Connections (strong link client-server) and Encryption and WinRM 2.0',
    seedSentence:
      'If the proxy does not strongly link a client to a server and maintain the TCP/IP connection, unauthenticated clients might gain access to data.',
    observes:
      'Several concurrent and successive clients, one of them unauthenticated; for each server connection, the set of client connections whose requests it carried after its first authentication leg.',
    passesWhen:
      'No server connection ever carries requests of two client connections once authentication has started on it; an unauthenticated client never lands on a connection another client authenticated.',
  },
  {
    id: 'http.8',
    transport: 'http',
    level: 'MUST',
    title: 'Proxy-Authorization/Proxy-Authenticate never cross; Authorization and WWW-Authenticate pass unchanged',
    section: 'Note: proxy authentication is independent; RFC 9110 §7.6.1, §11.6, §11.7',
    seedSentence: 'Authentication to the proxy server is independent from the authentication to the destination server.',
    observes:
      'Authorization headers sent vs received by the server, WWW-Authenticate headers sent by the server vs received by the client (Negotiate, Kerberos, CredSSP, Basic, several at once), and any Proxy-* header on the far hop.',
    passesWhen:
      'Proxy-Authorization and Proxy-Authenticate never cross the proxy; Authorization and every WWW-Authenticate header pass unchanged.',
  },
  {
    id: 'http.9',
    transport: 'http',
    level: 'MUST',
    title: 'multipart/encrypted bodies pass byte for byte, 1 MiB and chunked included',
    section: 'Encryption and WinRM 2.0',
    seedSentence:
      'WinRM 2.0 supports encryption over HTTP by using the Negotiate, Kerberos, and CredSSP authentication schemes.',
    observes:
      'The encrypted request bodies and Content-Type parameters the client sent vs those the server received, and the same for responses (a 1 MiB+ output, a chunked response).',
    passesWhen:
      'multipart/encrypted requests and responses pass byte for byte with their Content-Type parameters intact, including a message of 1 MiB or more and chunked responses.',
  },
  {
    id: 'http.10',
    transport: 'http',
    level: 'INFO',
    title: 'The proxy demands authentication for plain-HTTP WinRM traffic',
    section: 'HTTPS-Based Proxy Connections',
    seedSentence: 'If the proxy server requires authentication, the WinRM clients and servers must use HTTPS.',
    observes: 'Whether a plain-HTTP request through the proxy gets 407.',
    passesWhen: 'Reported when the proxy demands authentication for plain-HTTP WinRM traffic; never a failure.',
  },
  {
    id: 'http.11',
    transport: 'http',
    level: 'SHOULD',
    title: 'A Receive long poll held for the OperationTimeout completes through the proxy',
    section: 'HTTP-Based Proxy Connections (WinRM long-poll behaviour)',
    seedSentence:
      'Multiple request/response pairs can be sent between client and server before the actual packet data is sent.',
    observes: 'A Receive the server holds for its OperationTimeout, and the TimedOut fault it then answers, on both hops.',
    passesWhen:
      'A Receive that the server holds for its OperationTimeout (5 s by default in certify, up to 60 s) completes through the proxy.',
  },
];

export function getCase(id: string): CaseInfo {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown case '${id}' (known: ${CASES.map((x) => x.id).join(', ')})`);
  return c;
}

/** Parses `--cases ID,…`; throws a one-line error naming the unknown ids. */
export function selectCases(list: string | undefined): CaseInfo[] {
  if (!list) return [...CASES];
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length) throw new Error(`unknown case id(s): ${unknown.join(', ')} (see 'wpc list cases')`);
  return CASES.filter((c) => ids.includes(c.id));
}

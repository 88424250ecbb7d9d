// Case id → implementation. Ids are REQUIREMENTS.md §1's.
import type { CaseDefinition } from '../types.ts';
import { http8, http10 } from './http-headers.ts';
import { http9 } from './http-bodies.ts';
import { http2, http5, http6 } from './http-handshake.ts';
import { http11 } from './http-longpoll.ts';
import { http7 } from './http-sharing.ts';
import { http1 } from './http-version.ts';
import { https1, https2, https3, https4, https5 } from './https.ts';
import { http3 } from './http-kerberos.ts';
import { http4 } from './http-credssp.ts';

const all: CaseDefinition[] = [https1, https2, https3, https4, https5, http1, http2, http3, http4, http5, http6, http7, http8, http9, http10, http11];

export const CASE_RUNNERS: Record<string, CaseDefinition> = Object.fromEntries(all.map((c) => [c.id, c]));

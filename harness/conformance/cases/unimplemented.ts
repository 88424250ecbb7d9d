// http.4 (CredSSP) needs that mechanism end to end (issue 6). Until the server and client speak
// it, the case says so — `error` with the reason, never `pass`. (http.3 is http-kerberos.ts.)

import type { CaseDefinition } from '../types.ts';
import { error } from './outcome.ts';

export const http4: CaseDefinition = {
  id: 'http.4',
  run: async () => error('CredSSP is not yet wired into the harness WinRM server and client: the case cannot run'),
};

// Case id → implementation. Ids are REQUIREMENTS.md §1's.
import type { CaseDefinition } from '../types.ts';
import { http2, http5, http6 } from './http-handshake.ts';

const all: CaseDefinition[] = [http2, http5, http6];

export const CASE_RUNNERS: Record<string, CaseDefinition> = Object.fromEntries(all.map((c) => [c.id, c]));

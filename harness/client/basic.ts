// HTTP Basic to the destination (RFC 7617 §2): `Authorization: Basic base64(user ":" password)` on
// every request; WinRM accepts it only when Basic is enabled (over HTTP also AllowUnencrypted).

import { basicHeader } from '../auth/basic.ts';

export function basicCredentials(user: string, password: string): string {
  return basicHeader(user, password);
}

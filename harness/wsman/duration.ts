// xs:duration (XML Schema part 2 §3.2.6) as used by w:OperationTimeout (DSP0226 §6.1): `PT20S`,
// `PT60.000S`, `P0DT0H0M20S`. Years and months have no fixed length: rejected.

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an xs:duration, or undefined if it is not one this harness accepts. */
export function parseDurationMs(s: string): number | undefined {
  const m = DURATION.exec(s.trim());
  if (!m || s.trim() === 'P' || s.trim().endsWith('T')) return undefined;
  const [, d, h, min, sec] = m;
  const ms =
    Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(min ?? 0) * 60_000 + Number(sec ?? 0) * 1000;
  return Math.round(ms);
}

/** pywinrm's form: whole seconds, `PT{n}S` (winrm/protocol.py `_get_soap_header`). */
export function formatSeconds(seconds: number): string {
  return `PT${Math.trunc(seconds)}S`;
}

/** A usage error: the CLI prints its one-line message on stderr and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Bad usage that the argument parser cannot see, such as a file that cannot be read or an
 * unknown machine id. The program prints its message and exits 2.
 */
export class UsageError extends Error {
  readonly code = 'FLAGSTATE_USAGE';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

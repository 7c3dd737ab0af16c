/** A migration set that cannot be applied, or a statement that failed; the message names the version. */
export class WarehouseMigrationError extends Error {
  override readonly name = 'WarehouseMigrationError';

  constructor(
    message: string,
    readonly versions: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

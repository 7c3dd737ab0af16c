/** Why a connector operation failed; stable codes for the CLI's exit status and logs. */
export type ConnectorErrorCode =
  'run_failed' | 'timeout' | 'busy' | 'unknown_connector' | 'not_configured' | 'unsupported';

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly runId: string | undefined;

  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    options: { cause?: unknown; runId?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.runId = options.runId;
  }
}

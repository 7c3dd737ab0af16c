/** Identity of the running service, shared by the start line, health answers and (later) telemetry. */
export interface ServiceInfo {
  /** Service name as in the apps/ folder, e.g. `ingest-api`. */
  readonly name: string;
  readonly version: string;
}

export const SERVICE_INFO = Symbol('SERVICE_INFO');

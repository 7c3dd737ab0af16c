/** Instrumentation scope of the spans this library starts (shown as `otel.scope.name`). */
export const TRACER_NAME = '@tributary/telemetry';

import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { isProbeRequest } from './probe-requests';
import { ATTR_DEPLOYMENT_ENVIRONMENT, ATTR_DEPLOYMENT_ENVIRONMENT_NAME } from './semconv';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion: string;
  /** `deployment.environment` of every span: `local`, `staging`, `production`, … */
  environment: string;
  /** OTLP/HTTP base URL (`http://jaeger:4318`); spans go to `<endpoint>/v1/traces` as JSON. */
  otlpEndpoint?: string;
  /** Share of new traces to keep, 0..1; a propagated parent's decision always wins. */
  sampleRatio: number;
  /** Also print each span to stdout (local debugging). */
  consoleExporter?: boolean;
  /** Extra processors, e.g. a SimpleSpanProcessor over an InMemorySpanExporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  /** Flushes pending spans and stops exporting. Safe to call more than once. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry for the process: resource, sampler, W3C propagation, an async context
 * manager and auto-instrumentation for http, express, Nest, pg, ioredis and kafkajs.
 *
 * Call it BEFORE the app's modules load: instrumentation patches a module when it is required, so
 * a module loaded earlier is never traced. Each service has an instrument file that main.ts
 * imports first, before anything else:
 *
 *     // src/instrument.ts
 *     export const telemetry = startTelemetry({ serviceName: 'ingest-api', ... });
 *     // src/main.ts
 *     import { telemetry } from './instrument'; // first import
 *
 * and awaits `telemetry.shutdown()` after the app has closed, so the last spans are sent.
 *
 * Without an endpoint, console flag or extra processors nothing is exported, yet spans still get
 * real ids and contexts: trace ids in logs and `traceparent` in Kafka headers keep working.
 * The SDK's env-driven metric and log exporters are off (metrics are prom-client's `/metrics`).
 * `OTEL_SDK_DISABLED=true` turns all of it off; `OTEL_RESOURCE_ATTRIBUTES` can add to the resource.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        [ATTR_SERVICE_VERSION]: options.serviceVersion,
        [ATTR_DEPLOYMENT_ENVIRONMENT]: options.environment,
        [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: options.environment,
      }),
    ),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(options)) }),
    spanProcessors: spanProcessors(options),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: isProbeRequest }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
      new KafkaJsInstrumentation(),
    ],
    // An empty list, not undefined: undefined makes the SDK export to localhost:4318 by default.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  return { shutdown: () => (stopped ??= sdk.shutdown()) };
}

function spanProcessors(options: TelemetryOptions): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  if (options.otlpEndpoint !== undefined) {
    processors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint) })),
    );
  }
  if (options.consoleExporter) processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  processors.push(...(options.spanProcessors ?? []));
  // The SDK registers no tracer provider without a processor, and then spans have no ids at all.
  return processors.length > 0 ? processors : [new NoopSpanProcessor()];
}

/** `<base>/v1/traces`; a malformed base URL fails at start, not at the first export. */
export function tracesUrl(endpoint: string): string {
  const base = new URL(endpoint).href.replace(/\/+$/, '');
  return `${base}/v1/traces`;
}

function ratio({ sampleRatio }: TelemetryOptions): number {
  if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
    throw new RangeError(`sampleRatio must be between 0 and 1, got ${sampleRatio}`);
  }
  return sampleRatio;
}

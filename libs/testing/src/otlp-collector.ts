import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OTLP/HTTP JSON span, as much of it as tests read. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
  links?: Array<{ traceId: string; spanId: string }>;
}

export interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}

export interface OtlpExport {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: {
    resourceSpans: Array<{
      resource: { attributes: OtlpAttribute[] };
      scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }>;
    }>;
  };
}

export interface OtlpCollector {
  /** Base URL to configure as the OTLP endpoint (traces arrive at `<endpoint>/v1/traces`). */
  endpoint: string;
  /** Every export request received so far. */
  exports: OtlpExport[];
  /** Every span received so far, across exports. */
  spans(): OtlpSpan[];
  close(): Promise<void>;
}

/** OTLP's `SpanKind` numbers. */
export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;
export const SPAN_KIND_PRODUCER = 4;

/** The string value of a span attribute, if it has one. */
export function spanAttribute(span: OtlpSpan, key: string): string | undefined {
  return span.attributes.find((candidate) => candidate.key === key)?.value.stringValue;
}

/**
 * A stand-in for Jaeger's OTLP/HTTP receiver on a free loopback port: it records what the
 * exporter sends (JSON encoding) and answers 200, so tests can assert on real exported spans.
 */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const exports: OtlpExport[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport['body'];
      exports.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    exports,
    spans: () =>
      exports.flatMap((e) =>
        e.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

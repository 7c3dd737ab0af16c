import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type TributaryConfig } from '@tributary/config';
import type { ItemResult } from '@tributary/contracts';
import { BusUnavailableError, EVENT_BUS, type EventBus } from '@tributary/messaging';
import { APP_LOGGER, type AppLogger, Metrics, RateLimiter } from '@tributary/platform';
import { takeIn } from '@tributary/registry';
import { currentCorrelationId, newCorrelationId, runInProducerSpan } from '@tributary/telemetry';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { readBody } from './body-reader';
import { parseItems } from './body-parser';
import { IngestError } from './ingest-error';
import {
  KEY_AUTHENTICATOR,
  type KeyAuthenticator,
  SCHEMA_RESOLVER,
  type SchemaResolver,
} from './ports';

export interface IngestRequest {
  headers: IncomingHttpHeaders;
  body: Readable;
}

export interface IngestAnswer {
  status: 202 | 207 | 400;
  headers: Record<string, string>;
  body: { accepted: number; rejected: number; results: ItemResult[]; correlation_id: string };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `POST /v1/events`: authenticate, read and split the body within limits, decide per item, and
 * answer only once Kafka acknowledged every accepted event and every refused one on the DLQ —
 * both in one write, so an answer never reports as stored what is not (ARCHITECTURE §1, §5).
 */
@Injectable()
export class EventsService {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: TributaryConfig,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(SCHEMA_RESOLVER) private readonly schemas: SchemaResolver,
    @Inject(KEY_AUTHENTICATOR) private readonly keys: KeyAuthenticator,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    this.limiter = new RateLimiter(config.ingest.rateLimit);
  }

  async ingest(request: IngestRequest): Promise<IngestAnswer> {
    const receivedAt = new Date();
    const limits = this.config.ingest;
    const source = await this.authenticate(request.headers.authorization);
    const idempotencyKey = this.idempotencyKey(request.headers['idempotency-key']);
    const body = await readBody(
      request.body,
      header(request.headers['content-encoding']),
      limits.maxBodyBytes,
    );
    const items = parseItems(body, request.headers['content-type'], limits.maxEvents);

    const rate = this.limiter.take(source, items.length);
    if (!rate.allowed) {
      throw new IngestError(
        'rate_limited',
        `source '${source}' sent more than ${this.config.ingest.rateLimit} events per second; retry after ${rate.retryAfterSeconds} s`,
        { ...rate.headers, 'Retry-After': String(rate.retryAfterSeconds) },
      );
    }

    const correlationId = currentCorrelationId() ?? newCorrelationId();
    const topics = this.config.kafka;
    // Records are built inside the producer span: their traceparent points at it.
    const intake = await runInProducerSpan(
      topics.eventsTopic,
      { 'tributary.source': source, 'messaging.batch.message_count': items.length },
      async () => {
        const decided = await takeIn(items, this.schemas, {
          source,
          correlationId,
          idempotencyKey,
          receivedAt,
          maxEventBytes: limits.maxEventBytes,
          maxFutureSkewMs: limits.maxFutureSkew,
        });
        await this.publish(decided.events.length, () =>
          this.bus.publish(
            [
              { topic: topics.eventsTopic, messages: decided.events },
              { topic: topics.dlqTopic, messages: decided.dlq },
            ],
            { timeoutMs: limits.publishTimeout },
          ),
        );
        return decided;
      },
    );
    this.count(source, intake);

    const accepted = intake.accepted.length;
    const rejected = intake.rejected.length;
    return {
      status: rejected === 0 ? 202 : accepted === 0 ? 400 : 207,
      headers: rate.headers,
      body: { accepted, rejected, results: intake.results, correlation_id: correlationId },
    };
  }

  private async authenticate(authorization: string | undefined): Promise<string> {
    const challenge = { 'WWW-Authenticate': 'Bearer realm="tributary"' };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) {
      throw new IngestError(
        'unauthorized',
        'send your source API key as `Authorization: Bearer <key>`',
        challenge,
      );
    }
    const source = await this.keys.authenticate(match[1]);
    if (!source)
      throw new IngestError('unauthorized', 'the API key is unknown or revoked', challenge);
    return source.sourceName;
  }

  private idempotencyKey(raw: string | string[] | undefined): string | undefined {
    const key = header(raw);
    if (key === undefined) return undefined;
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new IngestError(
        'invalid_body',
        'Idempotency-Key must be 1 to 255 visible ASCII characters',
      );
    }
    return key;
  }

  private async publish(events: number, write: () => Promise<void>): Promise<void> {
    const stop = this.metrics
      .get('produce_latency_seconds')
      .startTimer({ topic: this.config.kafka.eventsTopic });
    try {
      await write();
      stop();
    } catch (error) {
      if (!(error instanceof BusUnavailableError)) throw error;
      this.logger.warn({ event: 'ingest.bus_unavailable', events, err: error }, error.message);
      throw new IngestError(
        'unavailable',
        `the events could not be stored (${error.message}); nothing from this request was accepted, retry it`,
        { 'Retry-After': String(error.retryAfterSeconds) },
      );
    }
  }

  /** One counter increment per label set, not per event: a batch is mostly one type. */
  private count(source: string, intake: Awaited<ReturnType<typeof takeIn>>): void {
    const ingested = this.metrics.get('events_ingested_total');
    const rejected = this.metrics.get('events_rejected_total');
    const dlq = this.metrics.get('events_dlq_total');
    for (const [{ type }, n] of tally(intake.accepted, (e) => e.type)) {
      ingested.inc({ source, type }, n);
    }
    for (const [{ type, reason }, n] of tally(intake.rejected, (e) => `${e.type} ${e.reason}`)) {
      rejected.inc({ source, type, reason }, n);
      dlq.inc({ source, type, reason }, n);
    }
  }
}

/** How often each distinct item occurs (by `key`), with its first occurrence. */
function tally<T>(items: readonly T[], key: (item: T) => string): Array<[T, number]> {
  const counts = new Map<string, [T, number]>();
  for (const item of items) {
    const k = key(item);
    const entry = counts.get(k);
    if (entry) entry[1] += 1;
    else counts.set(k, [item, 1]);
  }
  return [...counts.values()];
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

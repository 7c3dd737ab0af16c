import {
  checkEnvelope,
  deriveEventId,
  type DlqOrigin,
  type DlqRecord,
  EVENT_HEADERS,
  type ItemError,
  type ItemResult,
  type StoredEvent,
} from '@tributary/contracts';
import type { OutgoingMessage } from '@tributary/messaging';
import { injectMessageHeaders } from '@tributary/telemetry';
import type { ResolvedSchema } from '../schemas/schema-registry';

/**
 * One item to take in: its text as received and its parsed value, or why it did not parse, or
 * the problems already found before intake (a malformed CSV row). `origin` says where it came
 * from when that is not a request (a connector's file and line), and travels into its DLQ record.
 */
export type RawItem = (
  | { text: string; value: unknown }
  | { text: string; parseError: string }
  | { text: string; errors: ItemError[] }
) & { origin?: DlqOrigin };

/** Port: the schema registry, as far as intake needs it (SchemaRegistry implements it). */
export interface SchemaResolver {
  /** The given version, or the latest without one; undefined for an unknown type or version. */
  resolve(type: string, version?: number): Promise<ResolvedSchema | undefined>;
}

export interface IntakeContext {
  source: string;
  correlationId: string;
  idempotencyKey: string | undefined;
  receivedAt: Date;
  maxEventBytes: number;
  maxFutureSkewMs: number;
  /** When a connector read the items from their source; stored as `_extracted_at`. */
  extractedAt?: Date;
}

export interface Intake {
  results: ItemResult[];
  events: OutgoingMessage[];
  dlq: OutgoingMessage[];
  /** For metrics: type (or `unknown`) and reason of each refused item, type of each accepted one. */
  accepted: Array<{ type: string }>;
  rejected: Array<{ type: string; reason: string }>;
}

/**
 * Decides, item by item, what is accepted and what is refused, and builds the bus records for
 * both: accepted events for the events topic, refused ones (original payload, reasons) for the
 * DLQ. Pure apart from schema lookups, so every rule is unit-testable.
 */
export async function takeIn(
  items: RawItem[],
  schemas: SchemaResolver,
  ctx: IntakeContext,
): Promise<Intake> {
  const intake: Intake = { results: [], events: [], dlq: [], accepted: [], rejected: [] };
  // Each (type, version) is resolved once per request, at its first item; the items after it
  // read the answer synchronously instead of awaiting a settled promise each.
  const resolved = new Map<string, ResolvedSchema | undefined>();
  const ingestedAt = ctx.receivedAt.toISOString();
  // Same trace context and correlation for every record of a request: build headers once per schema.
  const headerSets = new Map<string, Record<string, string>>();
  const headersFor = (schema: string) => {
    if (!headerSets.has(schema)) headerSets.set(schema, headers(ctx.correlationId, schema));
    return headerSets.get(schema) as Record<string, string>;
  };

  for (const [index, item] of items.entries()) {
    const given = 'value' in item ? clientEventId(item.value) : undefined;
    const eventId = given ?? deriveEventId(ctx.source, ctx.idempotencyKey, index);
    const refuse = (errors: ItemError[], type = 'unknown') => {
      intake.results.push({ index, event_id: eventId, status: 'rejected', errors });
      intake.rejected.push({ type, reason: errors[0].code });
      intake.dlq.push(dlqMessage(item, errors, eventId, index, ctx, headersFor('dlq@1')));
    };

    if ('errors' in item) {
      refuse(item.errors);
      continue;
    }
    if ('parseError' in item) {
      refuse([
        {
          code: 'invalid_json',
          pointer: '',
          message: `this line is not valid JSON: ${item.parseError}`,
        },
      ]);
      continue;
    }
    const bytes = Buffer.byteLength(item.text);
    if (bytes > ctx.maxEventBytes) {
      refuse(
        [
          {
            code: 'event_too_large',
            pointer: '',
            message: `the event is ${bytes} bytes; at most ${ctx.maxEventBytes} are allowed`,
          },
        ],
        typeOf(item.value),
      );
      continue;
    }
    const checked = checkEnvelope(item.value, {
      maxFutureSkewMs: ctx.maxFutureSkewMs,
      now: ctx.receivedAt,
    });
    if (!checked.ok) {
      refuse(checked.errors, typeOf(item.value));
      continue;
    }
    const { envelope } = checked;
    const lookup = `${envelope.type}@${envelope.schema_version ?? 'latest'}`;
    let schema = resolved.get(lookup);
    if (schema === undefined && !resolved.has(lookup)) {
      schema = await schemas.resolve(envelope.type, envelope.schema_version);
      resolved.set(lookup, schema);
    }
    if (!schema) {
      refuse([unknownSchema(envelope.type, envelope.schema_version)], envelope.type);
      continue;
    }
    const violations = schema.validate(envelope.properties);
    if (violations.length > 0) {
      refuse(
        violations.map((v) => ({ code: 'schema_violation' as const, ...v })),
        envelope.type,
      );
      continue;
    }

    const event: StoredEvent = {
      event_id: eventId,
      type: envelope.type,
      schema_version: envelope.schema_version ?? null,
      occurred_at: checked.occurredAt.toISOString(),
      subject_id: envelope.subject_id ?? null,
      properties: envelope.properties,
      _ingested_at: ingestedAt,
      _source: ctx.source,
      _correlation_id: ctx.correlationId,
      _schema_version: schema.version,
      ...(ctx.extractedAt ? { _extracted_at: ctx.extractedAt.toISOString() } : {}),
    };
    intake.events.push({
      key: event.subject_id ?? event.event_id,
      value: JSON.stringify(event),
      headers: headersFor(`${schema.type}@${schema.version}`),
    });
    intake.results.push({ index, event_id: eventId, status: 'accepted' });
    intake.accepted.push({ type: event.type });
  }
  return intake;
}

function clientEventId(value: unknown): string | undefined {
  const id = (value as { event_id?: unknown } | null)?.event_id;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function typeOf(value: unknown): string {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' && /^[a-z][a-z0-9_.]{0,127}$/.test(type) ? type : 'unknown';
}

function unknownSchema(type: string, version: number | undefined): ItemError {
  return version === undefined
    ? {
        code: 'unknown_type',
        pointer: '/type',
        message: `event type '${type}' is not registered; register its schema first`,
      }
    : {
        code: 'unknown_schema_version',
        pointer: '/schema_version',
        message: `version ${version} of '${type}' is not registered`,
      };
}

function headers(correlationId: string, schema: string): Record<string, string> {
  const injected = injectMessageHeaders({
    [EVENT_HEADERS.correlationId]: correlationId,
    [EVENT_HEADERS.contentType]: 'application/json',
    [EVENT_HEADERS.schema]: schema,
  });
  return Object.fromEntries(Object.entries(injected).map(([k, v]) => [k, String(v)]));
}

function dlqMessage(
  item: RawItem,
  errors: ItemError[],
  eventId: string,
  index: number,
  ctx: IntakeContext,
  recordHeaders: Record<string, string>,
): OutgoingMessage {
  const record: DlqRecord = {
    reason: errors[0].code,
    errors,
    original: item.text,
    source: ctx.source,
    correlation_id: ctx.correlationId,
    index,
    idempotency_key: ctx.idempotencyKey ?? null,
    event_id: eventId,
    received_at: ctx.receivedAt.toISOString(),
    ...(item.origin ? { origin: item.origin } : {}),
  };
  return {
    key: ctx.source,
    value: JSON.stringify(record),
    headers: recordHeaders,
  };
}

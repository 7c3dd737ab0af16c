/**
 * Every Tributary metric, declared once with its type, help text and label names, so the same
 * thing is called the same everywhere (`source`, never `src` in one service and `source_name` in
 * another) and dashboards and alert rules can rely on the names. All are prefixed `tributary_`.
 */
export const METRIC_CATALOG = {
  events_ingested_total: {
    type: 'counter',
    help: 'Events accepted by the ingest API and durable in the bus.',
    labels: ['source', 'type'],
  },
  events_rejected_total: {
    type: 'counter',
    help: 'Events refused by the ingest API, by reason code.',
    labels: ['source', 'type', 'reason'],
  },
  events_dlq_total: {
    type: 'counter',
    help: 'Events written to the dead-letter topic.',
    labels: ['source', 'type', 'reason'],
  },
  produce_latency_seconds: {
    type: 'histogram',
    help: 'Time from publish call to broker acknowledgement (acks=all).',
    labels: ['topic'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
  consumer_lag: {
    type: 'gauge',
    help: 'Messages between the committed offset and the end of the partition.',
    labels: ['group', 'topic', 'partition'],
  },
  rows_written_total: {
    type: 'counter',
    help: 'Rows written to a table of the warehouse or the lake.',
    labels: ['store', 'table'],
  },
  insert_latency_seconds: {
    type: 'histogram',
    help: 'Time to write one offset range into a warehouse table (dedup check, insert, range log), successful writes only.',
    labels: ['store', 'table'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  dedup_dropped_total: {
    type: 'counter',
    help: 'Records not written again because the sink already held them: by offset (the range log) or by event_id (client retries, replays).',
    labels: ['table', 'reason'],
  },
  late_events_total: {
    type: 'counter',
    help: 'Events stored although they arrived later than the allowed lateness after their event time.',
    labels: ['table', 'type'],
  },
  batch_run_duration_seconds: {
    type: 'histogram',
    help: 'Duration of a batch recompute run, by outcome.',
    labels: ['view', 'outcome'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  },
  data_freshness_seconds: {
    type: 'gauge',
    help: 'Now minus the ingestion time of the newest queryable event, per view.',
    labels: ['view', 'layer'],
  },
  dq_pass_ratio: {
    type: 'gauge',
    help: 'Share of data-quality expectations that passed in the latest run of a suite.',
    labels: ['suite'],
  },
  dq_expectation_failures_total: {
    type: 'counter',
    help: 'Data-quality expectations that failed or could not be evaluated, by suite and severity.',
    labels: ['suite', 'severity'],
  },
  query_latency_seconds: {
    type: 'histogram',
    help: 'Serving API query latency, by view and output format.',
    labels: ['view', 'format'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  query_rows_returned_total: {
    type: 'counter',
    help: 'Rows the serving API returned, by view and output format.',
    labels: ['view', 'format'],
  },
  query_cache_total: {
    type: 'counter',
    help: 'as_of answers served from the in-process cache (hit) or computed (miss).',
    labels: ['view', 'result'],
  },
  query_rejected_total: {
    type: 'counter',
    help: 'Queries the serving API refused, by HTTP status (400, 404, 406, 422).',
    labels: ['status'],
  },
  connector_runs_total: {
    type: 'counter',
    help: 'Finished connector runs, by outcome (succeeded, failed).',
    labels: ['connector', 'outcome'],
  },
  connector_rows_total: {
    type: 'counter',
    help: 'Rows a connector pulled, by what became of them: published, rejected (to the DLQ) or skipped (already published).',
    labels: ['connector', 'outcome'],
  },
  connector_run_duration_seconds: {
    type: 'histogram',
    help: 'Duration of a connector run, retries included, by outcome.',
    labels: ['connector', 'outcome'],
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600],
  },
  connector_last_success_age_seconds: {
    type: 'gauge',
    help: 'Now minus the end of the last successful run of a connector (its freshness).',
    labels: ['connector'],
  },
  connector_freshness_sla_seconds: {
    type: 'gauge',
    help: 'The freshness SLA a connector declares: its last success may be at most this old.',
    labels: ['connector'],
  },
  http_request_duration_seconds: {
    type: 'histogram',
    help: 'HTTP requests served, by route template and status code.',
    labels: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
} as const satisfies Record<string, MetricSpec>;

export interface MetricSpec {
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  labels: readonly string[];
  buckets?: readonly number[];
}

export type MetricName = keyof typeof METRIC_CATALOG;
export const METRIC_PREFIX = 'tributary_';

import { defineView, type ViewDefinition } from '../definition/view-definition';

/** Every event, counted by type and source: the pipeline's own health view. */
export const EVENTS_BY_TYPE_SOURCE = defineView({
  name: 'events_by_type_source',
  description: 'Events per type and source.',
  eventTypes: [],
  dimensions: [
    { name: 'type', field: 'type' },
    { name: 'source', field: '_source' },
  ],
  measures: [{ name: 'events', fn: 'count' }],
  grains: ['minute', 'hour', 'day'],
  retentionDays: 14,
});

/** Orders and revenue per currency (amounts are not converted between currencies). */
export const REVENUE_BY_CURRENCY = defineView({
  name: 'revenue_by_currency',
  description: 'Orders, revenue and order sizes per currency.',
  eventTypes: ['order.placed'],
  dimensions: [{ name: 'currency', property: 'currency', type: 'LowCardinality(String)' }],
  measures: [
    { name: 'orders', fn: 'count' },
    { name: 'revenue', fn: 'sum', of: { property: 'amount', type: 'Float64' } },
    { name: 'smallest_order', fn: 'min', of: { property: 'amount', type: 'Float64' } },
    { name: 'largest_order', fn: 'max', of: { property: 'amount', type: 'Float64' } },
    { name: 'items', fn: 'sum', of: { property: 'item_count', type: 'Int64' } },
  ],
  grains: ['hour', 'day'],
  retentionDays: 14,
});

/** Distinct subjects (e.g. users) seen, estimated with a mergeable sketch. */
export const ACTIVE_SUBJECTS = defineView({
  name: 'active_subjects',
  description: 'Distinct subjects with any event, per source.',
  eventTypes: [],
  dimensions: [{ name: 'source', field: '_source' }],
  measures: [
    { name: 'subjects', fn: 'unique', of: { field: 'subject_id' }, method: 'sketch' },
    { name: 'events', fn: 'count' },
  ],
  grains: ['hour', 'day'],
  retentionDays: 14,
});

/** Page views per path on known devices, with exact distinct viewers. */
export const PAGE_VIEWS_BY_PATH = defineView({
  name: 'page_views_by_path',
  description: 'Page views and distinct viewers per path and device.',
  eventTypes: ['page.viewed'],
  filters: [{ dimension: 'device', op: 'in', values: ['desktop', 'mobile', 'tablet'] }],
  dimensions: [
    { name: 'path', property: 'page.path', type: 'String' },
    { name: 'device', property: 'device', type: 'LowCardinality(String)' },
  ],
  measures: [
    { name: 'views', fn: 'count' },
    { name: 'viewers', fn: 'unique', of: { field: 'subject_id' }, method: 'exact' },
  ],
  grains: ['hour', 'day'],
  retentionDays: 14,
});

/** Sign-ups per plan, trials apart. */
export const SIGNUPS_BY_PLAN = defineView({
  name: 'signups_by_plan',
  description: 'Sign-ups and seats per plan and trial flag.',
  eventTypes: ['signup.completed'],
  dimensions: [
    { name: 'plan', property: 'plan', type: 'LowCardinality(String)' },
    { name: 'trial', property: 'trial', type: 'Bool' },
  ],
  measures: [
    { name: 'signups', fn: 'count' },
    { name: 'seats', fn: 'sum', of: { property: 'seats', type: 'Int64' } },
    { name: 'largest_team', fn: 'max', of: { property: 'seats', type: 'Int64' } },
  ],
  grains: ['day'],
  retentionDays: 14,
});

/** The default views for product and event analytics, over the demo event schemas. */
export const DEFAULT_VIEWS: readonly ViewDefinition[] = [
  EVENTS_BY_TYPE_SOURCE,
  REVENUE_BY_CURRENCY,
  ACTIVE_SUBJECTS,
  PAGE_VIEWS_BY_PATH,
  SIGNUPS_BY_PLAN,
];

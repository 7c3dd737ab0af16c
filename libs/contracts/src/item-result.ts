/** Why an item was refused; stable codes for clients, metrics labels and the DLQ. */
export const ITEM_ERROR_CODES = [
  'invalid_json',
  'not_an_object',
  'missing_field',
  'invalid_field',
  'unknown_field',
  'reserved_field',
  'invalid_timestamp',
  'occurred_at_in_future',
  'event_too_large',
  'unknown_type',
  'unknown_schema_version',
  'schema_violation',
  'malformed_row',
] as const;
export type ItemErrorCode = (typeof ITEM_ERROR_CODES)[number];

/** One problem with one item: where (a JSON pointer into the item) and what, in plain words. */
export interface ItemError {
  code: ItemErrorCode;
  pointer: string;
  message: string;
}

/** The per-item answer of `POST /v1/events`. */
export type ItemResult =
  | { index: number; event_id: string; status: 'accepted' }
  | { index: number; event_id?: string; status: 'rejected'; errors: ItemError[] };

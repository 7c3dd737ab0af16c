/** Test data of the files connector specs: a schema and files with good and bad rows. */
export const DROP_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    amount: { type: 'integer' },
    ts: { type: 'string' },
  },
  required: ['id', 'name', 'amount', 'ts'],
  additionalProperties: false,
};

/** Line 3 has too few fields (malformed_row), line 4 a text amount (schema_violation). */
export const DROP_CSV = [
  'id,name,amount,ts',
  '1,a,10,2026-11-20T10:00:00Z',
  '2,b,20',
  '3,c,abc,2026-11-20T10:00:02Z',
  '4,d,40,2026-11-20T10:00:03Z',
  '',
].join('\n');

const JSON_ROWS = [
  '{"id":5,"name":"e","amount":50,"ts":"2026-11-20T10:00:04Z"}',
  '{"id":6,"name":"f","amount":60,"ts":"2026-11-20T10:00:05Z"}',
];

/** Two good rows. */
export const DROP_JSONL_GOOD = [...JSON_ROWS, ''].join('\n');

/** The same rows with a line that is not JSON between them (line 2, invalid_json). */
export const DROP_JSONL = [JSON_ROWS[0], 'not json', JSON_ROWS[1], ''].join('\n');

/** Writes a Parquet file of two rows, the second with a bad timestamp (line 2, invalid_timestamp). */
export const dropParquetInsert = (path: string): string =>
  `INSERT INTO FUNCTION file('${path}', 'Parquet', 'id Int32, name String, amount Int32, ts String')
   VALUES (7, 'g', 70, '2026-11-20T10:00:06Z'), (8, 'h', 80, 'yesterday')`;

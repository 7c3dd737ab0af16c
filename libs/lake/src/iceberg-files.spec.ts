import {
  hasFieldIds,
  IcebergFieldIdError,
  manifestEntrySchema,
  manifestListSchema,
} from './iceberg-field-ids';
import { formatTableMetadata, parseTableMetadata } from './iceberg-metadata';

/** The head of a manifest list schema as ClickHouse 26.7 writes it: no field ids. */
const CLICKHOUSE_LIST = {
  type: 'record',
  name: 'manifest_file',
  fields: [
    { name: 'manifest_path', type: 'string' },
    { name: 'manifest_length', type: 'long' },
    {
      name: 'partitions',
      type: [
        'null',
        {
          type: 'array',
          items: {
            type: 'record',
            name: 'r508',
            fields: [
              { name: 'contains_null', type: 'boolean' },
              { name: 'lower_bound', type: ['null', 'bytes'] },
            ],
          },
        },
      ],
    },
  ],
};

const CLICKHOUSE_ENTRY = {
  type: 'record',
  name: 'manifest_entry',
  fields: [
    { name: 'status', type: 'int' },
    {
      name: 'data_file',
      type: {
        type: 'record',
        name: 'r2',
        fields: [
          { name: 'file_path', type: 'string' },
          {
            name: 'partition',
            type: { type: 'record', name: 'r102', fields: [{ name: 'occurred_at', type: 'int' }] },
          },
          {
            name: 'column_sizes',
            type: [
              'null',
              {
                type: 'array',
                logicalType: 'map',
                items: {
                  type: 'record',
                  name: 'k117_v118',
                  fields: [
                    { name: 'key', type: 'int' },
                    { name: 'value', type: 'long' },
                  ],
                },
              },
            ],
          },
        ],
      },
    },
  ],
};

describe(manifestListSchema.name, () => {
  it('adds the spec ids to every field, list elements included, keeping the structure', () => {
    expect(hasFieldIds(CLICKHOUSE_LIST)).toBe(false);
    const annotated = manifestListSchema(CLICKHOUSE_LIST);
    expect(hasFieldIds(annotated)).toBe(true);
    expect(annotated).toEqual({
      ...CLICKHOUSE_LIST,
      fields: [
        { name: 'manifest_path', type: 'string', 'field-id': 500 },
        { name: 'manifest_length', type: 'long', 'field-id': 501 },
        {
          name: 'partitions',
          'field-id': 507,
          type: [
            'null',
            {
              type: 'array',
              'element-id': 508,
              items: {
                type: 'record',
                name: 'r508',
                fields: [
                  { name: 'contains_null', type: 'boolean', 'field-id': 509 },
                  { name: 'lower_bound', type: ['null', 'bytes'], 'field-id': 510 },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('refuses a field the spec has no id for', () => {
    const odd = { ...CLICKHOUSE_LIST, fields: [{ name: 'mystery', type: 'int' }] };
    expect(() => manifestListSchema(odd)).toThrow(IcebergFieldIdError);
  });
});

describe(manifestEntrySchema.name, () => {
  it('gives the partition tuple the partition spec ids and map keys/values theirs', () => {
    const annotated = manifestEntrySchema(CLICKHOUSE_ENTRY, new Map([['occurred_at', 1000]]));
    const text = JSON.stringify(annotated);
    expect(hasFieldIds(annotated)).toBe(true);
    expect(text).toContain('{"name":"occurred_at","type":"int","field-id":1000}');
    expect(text).toContain('{"name":"key","type":"int","field-id":117}');
    expect(text).toContain('{"name":"value","type":"long","field-id":118}');
    expect(text).toContain('"name":"data_file"');
    expect(text).toMatch(/"name":"data_file".*"field-id":2}\]}$/);
  });
});

describe(parseTableMetadata.name, () => {
  it('keeps 64-bit snapshot ids exact and gives every id one type (bigint)', () => {
    const text = `{"current-snapshot-id" : 7210012406911263387, "last-sequence-number": 5,
      "snapshots": [{"snapshot-id": 7210012406911263387, "parent-snapshot-id": 12,
                     "sequence-number": 5, "summary": {"added-records": "10"}}],
      "refs": {"main": {"snapshot-id": 7210012406911263387, "type": "branch"}}}`;
    const metadata = parseTableMetadata(text);
    expect(metadata['current-snapshot-id']).toBe(7210012406911263387n);
    expect(metadata['last-sequence-number']).toBe(5n);
    expect(metadata.snapshots?.[0]?.['parent-snapshot-id']).toBe(12n);
    expect(metadata.refs?.main?.['snapshot-id']).toBe(7210012406911263387n);
    const written = formatTableMetadata(metadata);
    expect(written).toContain('"current-snapshot-id": 7210012406911263387');
    expect(parseTableMetadata(written)).toEqual(metadata);
  });
});

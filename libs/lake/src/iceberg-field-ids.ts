import type { AvroSchema } from './iceberg-avro';

/**
 * The field ids the Iceberg spec (table format v2, "Manifests" and "Manifest Lists") fixes for
 * the Avro schemas of manifest files (`manifest_entry`) and manifest lists (`manifest_file`),
 * keyed by the dotted path of the field. Maps are arrays of key/value records (`k<id>_v<id>`),
 * lists carry an `element-id`.
 */
const MANIFEST_LIST_IDS: Record<string, number> = {
  manifest_path: 500,
  manifest_length: 501,
  partition_spec_id: 502,
  content: 517,
  sequence_number: 515,
  min_sequence_number: 516,
  added_snapshot_id: 503,
  added_files_count: 504,
  existing_files_count: 505,
  deleted_files_count: 506,
  added_rows_count: 512,
  existing_rows_count: 513,
  deleted_rows_count: 514,
  partitions: 507,
  'partitions[]': 508,
  'partitions[].contains_null': 509,
  'partitions[].contains_nan': 518,
  'partitions[].lower_bound': 510,
  'partitions[].upper_bound': 511,
  key_metadata: 519,
};

const MANIFEST_ENTRY_IDS: Record<string, number> = {
  status: 0,
  snapshot_id: 1,
  sequence_number: 3,
  file_sequence_number: 4,
  data_file: 2,
  'data_file.content': 134,
  'data_file.file_path': 100,
  'data_file.file_format': 101,
  'data_file.partition': 102,
  'data_file.record_count': 103,
  'data_file.file_size_in_bytes': 104,
  'data_file.column_sizes': 108,
  'data_file.column_sizes[].key': 117,
  'data_file.column_sizes[].value': 118,
  'data_file.value_counts': 109,
  'data_file.value_counts[].key': 119,
  'data_file.value_counts[].value': 120,
  'data_file.null_value_counts': 110,
  'data_file.null_value_counts[].key': 121,
  'data_file.null_value_counts[].value': 122,
  'data_file.nan_value_counts': 137,
  'data_file.nan_value_counts[].key': 138,
  'data_file.nan_value_counts[].value': 139,
  'data_file.lower_bounds': 125,
  'data_file.lower_bounds[].key': 126,
  'data_file.lower_bounds[].value': 127,
  'data_file.upper_bounds': 128,
  'data_file.upper_bounds[].key': 129,
  'data_file.upper_bounds[].value': 130,
  'data_file.key_metadata': 131,
  'data_file.split_offsets': 132,
  'data_file.split_offsets[]': 133,
  'data_file.equality_ids': 135,
  'data_file.equality_ids[]': 136,
  'data_file.sort_order_id': 140,
  'data_file.referenced_data_file': 143,
  'data_file.content_offset': 144,
  'data_file.content_size_in_bytes': 145,
};

export class IcebergFieldIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IcebergFieldIdError';
  }
}

type SchemaObject = { [key: string]: unknown };

function isObject(schema: unknown): schema is SchemaObject {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema);
}

/** True when every field of the file's schema already carries a field id (nothing to repair). */
export function hasFieldIds(schema: AvroSchema): boolean {
  if (Array.isArray(schema)) return schema.every(hasFieldIds);
  if (!isObject(schema)) return true;
  if (schema.type === 'record') {
    return (schema.fields as SchemaObject[]).every(
      (field) => typeof field['field-id'] === 'number' && hasFieldIds(field.type as AvroSchema),
    );
  }
  if (schema.type === 'array') return hasFieldIds(schema.items as AvroSchema);
  return true;
}

/**
 * A copy of `schema` with the spec's field ids added (structure, names and order untouched, so
 * the records' bytes do not change). `ids` maps dotted paths to ids; `partition` the fields of
 * `data_file.partition` (the partition spec's field ids, by name). Refuses a field it has no id
 * for rather than write a schema a reader would reject.
 */
function annotate(schema: AvroSchema, ids: Record<string, number>, path: string): AvroSchema {
  if (Array.isArray(schema)) return schema.map((branch) => annotate(branch, ids, path));
  if (!isObject(schema)) return schema;
  if (schema.type === 'record') {
    const prefix = path === '' ? '' : `${path}.`;
    const fields = (schema.fields as SchemaObject[]).map((field) => {
      const fieldPath = `${prefix}${String(field.name)}`;
      const id = typeof field['field-id'] === 'number' ? field['field-id'] : ids[fieldPath];
      if (id === undefined) throw new IcebergFieldIdError(`no Iceberg field id for '${fieldPath}'`);
      return { ...field, 'field-id': id, type: annotate(field.type as AvroSchema, ids, fieldPath) };
    });
    return { ...schema, fields };
  }
  if (schema.type === 'array') {
    const element = `${path}[]`;
    const items = annotate(schema.items as AvroSchema, ids, element);
    const isMap = schema.logicalType === 'map';
    return isMap || ids[element] === undefined
      ? { ...schema, items }
      : { ...schema, items, 'element-id': ids[element] };
  }
  return schema;
}

/** The manifest list's `manifest_file` schema with the spec's field ids. */
export function manifestListSchema(schema: AvroSchema): AvroSchema {
  return annotate(schema, MANIFEST_LIST_IDS, '');
}

/**
 * A manifest's `manifest_entry` schema with the spec's field ids; the partition tuple's fields
 * get the partition spec's field ids (`partitionFieldIds`, by partition field name).
 */
export function manifestEntrySchema(
  schema: AvroSchema,
  partitionFieldIds: ReadonlyMap<string, number>,
): AvroSchema {
  const ids: Record<string, number> = { ...MANIFEST_ENTRY_IDS };
  for (const [name, id] of partitionFieldIds) ids[`data_file.partition.${name}`] = id;
  return annotate(schema, ids, '');
}

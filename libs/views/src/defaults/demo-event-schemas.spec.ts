import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { demoEvents } from '../demo/demo-events';
import { isEnvelope } from '../definition/validate-field-ref';
import type { FieldRef, PropertyType } from '../definition/view-definition';
import { DEFAULT_VIEWS } from './default-views';
import { DEMO_EVENT_SCHEMAS } from './demo-event-schemas';

/** The registry's ajv settings (libs/registry SchemaCompiler): strict draft 2020-12. */
function registryAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allowUnionTypes: true,
    allErrors: true,
    addUsedSchema: false,
  });
  addFormats(ajv);
  return ajv;
}

const JSON_TYPE: Record<PropertyType, string> = {
  String: 'string',
  'LowCardinality(String)': 'string',
  Int64: 'integer',
  Float64: 'number',
  Bool: 'boolean',
};

type SchemaNode = { type?: string; properties?: Record<string, SchemaNode> };

describe('DEMO_EVENT_SCHEMAS', () => {
  it('are JSON Schema draft 2020-12 object schemas the registry accepts', () => {
    const ajv = registryAjv();
    for (const schema of Object.values(DEMO_EVENT_SCHEMAS)) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.type).toBe('object');
      expect(() => ajv.compile(schema)).not.toThrow();
    }
  });

  it('accept every demo event', () => {
    const ajv = registryAjv();
    const validators = Object.fromEntries(
      Object.entries(DEMO_EVENT_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema)]),
    );
    const events = demoEvents({ count: 500, ingestedFrom: new Date(0), ingestedSpanMs: 60_000 });
    for (const event of events) {
      const validate = validators[event.type];
      expect(validate?.(event.properties) ? [] : validate?.errors).toEqual([]);
    }
  });

  it('declare every property a default view reads, with a matching JSON type', () => {
    for (const view of DEFAULT_VIEWS) {
      const refs: FieldRef[] = [
        ...view.dimensions,
        ...view.measures.flatMap((m) => (m.fn === 'count' ? [] : [m.of])),
      ];
      for (const ref of refs) {
        if (isEnvelope(ref)) continue;
        for (const type of view.eventTypes) {
          const schema = DEMO_EVENT_SCHEMAS[type as keyof typeof DEMO_EVENT_SCHEMAS] as SchemaNode;
          const node = ref.property
            .split('.')
            .reduce<SchemaNode | undefined>((n, key) => n?.properties?.[key], schema);
          expect({ view: view.name, property: ref.property, type: node?.type }).toEqual({
            view: view.name,
            property: ref.property,
            type: JSON_TYPE[ref.type],
          });
        }
      }
    }
  });
});

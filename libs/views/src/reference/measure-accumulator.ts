import type { StoredEvent } from '@tributary/contracts';
import type { ViewMeasure } from '../definition/view-definition';
import { fieldValue, type FieldValue, toJsonValue } from './field-value';

/** Accumulates one measure over events the way its ClickHouse aggregate function does. */
export interface MeasureAccumulator {
  add(event: StoredEvent): void;
  /** The finalized value as ClickHouse prints it (64-bit integers quoted). */
  result(): string | number | boolean | null;
}

export function measureAccumulator(measure: ViewMeasure): MeasureAccumulator {
  switch (measure.fn) {
    case 'count': {
      let count = 0n;
      return { add: () => void count++, result: () => count.toString() };
    }
    case 'sum':
    case 'min':
    case 'max': {
      // Aggregates over a Nullable argument skip NULLs and give NULL when nothing was left.
      let acc: FieldValue | null = null;
      const fn = measure.fn;
      return {
        add: (event) => {
          const value = fieldValue(measure.of, event) as number | bigint | null;
          if (value === null) return;
          if (acc === null) acc = value;
          else if (fn === 'sum') acc = (acc as number) + (value as number);
          else if (fn === 'min') acc = value < (acc as number) ? value : acc;
          else acc = value > (acc as number) ? value : acc;
        },
        result: () => toJsonValue(acc),
      };
    }
    case 'unique': {
      // Exact; uniqCombined64 is exact too below a few thousand values per group (its hash-set
      // phase), which is where the equality tests keep it.
      const seen = new Set<string>();
      return {
        add: (event) => {
          const value = fieldValue(measure.of, event);
          if (value !== null) seen.add(`${typeof value}:${String(value)}`);
        },
        result: () => String(seen.size),
      };
    }
  }
}

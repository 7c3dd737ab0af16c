import type { ErrorObject } from 'ajv';
import { pointer } from './json-pointer';

/** One problem with an event's `properties`: where (JSON pointer into the event) and what. */
export interface PropertyError {
  pointer: string;
  message: string;
}

/** Events carry the validated object in their `properties` field; pointers start there. */
export const PROPERTIES_POINTER = '/properties';

/**
 * ajv's errors as pointers into the event and ajv's own English messages (`must be number`). A
 * missing or unexpected property is pointed at itself, not at the object that holds it, so a
 * client sees `/properties/currency` for `must have required property 'currency'`.
 */
export function toPropertyErrors(
  errors: readonly ErrorObject[] | null | undefined,
): PropertyError[] {
  return (errors ?? []).map((error) => ({
    pointer: errorPointer(error),
    message: error.message ?? `must pass "${error.keyword}"`,
  }));
}

function errorPointer(error: ErrorObject): string {
  const base = PROPERTIES_POINTER + error.instancePath;
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  switch (error.keyword) {
    case 'required':
    case 'dependentRequired':
      return params.missingProperty === undefined ? base : pointer(base, params.missingProperty);
    case 'additionalProperties':
      return params.additionalProperty === undefined
        ? base
        : pointer(base, params.additionalProperty);
    default:
      return base;
  }
}

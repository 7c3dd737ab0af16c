/**
 * Reads the registry's change counter (see the CreateSchemaRegistry migration): one row, one
 * column, returned as a string because pg returns int8 that way. Compare it for equality only.
 */
export const REGISTRY_REVISION_QUERY = 'SELECT revision FROM registry_revision';

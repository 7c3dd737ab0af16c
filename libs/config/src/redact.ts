import { MASK } from './errors';
import { settings, type TributaryConfig } from './schema';
import { flattenSettings } from './setting';

/**
 * A printable copy of the config with every secret that is set replaced by `***`. An unset secret
 * stays `undefined`: that it is missing is useful to see and reveals nothing.
 */
export function redactConfig(config: TributaryConfig): TributaryConfig {
  const copy = copyData(config) as Record<string, unknown>;
  for (const { path, definition } of flattenSettings(settings)) {
    if (!definition.sensitive) continue;
    const names = path.split('.');
    const leaf = names.pop() as string;
    const parent = names.reduce<Record<string, unknown>>(
      (node, name) => node[name] as Record<string, unknown>,
      copy,
    );
    if (parent[leaf] !== undefined) parent[leaf] = MASK;
  }
  return copy as unknown as TributaryConfig;
}

/** Deep copy of plain data: own enumerable keys only, so helpers such as `toJSON` are left out. */
function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyData(item)]));
  }
  return value;
}

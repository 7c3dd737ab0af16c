import { type Parser } from './parsers';

export const PROFILES = ['embedded', 'distributed'] as const;

/** `embedded`: one process, no outside services. `distributed`: Kafka, Postgres, Redis, ClickHouse. */
export type Profile = (typeof PROFILES)[number];

/** The form a setting has in the environment, e.g. `TRIBUTARY_LOG_LEVEL`. */
export type SettingKey = `TRIBUTARY_${string}`;

/**
 * Everything the loader and the docs need about one setting. Defaults are written in env form
 * (`'10s'`, not `10000`) and go through the parser, so the docs show what an operator would type
 * and a default can never bypass validation.
 */
export interface SettingDefinition {
  readonly key: SettingKey;
  readonly parser: Parser<unknown>;
  readonly description: string;
  readonly group: string;
  /** A secret: shown as `***` in errors and redacted output, and readable from `<KEY>_FILE`. */
  readonly sensitive: boolean;
  readonly defaults: Readonly<Record<Profile, string | undefined>>;
  /** Profiles in which the setting has no default and must be given. */
  readonly requiredIn: readonly Profile[];
}

/** A leaf of the settings tree; `T` is the type the setting has in the loaded config. */
export class Setting<T> {
  /** Carries `T` for `ConfigOf`; never set at run time. */
  declare readonly valueType: T;

  constructor(readonly definition: SettingDefinition) {}
}

interface SettingSpec<T> {
  key: SettingKey;
  parser: Parser<T>;
  description: string;
  group: string;
  /** Only text settings can be secrets, so a redacted copy keeps the config's type. */
  sensitive?: T extends string ? boolean : never;
}

/** A setting that always has a value: its default, per profile when the profiles differ. */
export function setting<T>(
  spec: SettingSpec<T> & { default: string | Readonly<Record<Profile, string>> },
): Setting<T> {
  const defaults = typeof spec.default === 'string' ? sameForAll(spec.default) : spec.default;
  return define(spec, defaults, []);
}

/** A setting that may be absent, or is required only in some profiles (`requiredIn`). */
export function optional<T>(
  spec: SettingSpec<T> & {
    default?: Readonly<Partial<Record<Profile, string>>>;
    requiredIn?: readonly Profile[];
  },
): Setting<T | undefined> {
  const defaults = { embedded: spec.default?.embedded, distributed: spec.default?.distributed };
  return define(spec, defaults, spec.requiredIn ?? []);
}

function define<T>(
  spec: Omit<SettingSpec<unknown>, 'sensitive'> & { sensitive?: boolean },
  defaults: Record<Profile, string | undefined>,
  requiredIn: readonly Profile[],
): Setting<T> {
  return new Setting<T>({
    key: spec.key,
    parser: spec.parser,
    description: spec.description,
    group: spec.group,
    sensitive: spec.sensitive === true,
    defaults,
    requiredIn,
  });
}

function sameForAll(value: string): Record<Profile, string> {
  return { embedded: value, distributed: value };
}

/** A nested object whose leaves are settings, e.g. `{ kafka: { brokers: Setting } }`. */
export interface SettingsTree {
  readonly [name: string]: Setting<unknown> | SettingsTree;
}

/** The loaded, read-only config a settings tree describes. */
export type ConfigOf<S extends SettingsTree> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T>
    ? T
    : S[K] extends SettingsTree
      ? ConfigOf<S[K]>
      : never;
};

/** Every setting in the tree with its dotted path (`kafka.brokers`), in declaration order. */
export function flattenSettings(
  tree: SettingsTree,
  prefix = '',
): { path: string; definition: SettingDefinition }[] {
  return Object.entries(tree).flatMap(([name, node]) =>
    node instanceof Setting
      ? [{ path: `${prefix}${name}`, definition: node.definition }]
      : flattenSettings(node, `${prefix}${name}.`),
  );
}

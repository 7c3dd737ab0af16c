/**
 * Parsers turn the text of one setting into a typed value. Each carries the accepted form in words,
 * so that an error message and the generated docs say the same thing.
 */
export interface Parser<T> {
  /** The accepted form, completing "expected …", e.g. `an integer from 1 to 10`. */
  readonly expected: string;
  /** The typed value, or `undefined` when `raw` does not have the expected form. */
  parse(raw: string): T | undefined;
}

/** Any non-empty text, or text matching `pattern` (then `expected` says what the pattern allows). */
export function text(options: { pattern?: RegExp; expected?: string } = {}): Parser<string> {
  const { pattern } = options;
  return {
    expected: options.expected ?? 'a non-empty string',
    parse: (raw) => (raw.length > 0 && (!pattern || pattern.test(raw)) ? raw : undefined),
  };
}

/** A whole number in decimal; bounds are inclusive. */
export function integer(options: { min?: number; max?: number } = {}): Parser<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return {
    expected: integerForm(options.min, options.max),
    parse: (raw) => {
      if (!/^-?\d+$/.test(raw)) return undefined;
      const value = Number(raw);
      return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
    },
  };
}

function integerForm(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
  if (min !== undefined) return `an integer of at least ${min}`;
  if (max !== undefined) return `an integer of at most ${max}`;
  return 'an integer';
}

/** Same wording as `readPort` in libs/platform, so port errors read alike everywhere. */
export function port(): Parser<number> {
  return { ...integer({ min: 0, max: 65535 }), expected: 'a TCP port, an integer from 0 to 65535' };
}

/**
 * An absolute URL with one of the given protocols and a host. The text is kept as given: drivers
 * take URL strings, and re-serialising through `URL` would change what the operator wrote.
 */
export function url(options: { protocols: readonly string[] }): Parser<string> {
  const schemes = options.protocols.map((protocol) => `${protocol}://`);
  return {
    expected: `${/^[aeiouh]/i.test(schemes[0] ?? '') ? 'an' : 'a'} ${orList(schemes)} URL`,
    parse: (raw) => {
      if (!URL.canParse(raw)) return undefined;
      const parsed = new URL(raw);
      const allowed = options.protocols.some((protocol) => parsed.protocol === `${protocol}:`);
      return allowed && parsed.hostname !== '' ? raw : undefined;
    },
  };
}

const durationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** A duration such as `250ms`, `30s`, `5m` or `1h`, returned in milliseconds. One unit only. */
export function duration(): Parser<number> {
  return {
    expected: 'a duration such as 250ms, 30s, 5m or 1h',
    parse: (raw) => {
      const match = /^(\d+)(ms|s|m|h)$/.exec(raw);
      if (!match) return undefined;
      const ms = Number(match[1]) * durationUnits[match[2] as keyof typeof durationUnits];
      return Number.isSafeInteger(ms) ? ms : undefined;
    },
  };
}

const byteUnits = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;

/** A size such as `512B`, `64KiB`, `5MiB` or `1GiB`, returned in bytes. Binary units only. */
export function byteSize(options: { min?: number } = {}): Parser<number> {
  const min = options.min ?? 1;
  return {
    expected: `a size such as 512B, 64KiB or 5MiB (at least ${min} bytes)`,
    parse: (raw) => {
      const match = /^(\d+)(B|KiB|MiB|GiB)$/.exec(raw);
      if (!match) return undefined;
      const bytes = Number(match[1]) * byteUnits[match[2] as keyof typeof byteUnits];
      return Number.isSafeInteger(bytes) && bytes >= min ? bytes : undefined;
    },
  };
}

/** One of a fixed set of words, compared exactly (log levels, profiles). */
export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return {
    expected: `one of ${values.join(', ')}`,
    parse: (raw) => values.find((value) => value === raw),
  };
}

/** `true|false|1|0` only: `yes`, `on` or `TRUE` are refused rather than guessed at. */
export function bool(): Parser<boolean> {
  const values: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
  return { expected: 'true, false, 1 or 0', parse: (raw) => values[raw] };
}

/** Host name, IPv4 address or bracketed IPv6 address, then a port from 1 to 65535. */
const hostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

/** Kafka bootstrap servers as kafkajs takes them: `host:port,host:port` (spaces after commas ok). */
export function brokerList(): Parser<readonly string[]> {
  return {
    expected: 'a comma-separated list of host:port',
    parse: (raw) => {
      const brokers = raw.split(',').map((item) => item.trim());
      const valid = brokers.every((broker) => {
        const match = hostPort.exec(broker);
        return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
      });
      return valid ? brokers : undefined;
    },
  };
}

/** A fraction from 0 to 1 inclusive, in plain decimal notation (`0.25`, `.5`, `1`). */
export function ratio(): Parser<number> {
  return {
    expected: 'a number from 0 to 1',
    parse: (raw) => {
      if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw)) return undefined;
      const value = Number(raw);
      return value >= 0 && value <= 1 ? value : undefined;
    },
  };
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

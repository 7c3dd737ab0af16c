import { describeSettings, isAcceptedKey } from '@tributary/config';
import { SERVICES } from './services';

const SERVICE_PORT_KEYS = new Set(SERVICES.map((service) => service.portKey));
const PORT_KEY = /^TRIBUTARY_[A-Z0-9_]+_PORT$/;

/**
 * Why a key set on a Tributary container is wrong, or undefined when libs/config accepts it.
 * Stricter than `isAcceptedKey` for ports: of the TRIBUTARY_*_PORT keys only the four service
 * ports belong in a deployment (the others configure the local test services).
 */
export function envKeyProblem(key: string): string | undefined {
  if (!key.startsWith('TRIBUTARY_')) return `${key} is not a TRIBUTARY_* setting`;
  if (!isAcceptedKey(key)) return `${key} is not a setting libs/config accepts`;
  if (PORT_KEY.test(key) && !SERVICE_PORT_KEYS.has(key)) {
    return `${key} is a test-service port, not a service port`;
  }
  return undefined;
}

export function envKeyProblems(keys: Iterable<string>): string[] {
  return [...keys].flatMap((key) => envKeyProblem(key) ?? []);
}

/** Settings that hold secrets: they must come from a file (`*_FILE`) or a secret reference. */
export function sensitiveKeys(): Set<string> {
  return new Set(describeSettings().flatMap((s) => (s.sensitive ? [s.key] : [])));
}

/**
 * Settings the distributed profile requires that `keys` does not provide (a secret counts as
 * provided through its `_FILE` key).
 */
export function missingDistributedSettings(keys: Iterable<string>): string[] {
  const present = new Set(keys);
  return describeSettings()
    .filter((setting) => setting.requiredIn.includes('distributed'))
    .filter(
      (setting) => !present.has(setting.key) && !(setting.fileKey && present.has(setting.fileKey)),
    )
    .map((setting) => setting.key);
}

/** `10s`, `250ms`, `5m`, `1h` → milliseconds (the forms TRIBUTARY_SHUTDOWN_TIMEOUT takes). */
export function durationMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match) throw new Error(`Not a duration: ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/** The shutdown timeout a deployment runs with: its own value, else the libs/config default. */
export function shutdownTimeoutMs(env: Readonly<Record<string, string>>): number {
  const fallback = describeSettings().find((s) => s.key === 'TRIBUTARY_SHUTDOWN_TIMEOUT')?.defaults
    .distributed;
  const value = env.TRIBUTARY_SHUTDOWN_TIMEOUT ?? fallback;
  if (!value) throw new Error('TRIBUTARY_SHUTDOWN_TIMEOUT has no default');
  return durationMs(value);
}

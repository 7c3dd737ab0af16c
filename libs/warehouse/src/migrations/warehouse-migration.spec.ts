import { migrationChecksum } from './warehouse-migration';

describe(migrationChecksum.name, () => {
  it('is the sha256 of the statements, stable and sensitive to any change', () => {
    const checksum = migrationChecksum(['CREATE TABLE a (x UInt8) ENGINE = MergeTree ORDER BY x']);
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(migrationChecksum(['CREATE TABLE a (x UInt8) ENGINE = MergeTree ORDER BY x'])).toBe(
      checksum,
    );
    expect(migrationChecksum(['CREATE TABLE a (x UInt16) ENGINE = MergeTree ORDER BY x'])).not.toBe(
      checksum,
    );
    expect(migrationChecksum(['a', 'b'])).not.toBe(migrationChecksum(['a\nb']));
  });
});

import { InvalidSettingError, portSettingKey, readPort } from './port';

describe('portSettingKey', () => {
  it('derives one upper-case key per service name', () => {
    expect(portSettingKey('ingest-api')).toBe('TRIBUTARY_INGEST_API_PORT');
  });
});

describe('readPort', () => {
  it('falls back to the default when the key is unset or empty', () => {
    expect(readPort({}, 'P', 3100)).toBe(3100);
    expect(readPort({ P: '' }, 'P', 3100)).toBe(3100);
  });

  it('accepts an integer port, 0 included', () => {
    expect(readPort({ P: '8080' }, 'P', 1)).toBe(8080);
    expect(readPort({ P: '0' }, 'P', 1)).toBe(0);
  });

  it.each(['http', '80.5', '-1', '70000', ' 80'])(
    'refuses %j, naming key, value and form',
    (raw) => {
      const read = () => readPort({ TRIBUTARY_X_PORT: raw }, 'TRIBUTARY_X_PORT', 1);
      expect(read).toThrow(InvalidSettingError);
      expect(read).toThrow(
        `TRIBUTARY_X_PORT=${JSON.stringify(raw)} is invalid: expected a TCP port, an integer from 0 to 65535`,
      );
    },
  );
});

import {
  bool,
  brokerList,
  byteSize,
  duration,
  integer,
  oneOf,
  type Parser,
  port,
  ratio,
  text,
  url,
} from './parsers';

/** One parser's contract: what it accepts (and returns), what it refuses, how it words the form. */
function describeParser<T>(
  name: string,
  parser: Parser<T>,
  contract: { expected: string; accepts: [string, T][]; refuses: string[] },
): void {
  describe(name, () => {
    describe('parse', () => {
      it.each(contract.accepts)('accepts %j', (raw, value) => {
        expect(parser.parse(raw)).toEqual(value);
      });

      it.each(contract.refuses)('refuses %j', (raw) => {
        expect(parser.parse(raw)).toBeUndefined();
      });
    });

    describe('expected', () => {
      it('words the accepted form for error messages and docs', () => {
        expect(parser.expected).toBe(contract.expected);
      });
    });
  });
}

describeParser(text.name, text(), {
  expected: 'a non-empty string',
  accepts: [
    ['local', 'local'],
    [' spaced ', ' spaced '],
  ],
  refuses: [''],
});

describeParser(`${text.name} with a pattern`, text({ pattern: /^[a-z]+$/, expected: 'letters' }), {
  expected: 'letters',
  accepts: [['abc', 'abc']],
  refuses: ['ab1', 'a b', ''],
});

describeParser(integer.name, integer({ min: 1, max: 10 }), {
  expected: 'an integer from 1 to 10',
  accepts: [
    ['1', 1],
    ['10', 10],
    ['007', 7],
  ],
  refuses: ['0', '11', '1.5', '1e1', ' 5', '+5', 'five', '99999999999999999999'],
});

describeParser(`${integer.name} with a lower bound only`, integer({ min: -1 }), {
  expected: 'an integer of at least -1',
  accepts: [
    ['-1', -1],
    ['123456', 123456],
  ],
  refuses: ['-2', '--1'],
});

describeParser(port.name, port(), {
  expected: 'a TCP port, an integer from 0 to 65535',
  accepts: [
    ['0', 0],
    ['5432', 5432],
    ['65535', 65535],
  ],
  refuses: ['65536', '-1', 'http', '80.0'],
});

describeParser(url.name, url({ protocols: ['postgres', 'postgresql'] }), {
  expected: 'a postgres:// or postgresql:// URL',
  accepts: [
    ['postgres://u:p@db:5432/app', 'postgres://u:p@db:5432/app'],
    ['postgresql://db/app?sslmode=require', 'postgresql://db/app?sslmode=require'],
  ],
  refuses: ['mysql://db/app', 'db:5432', 'postgres:///app', 'not a url', 'postgres://'],
});

describeParser(`${url.name} for http`, url({ protocols: ['http', 'https'] }), {
  expected: 'an http:// or https:// URL',
  accepts: [['https://ch.example:8443', 'https://ch.example:8443']],
  refuses: ['ftp://ch.example', 'ch.example:8123', 'grpc://collector:4317'],
});

describeParser(duration.name, duration(), {
  expected: 'a duration such as 250ms, 30s, 5m or 1h',
  accepts: [
    ['250ms', 250],
    ['0s', 0],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
  ],
  refuses: ['10', '1.5s', '-1s', '5 m', '1m30s', '1d', 's'],
});

describeParser(byteSize.name, byteSize({ min: 16 }), {
  expected: 'a size such as 512B, 64KiB or 5MiB (at least 16 bytes)',
  accepts: [
    ['512B', 512],
    ['64KiB', 65_536],
    ['5MiB', 5_242_880],
  ],
  refuses: ['512', '8B', '1.5MiB', '5MB', '5 MiB', 'KiB', '-1KiB'],
});

describeParser(oneOf.name, oneOf(['fatal', 'error', 'info']), {
  expected: 'one of fatal, error, info',
  accepts: [['error', 'error']],
  refuses: ['ERROR', 'verbose', ' info'],
});

describeParser(bool.name, bool(), {
  expected: 'true, false, 1 or 0',
  accepts: [
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ],
  refuses: ['yes', 'TRUE', 'on', '2', ''],
});

describeParser(brokerList.name, brokerList(), {
  expected: 'a comma-separated list of host:port',
  accepts: [
    ['localhost:9092', ['localhost:9092']],
    ['kafka-1:9092, kafka-2.internal:9093', ['kafka-1:9092', 'kafka-2.internal:9093']],
    ['10.0.0.1:9092,[::1]:9092', ['10.0.0.1:9092', '[::1]:9092']],
  ],
  refuses: ['localhost', 'a:9092,', ',a:9092', 'a:0', 'a:65536', 'a:b', 'a b:9092', '-a:9092'],
});

describeParser(ratio.name, ratio(), {
  expected: 'a number from 0 to 1',
  accepts: [
    ['0', 0],
    ['1', 1],
    ['0.25', 0.25],
    ['.5', 0.5],
    ['1.0', 1],
  ],
  refuses: ['1.5', '-0.1', 'half', '50%', '1e-1', ''],
});

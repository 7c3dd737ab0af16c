import { parseAdminArgs, UsageError } from './admin-args';

describe(parseAdminArgs.name, () => {
  it.each([
    [['source', 'create', 'web'], { name: 'source create', source: 'web' }],
    [['source', 'list'], { name: 'source list' }],
    [['key', 'create', 'web', '--label', 'ci'], { name: 'key create', source: 'web', label: 'ci' }],
    [['key', 'create', '--label=ci', 'web'], { name: 'key create', source: 'web', label: 'ci' }],
    [['key', 'create', 'web'], { name: 'key create', source: 'web', label: undefined }],
    [['key', 'list', 'web'], { name: 'key list', source: 'web' }],
    [['key', 'revoke', 'abcdefgh2345'], { name: 'key revoke', keyId: 'abcdefgh2345' }],
    [['key', 'rotate', 'abcdefgh2345'], { name: 'key rotate', keyId: 'abcdefgh2345' }],
    [
      ['schema', 'register', 'order.placed', 's.json', '--description', 'An order'],
      { name: 'schema register', type: 'order.placed', file: 's.json', description: 'An order' },
    ],
    [['schema', 'list'], { name: 'schema list', type: undefined }],
    [['schema', 'list', 'order.placed'], { name: 'schema list', type: 'order.placed' }],
    [['migrate'], { name: 'migrate' }],
    [[], { name: 'help' }],
    [['--help'], { name: 'help' }],
    [['key', 'create', '-h'], { name: 'help' }],
  ])('parses %j', (argv, command) => {
    expect(parseAdminArgs(argv)).toEqual(command);
  });

  it.each([
    [['source', 'delete', 'web'], 'unknown command "source delete web"'],
    [['keys', 'list'], 'unknown command "keys list"'],
    [['source', 'create'], '"source create" takes <name>'],
    [['source', 'create', 'a', 'b'], '"source create" takes <name>'],
    [['source', 'list', 'x'], '"source list" takes no arguments'],
    [['schema', 'register', 'order.placed'], '"schema register" takes <type> <file.json>'],
    [['schema', 'list', 'a', 'b'], '"schema list" takes [type]'],
    [['key', 'revoke', 'x', '--label', 'y'], '"key revoke" does not take --label'],
    [['key', 'create', 'web', '--label'], "Option '--label <value>' argument missing"],
    [['key', 'create', 'web', '--force'], "Unknown option '--force'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseAdminArgs(argv)).toThrow(UsageError);
    expect(() => parseAdminArgs(argv)).toThrow(message);
  });
});

import { jsonLinesSink } from '../testing/json-lines';
import { createLogger } from './logger';
import { NestLogger } from './nest-logger';

describe(NestLogger.name, () => {
  const { stream: destination, lines } = jsonLinesSink();
  const nest = new NestLogger(
    createLogger({ service: 'demo', version: '1', level: 'trace', destination }),
  );

  beforeEach(() => lines.splice(0));

  it('maps Nest levels to pino levels and keeps the context name', () => {
    nest.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    nest.warn('careful', 'Demo');
    nest.verbose('details', 'Demo');
    expect(lines.map((l) => [l.level, l.context, l.msg])).toEqual([
      ['info', 'RouterExplorer', 'Mapped {/health/live, GET} route'],
      ['warn', 'Demo', 'careful'],
      ['trace', 'Demo', 'details'],
    ]);
  });

  it('merges an object message into the line', () => {
    nest.log({ event: 'x.done', rows: 3 }, 'Demo');
    expect(lines[0]).toMatchObject({ level: 'info', event: 'x.done', rows: 3, context: 'Demo' });
  });

  it('keeps the stack Nest passes with an error', () => {
    nest.error('boom', 'Error: boom\n    at somewhere', 'ExceptionHandler');
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'boom',
      context: 'ExceptionHandler',
      stack: 'Error: boom\n    at somewhere',
    });
  });
});

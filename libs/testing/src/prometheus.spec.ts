import { parsePrometheusText } from './prometheus';

describe(parsePrometheusText.name, () => {
  it('reads families, types and labelled samples', () => {
    const families = parsePrometheusText(
      [
        '# HELP tributary_events_ingested_total Events accepted.',
        '# TYPE tributary_events_ingested_total counter',
        'tributary_events_ingested_total{source="web",type="a b"} 3',
        '',
      ].join('\n'),
    );
    expect(families).toEqual([
      {
        name: 'tributary_events_ingested_total',
        help: 'Events accepted.',
        type: 'COUNTER',
        metrics: [{ labels: { source: 'web', type: 'a b' }, value: '3' }],
      },
    ]);
  });

  it.each([
    ['a sample without a value', 'tributary_x{a="1"}'],
    ['an unterminated label set', 'tributary_x{a="1" 3'],
    ['an unknown type', '# TYPE tributary_x countr'],
    ['free text', 'garbage {{'],
  ])('throws on %s, naming the line', (_case, line) => {
    expect(() => parsePrometheusText(`# HELP tributary_x X.\n${line}\n`)).toThrow(
      `line 2 is not valid exposition format: ${line}`,
    );
  });
});

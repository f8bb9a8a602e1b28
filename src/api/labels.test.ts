import { describe, expect, it } from 'vitest';
import {
  everything,
  newRequirement,
  nothing,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromRequirements,
  selectorFromSet,
  SelectorError,
  validatedSelectorFromSet,
  type Operator,
  type Requirement,
} from './labels.js';

const req = (key: string, op: Operator, values: string[] = []): Requirement => newRequirement(key, op, values);

describe('parseSelector', () => {
  // selector_test.go TestSelectorParse: good strings re-stringify to themselves minus spaces.
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])(
    'TestSelectorParse good %j',
    (text) => {
      expect(parseSelector(text).toString()).toBe(text.replaceAll(' ', ''));
    },
  );

  // selector_test.go TestSelectorParse bad strings
  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a'])('TestSelectorParse bad %j', (text) => {
    expect(() => parseSelector(text)).toThrow(SelectorError);
  });

  // selector_test.go TestDeterministicParse
  it('is deterministic regardless of requirement order', () => {
    expect(parseSelector('x=a,a=x').toString()).toBe(parseSelector('a=x,x=a').toString());
    expect(parseSelector('x=a,a=x').toString()).toBe('a=x,x=a');
  });

  // selector_test.go TestSetSelectorParser: [input, expected requirements] for valid strings.
  const valid: [string, Requirement[]][] = [
    ['', []],
    ['\rx', [req('x', 'exists')]],
    ['this-is-a-dns.domain.com/key-with-dash', [req('this-is-a-dns.domain.com/key-with-dash', 'exists')]],
    [
      'this-is-another-dns.domain.com/key-with-dash in (so,what)',
      [req('this-is-another-dns.domain.com/key-with-dash', 'in', ['so', 'what'])],
    ],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', [req('0.1.2.domain/99', 'notin', ['10.10.100.1', 'tick.tack.clock'])]],
    ['foo  in\t (abc)', [req('foo', 'in', ['abc'])]],
    ['x notin\n (abc)', [req('x', 'notin', ['abc'])]],
    ['x  notin\t\t\t(abc,def)', [req('x', 'notin', ['abc', 'def'])]],
    ['x in (abc,def)', [req('x', 'in', ['abc', 'def'])]],
    ['x in (abc,)', [req('x', 'in', ['', 'abc'])]],
    ['x in ()', [req('x', 'in', [''])]],
    [
      'x notin (abc,,def),bar,z in (),w',
      [req('bar', 'exists'), req('w', 'exists'), req('x', 'notin', ['', 'abc', 'def']), req('z', 'in', [''])],
    ],
    ['x=a', [req('x', '=', ['a'])]],
    ['x>1', [req('x', 'gt', ['1'])]],
    ['x<7', [req('x', 'lt', ['7'])]],
    ['x=a,y!=b', [req('x', '=', ['a']), req('y', '!=', ['b'])]],
    ['x=a,y!=b,z in (h,i,j)', [req('x', '=', ['a']), req('y', '!=', ['b']), req('z', 'in', ['h', 'i', 'j'])]],
    ['x notin ( )', [req('x', 'notin', [''])]],
    ['x notin (, a)', [req('x', 'notin', ['', 'a'])]],
    ['a ', [req('a', 'exists')]],
    // operator keywords are plain identifiers inside a value list
    ['a in (x,y,notin, z,in)', [req('a', 'in', ['in', 'notin', 'x', 'y', 'z'])]],
  ];
  it.each(valid)('TestSetSelectorParser valid %j', (text, expected) => {
    expect(parseSelector(text).requirements()).toEqual(expected);
  });

  it('TestSetSelectorParser valid "x,y in (a)" (sorted by key)', () => {
    expect(parseSelector('x,y in (a)').requirements()).toEqual([req('x', 'exists'), req('y', 'in', ['a'])]);
  });

  // selector_test.go TestSetSelectorParser invalid strings
  it.each(['x=a||y=b', 'x,,y', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '('])(
    'TestSetSelectorParser invalid %j',
    (text) => {
      expect(() => parseSelector(text)).toThrow(SelectorError);
    },
  );

  it('reports upstream parser messages with the selector and a syntax hint', () => {
    expect(() => parseSelector('x==a==b')).toThrow(
      /invalid label selector "x==a==b": found '==', expected: ',' or 'end of string'; expected comma-separated/,
    );
    expect(() => parseSelector(',x')).toThrow(/found ',', expected: !, identifier, or 'end of string'/);
    expect(() => parseSelector('a,')).toThrow(/found '', expected: identifier after ','/);
    expect(() => parseSelector('x<a')).toThrow(/unable to parse requirement: .*the value must be an integer/);
    expect(() => parseSelector('a (')).toThrow(/found '\(', expected: in, notin, =, ==, !=, gt, lt/);
    expect(() => parseSelector('a in (x y)')).toThrow(/found 'y', expected: ',' or '\)'/);
  });

  it('validates keys and values like upstream', () => {
    expect(() => parseSelector('Example.com/abc=x')).toThrow(/prefix part a lowercase RFC 1123 subdomain/);
    expect(() => parseSelector(`x=${'a'.repeat(64)}`)).toThrow(/must be no more than 63 characters/);
    expect(() => parseSelector('x=-bad')).toThrow(SelectorError);
  });
});

describe('matching', () => {
  // selector_test.go TestSelectorMatches
  const matches: [string, Record<string, string>][] = [
    ['', { x: 'y' }],
    ['x=y', { x: 'y' }],
    ['x=y,z=w', { x: 'y', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }],
    ['x', { x: 'z' }],
    ['!x', { y: 'z' }],
    ['x>1', { x: '2' }],
    ['x<1', { x: '0' }],
    ['foo=bar', { foo: 'bar', baz: 'blah' }],
    ['baz=blah', { foo: 'bar', baz: 'blah' }],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
  ];
  it.each(matches)('TestSelectorMatches %j matches %j', (text, labels) => {
    expect(parseSelector(text).matches(labels)).toBe(true);
  });

  const noMatches: [string, Record<string, string>][] = [
    ['x=z', {}],
    ['x=y', { x: 'z' }],
    ['x=y,z=w', { x: 'w', z: 'w' }],
    ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['x', { y: 'z' }],
    ['!x', { x: 'z' }],
    ['x>1', { x: '0' }],
    ['x<1', { x: '2' }],
    ['foo=blah', { foo: 'bar', baz: 'blah' }],
    ['baz=bar', { foo: 'bar', baz: 'blah' }],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }],
  ];
  it.each(noMatches)('TestSelectorMatches %j does not match %j', (text, labels) => {
    expect(parseSelector(text).matches(labels)).toBe(false);
  });

  // selector_test.go TestRequirementSelectorMatching
  it.each<[Record<string, string>, Requirement[], boolean]>([
    [{ x: 'foo', y: 'baz' }, [req('x', 'in', ['foo']), req('y', 'notin', ['alpha'])], true],
    [{ x: 'foo', y: 'baz' }, [req('x', 'in', ['foo']), req('y', 'in', ['alpha'])], false],
    [{ y: '' }, [req('x', 'notin', ['']), req('y', 'exists')], true],
    [{ y: '' }, [req('x', '!'), req('y', 'exists')], true],
    [{ y: '' }, [req('x', 'notin', ['']), req('y', '!')], false],
    [{ y: 'baz' }, [req('x', 'in', [''])], false],
    [{ z: '2' }, [req('z', 'gt', ['1'])], true],
    [{ z: 'v2' }, [req('z', 'gt', ['1'])], false],
  ])('TestRequirementSelectorMatching %j', (labels, reqs, want) => {
    expect(selectorFromRequirements(reqs).matches(labels)).toBe(want);
  });

  it('treats missing labels as an empty set and ignores inherited object keys', () => {
    expect(parseSelector('!x').matches(undefined)).toBe(true);
    expect(parseSelector('x').matches(null)).toBe(false);
    expect(parseSelector('constructor').matches({})).toBe(false);
    expect(parseSelector('!toString').matches({})).toBe(true);
  });

  it('gt/lt compare as int64 and never match unparsable values', () => {
    expect(parseSelector('x>5').matches({ x: '10' })).toBe(true); // numeric, not lexicographic
    expect(() => parseSelector('x>-5')).toThrow(/a valid label must be an empty string/); // '-5' is no label value
    expect(parseSelector('x<10').matches({ x: '9223372036854775808' })).toBe(false); // past int64
    expect(parseSelector('x>1').matches({ x: '1.5' })).toBe(false);
  });
});

describe('Everything / Nothing', () => {
  // selector_test.go TestEverything
  it('Everything matches and is empty', () => {
    expect(everything().matches({ x: 'y' })).toBe(true);
    expect(everything().empty()).toBe(true);
    expect(everything().isNothing()).toBe(false);
  });
  it('Nothing matches nothing and is not empty', () => {
    expect(nothing().matches({})).toBe(false);
    expect(nothing().matches({ x: 'y' })).toBe(false);
    expect(nothing().empty()).toBe(false);
    expect(nothing().isNothing()).toBe(true);
    expect(nothing().toString()).toBe('');
  });
});

describe('toString', () => {
  // selector_test.go TestToString
  it.each<[Requirement[], string]>([
    [[req('x', 'in', ['abc', 'def']), req('y', 'notin', ['jkl']), req('z', 'exists')], 'x in (abc,def),y notin (jkl),z'],
    [[req('x', 'notin', ['abc', 'def']), req('y', '!=', ['jkl']), req('z', '!')], 'x notin (abc,def),y!=jkl,!z'],
    [[req('x', 'notin', ['abc']), req('y', 'in', ['jkl', 'mno']), req('z', 'notin', [''])], 'x notin (abc),y in (jkl,mno),z notin ()'],
    [[req('x', '=', ['abc']), req('y', '==', ['jkl']), req('z', '!=', ['a']), req('z', 'exists')], 'x=abc,y==jkl,z!=a,z'],
    [[req('x', 'gt', ['2']), req('y', 'lt', ['8']), req('z', 'exists')], 'x>2,y<8,z'],
  ])('TestToString %#', (reqs, want) => {
    expect(selectorFromRequirements(reqs).toString()).toBe(want);
  });

  it('sorts multi-values on output without mutating the requirement', () => {
    const r = req('k', 'in', ['b', 'a']);
    expect(selectorFromRequirements([r]).toString()).toBe('k in (a,b)');
    expect(r.values).toEqual(['b', 'a']);
  });
});

describe('newRequirement', () => {
  // selector_test.go TestRequirementConstructor
  it.each<[string, Operator, string[], boolean]>([
    ['x', 'in', [], false],
    ['x', 'notin', [], false],
    ['x', 'in', ['foo'], true],
    ['x', 'notin', ['foo'], true],
    ['x', 'exists', [], true],
    ['x', '!', [], true],
    ['1foo', 'in', ['bar'], true],
    ['1234', 'in', ['bar'], true],
    ['y', 'gt', ['1'], true],
    ['z', 'lt', ['6'], true],
    ['foo', 'gt', ['bar'], false],
    ['barz', 'lt', ['blah'], false],
    ['a'.repeat(254), 'exists', [], false],
  ])('TestRequirementConstructor %j %j %j → ok=%j', (key, op, values, ok) => {
    if (ok) expect(newRequirement(key, op, values).key).toBe(key);
    else expect(() => newRequirement(key, op, values)).toThrow(SelectorError);
  });

  it('uses upstream detail messages', () => {
    expect(() => newRequirement('x', 'in', [])).toThrow(/for 'in', 'notin' operators, values set can't be empty/);
    expect(() => newRequirement('x', '=', ['a', 'b'])).toThrow(/exact-match compatibility requires one single value/);
    expect(() => newRequirement('x', 'exists', ['a'])).toThrow(/values set must be empty for exists and does not exist/);
  });
});

describe('equalityPairs / requiresExactMatch', () => {
  it('lists k=v, k==v and single-value in requirements only', () => {
    const s = parseSelector('a=1,b==2,c in (3),d in (4,5),e!=6,f,g>1');
    expect(s.equalityPairs()).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  // selector_test.go TestRequiresExactMatch
  it.each<[Requirement[], string, string | undefined]>([
    [[req('key', 'in', ['value'])], 'key', 'value'],
    [[req('key', 'in', ['value', 'value2'])], 'key', undefined],
    [[req('key', 'in', ['value', 'value1']), req('key2', 'in', ['value2'])], 'key2', 'value2'],
    [[req('key', '=', ['value'])], 'key', 'value'],
    [[req('key', '==', ['value'])], 'key', 'value'],
    [[req('key', '!=', ['value'])], 'key', undefined],
    [[req('key', 'in', ['value']), req('key2', 'in', ['value2'])], 'key', 'value'],
  ])('TestRequiresExactMatch %#', (reqs, label, want) => {
    expect(selectorFromRequirements(reqs).requiresExactMatch(label)).toBe(want);
  });
});

describe('selectorFromLabelSelector', () => {
  // helpers_test.go TestLabelSelectorAsSelector
  const matchExpressions = [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }];
  it('nil → Nothing', () => {
    expect(selectorFromLabelSelector(null).isNothing()).toBe(true);
    expect(selectorFromLabelSelector(undefined).isNothing()).toBe(true);
  });
  it('{} → Everything', () => {
    const s = selectorFromLabelSelector({});
    expect(s.empty()).toBe(true);
    expect(s.matches({ any: 'thing' })).toBe(true);
    expect(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty()).toBe(true);
  });
  it('matchLabels → k=v', () => {
    expect(selectorFromLabelSelector({ matchLabels: { foo: 'bar' } }).toString()).toBe(parseSelector('foo=bar').toString());
  });
  it('matchExpressions → set-based', () => {
    expect(selectorFromLabelSelector({ matchExpressions }).toString()).toBe('baz in (norf,qux)');
  });
  it('both are ANDed', () => {
    const s = selectorFromLabelSelector({ matchLabels: { foo: 'bar' }, matchExpressions });
    expect(s.toString()).toBe(parseSelector('baz in (norf,qux),foo=bar').toString());
    expect(s.matches({ foo: 'bar', baz: 'qux' })).toBe(true);
    expect(s.matches({ foo: 'bar', baz: 'other' })).toBe(false);
    expect(s.matches({ baz: 'qux' })).toBe(false);
  });
  it('Exists with values is an error', () => {
    expect(() =>
      selectorFromLabelSelector({ matchExpressions: [{ key: 'baz', operator: 'Exists', values: ['qux', 'norf'] }] }),
    ).toThrow(/values set must be empty for exists and does not exist/);
  });
  it('In with no values is an error; unknown operators are rejected', () => {
    expect(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      /values set can't be empty/,
    );
    expect(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] })).toThrow(
      /"in" is not a valid label selector operator/,
    );
  });
  it('does not modify its input', () => {
    const input = { matchLabels: { b: '1', a: '2' }, matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['z', 'y'] }] };
    const copy = structuredClone(input);
    selectorFromLabelSelector(input);
    expect(input).toEqual(copy);
  });
  it('DoesNotExist and NotIn follow upstream semantics', () => {
    const s = selectorFromLabelSelector({
      matchExpressions: [
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
      ],
    });
    expect(s.matches({})).toBe(true);
    expect(s.matches({ env: 'prod' })).toBe(true);
    expect(s.matches({ env: 'dev' })).toBe(false);
    expect(s.matches({ canary: '' })).toBe(false);
  });
});

describe('selectorFromSet', () => {
  // selector_test.go TestSetMatches / TestNilMapIsValid / TestSetIsEmpty
  const labelset = { foo: 'bar', baz: 'blah' };
  it.each<Record<string, string>>([{}, { foo: 'bar' }, { baz: 'blah' }, { foo: 'bar', baz: 'blah' }])('TestSetMatches %j', (set) => {
    expect(selectorFromSet(set).matches(labelset)).toBe(true);
  });
  it('nil and empty maps are Everything', () => {
    expect(selectorFromSet(undefined).empty()).toBe(true);
    expect(selectorFromSet({}).empty()).toBe(true);
  });
  it('is equality on every key, sorted in toString', () => {
    const s = selectorFromSet({ tier: 'web', app: 'shop' });
    expect(s.toString()).toBe('app=shop,tier=web');
    expect(s.matches({ app: 'shop', tier: 'db' })).toBe(false);
    expect(s.equalityPairs()).toEqual([
      ['app', 'shop'],
      ['tier', 'web'],
    ]);
  });
  // selector_test.go TestValidatedSelectorFromSet
  it('validatedSelectorFromSet rejects a too-long value', () => {
    expect(validatedSelectorFromSet({ key: 'val' }).toString()).toBe('key=val');
    expect(() => validatedSelectorFromSet({ Key: 'axahm2EJ8Phiephe2eixohbee9eGeiyees1thuozi1xoh0GiuH3diewi8iem7Nui' })).toThrow(
      /must be no more than 63 characters/,
    );
  });
});

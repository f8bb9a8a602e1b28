import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameRuleForKind,
  objectNameWarnings,
  validateObjectName,
} from './validation.js';

describe('isDNS1123Label', () => {
  // content/dns_test.go TestIsDNS1123Label
  it.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a'.repeat(63)])(
    'accepts %j',
    (v) => expect(isDNS1123Label(v)).toEqual([]),
  );
  it.each([
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A',
    '-', 'a-', '-a', '1-', '-1',
    '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2',
    ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
    'a'.repeat(64),
  ])('rejects %j', (v) => expect(isDNS1123Label(v).length).toBeGreaterThan(0));

  it('uses upstream messages', () => {
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
    expect(isDNS1123Label('My_Name')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('isDNS1123Subdomain', () => {
  // content/dns_test.go TestIsDNS1123Subdomain
  it.each([
    'a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b',
    '0', '01', '012', '1a', '1-a', '1--a--b--2',
    'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a',
    'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1',
    '0.a', '01.a', '012.a', '1a.a', '1-a.a', '1--a--b--2',
    '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1',
    'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55',
    'a'.repeat(253),
  ])('accepts %j', (v) => expect(isDNS1123Subdomain(v)).toEqual([]));
  it.each([
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A',
    '-', 'a-', '-a', '1-', '-1',
    '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2',
    ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
    'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A',
    'A.1', 'aB.1', 'A1.1', '1A.1',
    '0.A', '01.A', '012.A', '1A.a', '1a.A',
    'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee',
    'a@b', 'a,b', 'a_b', 'a;b',
    'a:b', 'a%b', 'a?b', 'a$b',
    'a'.repeat(254),
  ])('rejects %j', (v) => expect(isDNS1123Subdomain(v).length).toBeGreaterThan(0));

  it('uses upstream messages', () => {
    expect(isDNS1123Subdomain('Web')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });
});

describe('isDNS1035Label', () => {
  // util/validation/validation_test.go TestIsDNS1035Label
  it.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)])('accepts %j', (v) =>
    expect(isDNS1035Label(v)).toEqual([]),
  );
  it.each([
    '0', '01', '012', '1a', '1-a', '1--a--b--2',
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A',
    '-', 'a-', '-a', '1-', '-1',
    '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2',
    ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2',
    'a'.repeat(64),
  ])('rejects %j', (v) => expect(isDNS1035Label(v).length).toBeGreaterThan(0));

  it('uses the upstream message', () => {
    expect(isDNS1035Label('1web')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
});

describe('isQualifiedName (label keys)', () => {
  // content/kube_test.go TestIsLabelKey (IsQualifiedName is an alias of IsLabelKey)
  it.each([
    'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
    '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo',
    'a'.repeat(63), `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ])('accepts %j', (v) => expect(isQualifiedName(v)).toEqual([]));
  it.each([
    'nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc',
    'example_com/abc', 'example.com/', '/simple', 'a'.repeat(64), `${'a'.repeat(254)}/abc`,
  ])('rejects %j', (v) => expect(isQualifiedName(v).length).toBeGreaterThan(0));

  it('names the failing part', () => {
    expect(isQualifiedName('/simple')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('example.com/')[0]).toBe('name part must be non-empty');
    expect(isQualifiedName('a'.repeat(64))[0]).toBe('name part must be no more than 63 characters');
    expect(isQualifiedName('only/one/slash')[0]).toMatch(/^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/'/);
  });
});

describe('isValidLabelValue', () => {
  // content/kube_test.go TestIsLabelValue
  it.each(['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), ''])('accepts %j', (v) =>
    expect(isValidLabelValue(v)).toEqual([]),
  );
  it.each([
    'nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash',
    'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a'.repeat(64),
  ])('rejects %j', (v) => expect(isValidLabelValue(v).length).toBeGreaterThan(0));

  it('counts bytes, as Go does', () => {
    expect(isValidLabelValue(`${'a'.repeat(62)}é`)).toContain('must be no more than 63 characters');
  });
});

describe('validateObjectName', () => {
  it('picks the rule per kind', () => {
    expect(nameRuleForKind('Service')).toBe('DNS1035Label');
    expect(nameRuleForKind('Namespace')).toBe('DNS1123Label');
    expect(nameRuleForKind('StatefulSet')).toBe('DNS1123Label');
    for (const kind of ['Pod', 'Deployment', 'ReplicaSet', 'ConfigMap', 'Secret', 'Job', 'CronJob', 'DaemonSet', 'Node']) {
      expect(nameRuleForKind(kind)).toBe('DNS1123Subdomain');
    }
  });

  it('accepts dots where subdomains are allowed, rejects them for labels', () => {
    expect(validateObjectName('ConfigMap', 'app.config')).toEqual([]);
    expect(validateObjectName('Deployment', 'web.v1')).toEqual([]);
    expect(validateObjectName('StatefulSet', 'db.v1')).toEqual(['must not contain dots']);
    expect(validateObjectName('Namespace', 'team.a')).toEqual(['must not contain dots']);
    expect(validateObjectName('Service', 'web.v1')[0]).toMatch(/^a DNS-1035 label/);
  });

  it('Service names must start with a letter (DNS-1035)', () => {
    expect(validateObjectName('Service', '1web').length).toBe(1);
    expect(validateObjectName('Pod', '1web')).toEqual([]);
  });

  it('CronJob names are capped at 52 characters', () => {
    expect(validateObjectName('CronJob', 'a'.repeat(52))).toEqual([]);
    expect(validateObjectName('CronJob', 'a'.repeat(53))).toEqual(['must be no more than 52 characters']);
  });

  it('checks generateName prefixes with upstream maskTrailingDash', () => {
    expect(validateObjectName('Pod', 'web-', true)).toEqual([]);
    expect(validateObjectName('Pod', 'web-', false).length).toBeGreaterThan(0);
    expect(validateObjectName('Service', 'x-', true)).toEqual([]);
  });

  it('requires a name', () => {
    expect(validateObjectName('Pod', '')).toEqual(['name or generateName is required']);
  });
});

describe('objectNameWarnings', () => {
  it('warns for workload names that are not DNS labels', () => {
    expect(objectNameWarnings('Deployment', 'web.v1')).toEqual([
      'metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
    ]);
    expect(objectNameWarnings('Pod', 'web.v1')).toEqual([
      "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
    ]);
    expect(objectNameWarnings('Deployment', 'web')).toEqual([]);
    expect(objectNameWarnings('ConfigMap', 'web.v1')).toEqual([]);
  });
});

describe('validators without split and byte counts', () => {
  // isQualifiedName as it was written with split('/') and Buffer.byteLength
  function splitQualifiedName(value: string): string[] {
    const errs: string[] = [];
    const parts = value.split('/');
    let name: string;
    if (parts.length > 2) return isQualifiedName('a/b/c');
    if (parts.length === 2) {
      if (parts[0].length === 0) errs.push('prefix part must be non-empty');
      else for (const msg of isDNS1123Subdomain(parts[0])) errs.push(`prefix part ${msg}`);
      name = parts[1];
    } else name = parts[0];
    if (name.length === 0) errs.push('name part must be non-empty');
    else if (Buffer.byteLength(name, 'utf8') > 63) errs.push('name part must be no more than 63 characters');
    if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) errs.push(isQualifiedName('-')[0]);
    return errs;
  }
  const text = (max: number) => fc.array(fc.constantFrom('a', 'Z', '0', '-', '.', '/', '_', 'é', '\u{1F600}', '\uD800'), { maxLength: max }).map((cs) => cs.join(''));

  it('isQualifiedName answers as splitting at every slash and counting bytes did', () => {
    fc.assert(fc.property(fc.oneof(text(8), text(80), fc.tuple(text(3), fc.nat(70)).map(([s, n]) => s + 'a'.repeat(n) + 'é'.repeat(n % 5))), (v) => {
      expect(isQualifiedName(v)).toEqual(splitQualifiedName(v));
    }), { numRuns: 2000 });
  });

  it('length limits count UTF-8 bytes', () => {
    fc.assert(fc.property(fc.nat(70), fc.nat(60), fc.constantFrom('a', 'é', '\u{1F600}', '\uD800'), (n, m, c) => {
      const v = 'a'.repeat(n) + c.repeat(m) + 'a';
      const tooLong = Buffer.byteLength(v, 'utf8') > 63;
      expect(isValidLabelValue(v).includes('must be no more than 63 characters')).toBe(tooLong);
      expect(isDNS1123Label(v).includes('must be no more than 63 characters')).toBe(tooLong);
      expect(isDNS1123Subdomain(v).includes('must be no more than 253 characters')).toBe(Buffer.byteLength(v, 'utf8') > 253);
    }), { numRuns: 1000 });
  });
});

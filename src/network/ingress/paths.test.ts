import { describe, expect, it } from 'vitest';
import { buildLocations, hostMatches, rewriteUri, selectLocation, type IngressPath, type PathType } from './paths.js';

const p = (path: string, pathType: PathType, backend: string, extra: Partial<IngressPath<string>> = {}): IngressPath<string> => ({ path, pathType, backend, ...extra });
const route = (paths: IngressPath<string>[], uri: string) => selectLocation(buildLocations(paths), uri)?.backend;

// The path-matching table of the Ingress docs (website content/en/docs/concepts/services-networking/ingress.md, "Examples").
describe('Ingress path matching (docs table)', () => {
  const rows: [PathType | 'mixed', string[], string, string | undefined][] = [
    ['Prefix', ['/'], '/anything', '/'],
    ['Exact', ['/foo'], '/foo', '/foo'],
    ['Exact', ['/foo'], '/bar', undefined],
    ['Exact', ['/foo'], '/foo/', undefined],
    ['Exact', ['/foo/'], '/foo', undefined],
    ['Prefix', ['/foo'], '/foo', '/foo'],
    ['Prefix', ['/foo'], '/foo/', '/foo'],
    // ingress-nginx differs from the docs here: Prefix "/foo/" becomes `location /foo/` plus
    // `location = /foo/` (location.go updateServerLocations copies the path as written), so "/foo"
    // matches neither and goes to the default backend
    ['Prefix', ['/foo/'], '/foo', undefined],
    ['Prefix', ['/foo/'], '/foo/', '/foo/'],
    ['Prefix', ['/aaa/bb'], '/aaa/bbb', undefined],
    ['Prefix', ['/aaa/bbb'], '/aaa/bbb', '/aaa/bbb'],
    ['Prefix', ['/aaa/bbb/'], '/aaa/bbb', undefined], // the docs say yes; ingress-nginx: no (as above)
    ['Prefix', ['/aaa/bbb'], '/aaa/bbb/', '/aaa/bbb'],
    ['Prefix', ['/aaa/bbb'], '/aaa/bbb/ccc', '/aaa/bbb'],
    ['Prefix', ['/aaa/bbb'], '/aaa/bbbxyz', undefined],
    ['Prefix', ['/', '/aaa'], '/aaa/ccc', '/aaa'],
    ['Prefix', ['/', '/aaa', '/aaa/bbb'], '/aaa/bbb', '/aaa/bbb'],
    ['Prefix', ['/', '/aaa', '/aaa/bbb'], '/ccc', '/'],
    ['Prefix', ['/aaa'], '/ccc', undefined],
  ];
  for (const [type, paths, uri, want] of rows) {
    it(`${type} ${paths.join(',')} ${uri} -> ${want ?? 'default backend'}`, () => {
      expect(route(paths.map((x) => p(x, type as PathType, x)), uri)).toBe(want);
    });
  }
  it('mixed: /foo Prefix and /foo Exact, request /foo -> Exact', () => {
    expect(route([p('/foo', 'Prefix', 'prefix'), p('/foo', 'Exact', 'exact')], '/foo')).toBe('exact');
    expect(route([p('/foo', 'Prefix', 'prefix'), p('/foo', 'Exact', 'exact')], '/foo/x')).toBe('prefix');
  });
  it('ImplementationSpecific is an nginx string prefix: /foo also matches /foobar', () => {
    expect(route([p('/foo', 'ImplementationSpecific', 'is')], '/foobar')).toBe('is');
  });
});

// ingress-nginx docs/user-guide/ingress-path-matching.md examples.
describe('ingress-nginx regex locations (ingress-path-matching.md)', () => {
  it('a rewrite on the host turns every location into a case-insensitive regex, first match in length order', () => {
    const paths = [p('/foo/bar', 'ImplementationSpecific', 'svc1'), p('/foo/bar/', 'ImplementationSpecific', 'svc2'), p('/foo/bar/(.+)', 'ImplementationSpecific', 'svc3', { rewriteTarget: '/new/$1' })];
    expect(route(paths, '/foo/bar/1')).toBe('svc3');
    expect(route(paths, '/foo/bar/')).toBe('svc2');
    expect(route(paths, '/foo/bar')).toBe('svc1');
    expect(route(paths, '/FOO/BAR')).toBe('svc1');
  });
  it('pitfall: with use-regex the longer regex path sorts first and catches /foo/bar/bar', () => {
    const paths = [p('/foo/bar/bar', 'Prefix', 'svc1', { useRegex: true }), p('/foo/bar/[A-Z0-9]{3}', 'Prefix', 'svc2', { useRegex: true })];
    expect(route(paths, '/foo/bar/bar')).toBe('svc2');
  });
  it('rewrite-target /$2 on /something(/|$)(.*) (docs/examples/rewrite)', () => {
    expect(rewriteUri('/something(/|$)(.*)', '/$2', '/something')).toBe('/');
    expect(rewriteUri('/something(/|$)(.*)', '/$2', '/something/')).toBe('/');
    expect(rewriteUri('/something(/|$)(.*)', '/$2', '/something/new')).toBe('/new');
  });
});

describe('host matching (docs table)', () => {
  it('wildcard matches exactly one extra label', () => {
    expect(hostMatches('*.foo.com', 'bar.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'baz.bar.foo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false);
    expect(hostMatches('foo.bar.com', 'FOO.bar.com')).toBe(true);
  });
});

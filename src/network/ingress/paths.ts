// ingress-nginx location generation and nginx's location selection for one server (host):
// - internal/ingress/controller/location.go updateServerLocations: `/` unchanged; a Prefix path
//   without rewrite/regex is normalised to "/p/" plus an extra Exact "/p" unless an Exact "/p"
//   already exists (then only normalised); other path types unchanged.
// - controller.go getBackendServers: locations sorted by path, reverse-lexicographic, then
//   stably by length, longest first.
// - template.go enforceRegexModifier/buildLocation: if any location of the server rewrites
//   (rewrite-target != path) or sets use-regex, every location is `~* "^<path>"`; otherwise
//   Exact is `= <path>` and the rest are plain prefix locations (ImplementationSpecific is a
//   plain nginx string prefix, so /foo also matches /foobar).
// - nginx ngx_http_core_module: an `=` match wins at once; otherwise the longest matching
//   prefix is remembered, regex locations are tried in order and the first match wins, else
//   the remembered prefix.

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface IngressPath<B> {
  path: string;
  pathType: PathType;
  /** nginx.ingress.kubernetes.io/rewrite-target of the Ingress, if any */
  rewriteTarget?: string;
  /** nginx.ingress.kubernetes.io/use-regex: "true" */
  useRegex?: boolean;
  backend: B;
}

export interface Location<B> {
  /** the nginx location path */
  path: string;
  modifier: '=' | 'prefix' | 'regex';
  /** the path as written in the Ingress */
  ingressPath: string;
  rewriteTarget?: string;
  backend: B;
}

function needsRewrite(p: { path: string; rewriteTarget?: string }): boolean {
  return !!p.rewriteTarget && p.rewriteTarget !== p.path;
}

function normalizePrefixPath(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

export function buildLocations<B>(paths: IngressPath<B>[]): Location<B>[] {
  const exact = new Set(paths.filter((p) => p.pathType === 'Exact').map((p) => p.path));
  const locs: (IngressPath<B> & { exactExtra?: boolean })[] = [];
  for (const p of paths) {
    if (p.path === '/' || p.pathType !== 'Prefix' || needsRewrite(p) || p.useRegex) {
      locs.push(p);
      continue;
    }
    locs.push({ ...p, path: normalizePrefixPath(p.path) });
    if (!exact.has(p.path)) locs.push({ ...p, pathType: 'Exact', exactExtra: true });
  }
  const sorted = [...locs].sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0));
  const stable = sorted.map((l, i) => ({ l, i })).sort((a, b) => b.l.path.length - a.l.path.length || a.i - b.i).map((x) => x.l);
  const enforceRegex = paths.some((p) => needsRewrite(p) || p.useRegex);
  return stable.map((l) => ({
    path: l.path,
    modifier: enforceRegex ? 'regex' : l.pathType === 'Exact' ? '=' : 'prefix',
    ingressPath: l.exactExtra ? l.path : l.path,
    ...(l.rewriteTarget ? { rewriteTarget: l.rewriteTarget } : {}),
    backend: l.backend,
  }));
}

export function selectLocation<B>(locations: Location<B>[], uri: string): Location<B> | undefined {
  let prefix: Location<B> | undefined;
  for (const l of locations) {
    if (l.modifier === '=' && l.path === uri) return l;
    if (l.modifier === 'prefix' && uri.startsWith(l.path) && (!prefix || l.path.length > prefix.path.length)) prefix = l;
  }
  for (const l of locations) if (l.modifier === 'regex' && regex(`^${l.path}`)?.test(uri)) return l;
  return prefix;
}

/** `rewrite "(?i)<path>" <target> break;`: the URI becomes the target with $1..$n substituted */
export function rewriteUri(path: string, target: string, uri: string): string {
  const m = regex(path)?.exec(uri);
  if (!m) return uri;
  return target.replace(/\$(\d)/g, (_, d) => m[Number(d)] ?? '');
}

function regex(src: string): RegExp | undefined {
  try {
    return new RegExp(src, 'i');
  } catch {
    return undefined;
  }
}

/** Ingress API host matching: exact, or `*.foo.com` = exactly one more leading label. */
export function hostMatches(ruleHost: string, host: string): boolean {
  const h = host.toLowerCase();
  const r = ruleHost.toLowerCase();
  if (!r.startsWith('*.')) return r === h;
  const suffix = r.slice(1);
  if (!h.endsWith(suffix)) return false;
  const first = h.slice(0, h.length - suffix.length);
  return first.length > 0 && !first.includes('.');
}

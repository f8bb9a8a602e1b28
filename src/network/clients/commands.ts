// Network commands inside containers (`exec:`, exec probes, hooks, init containers waiting for a
// Service): curl and wget send one request over the same path as `request:` steps (and appear in
// the traffic log as client `pod/<name>`); nslookup and dig answer from the cluster DNS. Messages
// and exit codes are curl's (6 resolve, 7 connect, 22 with -f, 28 timeout) and busybox wget's.

import type { Cluster } from '../../engine/cluster.js';
import type { KubeObject } from '../../api/types.js';
import type { ExecProcess, ExecStep, NetworkCommands } from '../../kubelet/exec/types.js';
import { runDig, runNslookup } from '../dns.js';
import { parseUrl, trafficOf, type RequestRecord } from '../traffic.js';

/** curl's default connect timeout (CURL default 300 s) and busybox wget's -T default (900 s) */
const CURL_TIMEOUT_MS = 300_000;
const WGET_TIMEOUT_MS = 900_000;

export function networkCommandsFor(cluster: Cluster, pod: KubeObject): NetworkCommands {
  return {
    run(argv) {
      if (argv[0] === 'nslookup' || argv[0] === 'dig') {
        const out = argv[0] === 'nslookup' ? runNslookup(cluster.api, pod, argv) : runDig(cluster.api, pod, argv);
        return { kind: 'exit', ...out } as ExecStep;
      }
      return undefined;
    },
    start(argv, ctx) {
      if (argv[0] !== 'curl' && argv[0] !== 'wget') return undefined;
      const opts = argv[0] === 'curl' ? parseCurl(argv.slice(1)) : parseWget(argv.slice(1));
      if ('error' in opts) return once({ kind: 'exit', exitCode: 2, stdout: '', stderr: `${argv[0]}: ${opts.error}\n` });
      let result: ExecStep | undefined;
      let step = 0;
      let warnings = '';
      return {
        next(): ExecStep {
          if (step === 0) {
            step = 1;
            const client = { name: `pod/${pod.metadata.name}`, from: `pod/${pod.metadata.namespace}/${pod.metadata.name}`, keepAlive: false, cookies: false };
            let rec: RequestRecord | undefined;
            let req: { method?: string; headers?: Record<string, string>; body?: string } = {};
            if (argv[0] === 'curl') {
              const c = opts as CurlOpts;
              const body = curlBody(c, (p) => ctx.fs.read(p.startsWith('/') ? p : `/${p}`));
              // a file that cannot be read: a warning (muted by -s), and that part is empty
              for (const m of body?.missing ?? []) if (!c.silent) warnings += `Warning: Couldn't read data from file "${m}", this makes an empty POST.\n`;
              req = { method: c.method, headers: c.headers, ...(body !== undefined ? { body: body.text } : {}) };
            }
            trafficOf(cluster).fetch(client, opts.url, opts.timeoutMs, (r) => (rec = r), req);
            const write = (p: string, c: string) => ctx.fs.write(p.startsWith('/') ? p : `/${p}`, c);
            result = argv[0] === 'curl' ? curlResult(rec!, opts as CurlOpts, write) : wgetResult(rec!, opts as WgetOpts, (p, c) => ctx.fs.write(p, c));
            if (warnings && result.kind === 'exit') result = { ...result, stderr: warnings + result.stderr };
            if (rec!.latency > 0) return { kind: 'sleep', ms: rec!.latency };
          }
          return result!;
        },
      };
    },
  };
}

function once(s: ExecStep): ExecProcess {
  return { next: () => s };
}

interface CurlOpts {
  url: string;
  timeoutMs: number;
  silent: boolean;
  fail: boolean;
  output?: string;
  /** -S: errors are printed even with -s */
  showError?: boolean;
  method?: string;
  headers: Record<string, string>;
  /** -d/--data/--data-binary/--data-raw/--json values, in order (joined with '&' as curl does) */
  data: { value: string; binary: boolean; raw: boolean }[];
}

/**
 * The request body curl sends: each -d value, an `@file` read from the container's filesystem
 * (-d drops carriage returns and newlines from a file, --data-binary keeps them, --data-raw
 * takes '@' literally), joined with '&'. A file that cannot be read counts as empty and is named in
 * `missing` (curl warns "this makes an empty POST" and sends the request anyway).
 */
function curlBody(o: CurlOpts, read: (path: string) => string | undefined): { text: string; missing: string[] } | undefined {
  if (o.data.length === 0) return undefined;
  const parts: string[] = [];
  const missing: string[] = [];
  for (const d of o.data) {
    if (!d.raw && d.value.startsWith('@')) {
      const path = d.value.slice(1);
      const content = read(path);
      if (content === undefined) missing.push(path);
      const text = content ?? '';
      parts.push(d.binary ? text : text.replace(/[\r\n]/g, ''));
    } else parts.push(d.value);
  }
  return { text: parts.join('&'), missing };
}

/** options whose value is the next argument (TLS files are accepted and not checked: TLS is not modelled) */
const CURL_VALUE_OPTIONS = new Set(['--cacert', '--capath', '--cert', '--key', '-E', '-A', '--user-agent', '-u', '--user', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar']);

function parseCurl(args: string[]): CurlOpts | { error: string } {
  const o: CurlOpts = { url: '', timeoutMs: CURL_TIMEOUT_MS, silent: false, fail: false, headers: {}, data: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-m' || a === '--max-time' || a === '--connect-timeout') o.timeoutMs = Number(args[++i]) * 1000;
    else if (a === '-o' || a === '--output') o.output = args[++i];
    else if (a === '-H' || a === '--header') {
      const h = args[++i] ?? '';
      const colon = h.indexOf(':');
      if (colon > 0) o.headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
    } else if (a === '-X' || a === '--request') o.method = (args[++i] ?? 'GET').toUpperCase();
    else if (a === '-d' || a === '--data' || a === '--data-raw' || a === '--data-binary' || a === '--data-ascii' || a === '--json') {
      o.data.push({ value: args[++i] ?? '', binary: a === '--data-binary' || a === '--json', raw: a === '--data-raw' });
      if (a === '--json') {
        // curl 7.82 --json: the JSON content type and Accept unless -H already set them
        if (!Object.keys(o.headers).some((k) => k.toLowerCase() === 'content-type')) o.headers['Content-Type'] = 'application/json';
        if (!Object.keys(o.headers).some((k) => k.toLowerCase() === 'accept')) o.headers['Accept'] = 'application/json';
      }
    } else if (CURL_VALUE_OPTIONS.has(a)) i++;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      if (a.includes('s')) o.silent = true;
      if (a.includes('S')) o.showError = true;
      if (a.includes('f')) o.fail = true;
    } else if (a === '--silent') o.silent = true;
    else if (a === '--fail') o.fail = true;
    else if (a.startsWith('-')) continue;
    else o.url = a;
  }
  if (!o.url || !parseUrl(o.url)) return { error: 'try \'curl --help\' for more information (no URL specified)' };
  if (o.data.length) {
    // data makes a POST unless -X names the method; it goes out form-encoded unless -H says otherwise
    o.method ??= 'POST';
    if (!Object.keys(o.headers).some((k) => k.toLowerCase() === 'content-type')) o.headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (!(o.timeoutMs > 0)) return { error: 'expected a positive number of seconds' };
  return o;
}

function curlResult(r: RequestRecord, o: CurlOpts, write: (path: string, content: string) => void): ExecStep {
  const u = parseUrl(o.url)!;
  const err = (code: number, msg: string): ExecStep => ({ kind: 'exit', exitCode: code, stdout: '', stderr: o.silent && !o.showError ? '' : `curl: (${code}) ${msg}\n` });
  switch (r.outcome) {
    case 'unresolved':
      return err(6, `Could not resolve host: ${u.host}`);
    case 'refused':
      return err(7, `Failed to connect to ${u.host} port ${u.port} after 0 ms: Couldn't connect to server`);
    case 'unreachable':
      return err(7, `Failed to connect to ${u.host} port ${u.port} after ${r.latency} ms: No route to host`);
    case 'timeout':
      return err(28, `Failed to connect to ${u.host} port ${u.port} after ${r.latency} ms: Timeout was reached`);
    case 'error':
      return err(7, r.reason ?? 'error');
  }
  if (o.fail && (r.status ?? 0) >= 400) return err(22, `The requested URL returned error: ${r.status}`);
  // -o writes the body to the file (relative to the working directory, "/" here)
  if (o.output && o.output !== '-') {
    try {
      write(o.output, r.body ?? '');
    } catch {
      return err(23, 'Failure writing output to destination');
    }
    return { kind: 'exit', exitCode: 0, stdout: '', stderr: '' };
  }
  return { kind: 'exit', exitCode: 0, stdout: r.body ?? '', stderr: '' };
}

interface WgetOpts {
  url: string;
  timeoutMs: number;
  quiet: boolean;
  output: string;
  spider: boolean;
}

function parseWget(args: string[]): WgetOpts | { error: string } {
  const o: WgetOpts = { url: '', timeoutMs: WGET_TIMEOUT_MS, quiet: false, output: 'index.html', spider: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-T') o.timeoutMs = Number(args[++i]) * 1000;
    else if (a === '-O') o.output = args[++i];
    else if (a === '-O-') o.output = '-';
    else if (a === '-q' || a === '--quiet') o.quiet = true;
    else if (a === '-qO-') (o.quiet = true), (o.output = '-');
    else if (a === '--spider') o.spider = true;
    else if (a.startsWith('-')) continue;
    else o.url = a;
  }
  if (!o.url || !parseUrl(o.url)) return { error: 'missing URL' };
  return o;
}

function wgetResult(r: RequestRecord, o: WgetOpts, write: (path: string, content: string) => void): ExecStep {
  const u = parseUrl(o.url)!;
  const connecting = o.quiet ? '' : `Connecting to ${u.host}${u.port !== 80 ? `:${u.port}` : ''}\n`;
  const fail = (msg: string): ExecStep => ({ kind: 'exit', exitCode: 1, stdout: '', stderr: `${r.outcome === 'unresolved' ? '' : connecting}wget: ${msg}\n` });
  switch (r.outcome) {
    case 'unresolved':
      return fail(`bad address '${u.host}'`);
    case 'refused':
      return fail(`can't connect to remote host: Connection refused`);
    case 'unreachable':
      return fail(`can't connect to remote host: No route to host`);
    case 'timeout':
      return fail('download timed out');
    case 'error':
      return fail(r.reason ?? 'error');
  }
  if ((r.status ?? 0) >= 400) return fail(`server returned error: HTTP/1.1 ${r.status}`);
  if (o.spider) return { kind: 'exit', exitCode: 0, stdout: '', stderr: o.quiet ? '' : `${connecting}remote file exists\n` };
  if (o.output === '-') return { kind: 'exit', exitCode: 0, stdout: r.body ?? '', stderr: connecting };
  write(o.output.startsWith('/') ? o.output : `/${o.output}`, r.body ?? '');
  return { kind: 'exit', exitCode: 0, stdout: '', stderr: o.quiet ? '' : `${connecting}saving to '${o.output}'\n` };
}

import { describe, expect, it } from 'vitest';
import { advance, at, newCluster, pod } from '../../../test/helpers/cluster.js';
import { networkCommandsFor } from './commands.js';
import type { ExecContext, ExecStep } from '../../kubelet/exec/types.js';

function run(c: ReturnType<typeof newCluster>, argv: string[], files: Record<string, string> = {}): { steps: ExecStep[] } {
  const client = c.api.get('Pod', 'default', 'client')!;
  const ctx = { fs: { write: (p: string, v: string) => (files[p] = v) } } as unknown as ExecContext;
  const p = networkCommandsFor(c, client).start!(argv, ctx)!;
  const steps: ExecStep[] = [];
  for (let s = p.next(); ; s = p.next()) {
    steps.push(s);
    if (s.kind === 'exit') break;
  }
  return { steps };
}

describe('curl and wget in a container', () => {
  it('use the request path: Service by DNS name, refusal, resolution failure', () => {
    const c = newCluster({ nodes: 1 });
    at(c, () => {
      c.api.create(pod('web', { nodeName: 'node-1', labels: { app: 'web' } }));
      c.api.create(pod('client', { nodeName: 'node-1' }));
      c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
      c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty', namespace: 'default' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    });
    advance(c, 3000);
    expect(run(c, ['curl', '-s', 'http://web/']).steps).toEqual([{ kind: 'exit', exitCode: 0, stdout: 'web\n', stderr: '' }]);
    expect(run(c, ['curl', 'http://empty/']).steps.at(-1)).toMatchObject({ exitCode: 7, stderr: "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n" });
    expect(run(c, ['wget', '-qO-', 'http://nope/']).steps.at(-1)).toMatchObject({ exitCode: 1, stderr: "wget: bad address 'nope'\n" });
    const files: Record<string, string> = {};
    expect(run(c, ['wget', 'http://web.default.svc.cluster.local/'], files).steps.at(-1)).toMatchObject({ exitCode: 0 });
    expect(files['/index.html']).toBe('web\n');
  });
});

describe('curl to the API server from a pod', () => {
  it('sends -H and -X, writes -o, and -sSf reports a 403', () => {
    const c = newCluster({ nodes: 1 });
    at(c, () => c.api.create(pod('client', { nodeName: 'node-1' })));
    advance(c, 3000);
    const files: Record<string, string> = {};
    // --cacert takes a value; the URL after it is still the URL
    expect(run(c, ['curl', '-s', '--cacert', '/ca.crt', '-H', 'Authorization: Bearer ', 'https://kubernetes.default/api/v1/namespaces/default/pods', '-o', '/tmp/out'], files).steps.at(-1)).toMatchObject({ exitCode: 0, stdout: '' });
    expect(JSON.parse(files['/tmp/out'])).toMatchObject({ reason: 'Forbidden', code: 403, message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"' });
    expect(run(c, ['curl', '-sSf', 'https://kubernetes/api/v1/namespaces/default/pods']).steps.at(-1)).toMatchObject({ exitCode: 22, stderr: 'curl: (22) The requested URL returned error: 403\n' });
    expect(run(c, ['curl', '-sf', 'https://kubernetes/api/v1/namespaces/default/pods']).steps.at(-1)).toMatchObject({ exitCode: 22, stderr: '' });
    expect(run(c, ['curl', '-s', '-X', 'DELETE', '-H', 'Authorization: Bearer nope', 'https://10.96.0.1/api/v1/namespaces/default/pods/x']).steps.at(-1)).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('"code": 401') });
  });
});

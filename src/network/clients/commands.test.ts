import { describe, expect, it } from 'vitest';
import { advance, at, newCluster, pod } from '../../../test/helpers/cluster.js';
import { networkCommandsFor } from './commands.js';
import type { ExecContext, ExecStep } from '../../kubelet/exec/types.js';

function run(c: ReturnType<typeof newCluster>, argv: string[], files: Record<string, string> = {}): { steps: ExecStep[] } {
  const client = c.api.get('Pod', 'default', 'client')!;
  const ctx = { fs: { write: (p: string, v: string) => (files[p] = v), read: (p: string) => files[p] } } as unknown as ExecContext;
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

describe('curl sends a body to the API server', () => {
  it('-d, --data-binary @file (kept as is) and -d @file (newlines dropped); without -H it is form-encoded', () => {
    const c = newCluster({ nodes: 1 });
    at(c, () => {
      c.api.create(pod('client', { nodeName: 'node-1' }));
      // system:anonymous may create and delete ConfigMaps in default (a test grant)
      c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete'] }] });
      c.api.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'cm', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'User', name: 'system:anonymous' }] });
    });
    advance(c, 3000);
    const url = 'https://kubernetes.default/api/v1/namespaces/default/configmaps';
    const files: Record<string, string> = { '/tmp/cm.yaml': 'metadata:\n  name: from-yaml\ndata:\n  k: v\n', '/tmp/cm.json': '{"metadata":\n{"name":"from-json"}}\n' };
    const json = run(c, ['curl', '-s', '-H', 'Content-Type: application/json', '-d', '{"metadata":{"name":"inline"}}', url]).steps.at(-1) as { stdout: string };
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'inline' } });
    expect(run(c, ['curl', '-sf', '-H', 'Content-Type: application/yaml', '--data-binary', '@/tmp/cm.yaml', url], files).steps.at(-1)).toMatchObject({ exitCode: 0 });
    expect(run(c, ['curl', '-sf', '-H', 'Content-Type: application/json', '-d', '@/tmp/cm.json', url], files).steps.at(-1)).toMatchObject({ exitCode: 0 });
    expect(c.api.get('ConfigMap', 'default', 'from-yaml')?.data).toEqual({ k: 'v' });
    expect(c.api.get('ConfigMap', 'default', 'from-json')).toBeDefined();
    const form = run(c, ['curl', '-s', '-d', '{"metadata":{"name":"form"}}', url]).steps.at(-1) as { stdout: string };
    expect(JSON.parse(form.stdout)).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect(run(c, ['curl', '-s', '-X', 'DELETE', `${url}/inline`]).steps.at(-1)).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('"status": "Success"') });
    const empty = run(c, ['curl', '-H', 'Content-Type: application/json', '-d', '@/nope', url], files).steps.at(-1) as { stdout: string; stderr: string };
    expect(empty.stderr).toBe('Warning: Couldn\'t read data from file "/nope", this makes an empty POST.\n');
    expect(JSON.parse(empty.stdout)).toMatchObject({ code: 400, reason: 'BadRequest' });
  });
});

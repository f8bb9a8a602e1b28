import { describe, expect, it } from 'vitest';
import { advance, at, newCluster, pod } from '../../test/helpers/cluster.js';
import { parseUrl, trafficLog, trafficOf, DEFAULT_CLIENT } from './traffic.js';
import { answerHttp } from './clients/app.js';

describe('parseUrl', () => {
  it('defaults scheme, port and path', () => {
    expect(parseUrl('web')).toEqual({ scheme: 'http', host: 'web', port: 80, path: '/' });
    expect(parseUrl('https://Foo.example.com/a?b=1')).toEqual({ scheme: 'https', host: 'foo.example.com', port: 443, path: '/a' });
    expect(parseUrl('http://node-1:30080/x/y')).toEqual({ scheme: 'http', host: 'node-1', port: 30080, path: '/x/y' });
    expect(parseUrl('http://a b/')).toBeUndefined();
  });
});

describe('traffic', () => {
  it('records who served each request; the app answers by path, after N requests, with ${HOSTNAME}', () => {
    const c = newCluster({
      nodes: 1,
      apps: [{ key: 'luksa/kubia-unhealthy', http: [{ path: '/', status: 500, afterRequests: 2, body: 'I am ${HOSTNAME}, broken\n' }] }],
    });
    let ip = '';
    at(c, () => c.api.create(pod('kubia', { image: 'luksa/kubia-unhealthy', nodeName: 'node-1' })));
    advance(c, 2000);
    ip = c.api.get('Pod', 'default', 'kubia')!.status.podIP;
    at(c, () => trafficOf(c).start({ client: { name: 'n', from: 'node/node-1', keepAlive: false, cookies: true }, url: `http://${ip}/`, count: 3, everyMs: 100, timeoutMs: 1000, method: 'GET', headers: {}, step: 's', stepIndex: 0 }));
    advance(c, 1000);
    const log = trafficLog(c.api).all();
    expect(log.map((r) => [r.pod, r.status, r.outcome])).toEqual([['kubia', 200, 'ok'], ['kubia', 200, 'ok'], ['kubia', 500, 'http-500']]);
    expect(log[2].body).toBe('I am kubia, broken\n');
    // node -> pod IP directly: the pod sees the node's address
    expect(log[0].sourceIP).toBe('172.18.0.2');
    const l = trafficOf(c).pods.listener(c.api.get('Pod', 'default', 'kubia')!, 8080, c.sim.now);
    expect(l.ok && answerHttp(l, '/other', 0, c.sim.now).status).toBe(200);
  });

  it('an external client cannot use cluster DNS names or reach pod IPs', () => {
    const c = newCluster({ nodes: 1 });
    at(c, () => c.api.create(pod('p', { nodeName: 'node-1' })));
    advance(c, 1000);
    const ip = c.api.get('Pod', 'default', 'p')!.status.podIP;
    at(c, () => {
      trafficOf(c).start({ client: DEFAULT_CLIENT, url: 'http://kubernetes.default.svc.cluster.local/', count: 1, everyMs: 0, timeoutMs: 2000, method: 'GET', headers: {}, stepIndex: 0 });
      trafficOf(c).start({ client: DEFAULT_CLIENT, url: `http://${ip}/`, count: 1, everyMs: 0, timeoutMs: 2000, method: 'GET', headers: {}, stepIndex: 1 });
    });
    advance(c, 3000);
    expect(trafficLog(c.api).all().map((r) => [r.outcome, r.latency])).toEqual([['unresolved', 0], ['timeout', 2000]]);
  });
});

describe('fetch (for exec curl/wget)', () => {
  it('sends one request from a pod and reports its record', () => {
    const c = newCluster({ nodes: 1 });
    at(c, () => {
      c.api.create(pod('web', { nodeName: 'node-1', labels: { app: 'web' } }));
      c.api.create(pod('client', { nodeName: 'node-1' }));
      c.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    });
    advance(c, 3000);
    const got: string[] = [];
    at(c, () => trafficOf(c).fetch({ name: 'pod/client', from: 'pod/client', keepAlive: false, cookies: false }, 'http://web/', 1000, (r) => got.push(`${r.outcome} ${r.pod}`)));
    advance(c, 10);
    expect(got).toEqual(['ok web']);
  });
});

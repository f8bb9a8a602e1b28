import { describe, expect, it } from 'vitest';
import { advance, at, newCluster, pod } from '../../../test/helpers/cluster.js';
import { kubeProxyOf } from './kubeproxy.js';
import type { Cluster } from '../../engine/cluster.js';

function service(name: string, spec: any = {}) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } };
}

function setup(c: Cluster, svc = service('web')) {
  at(c, () => {
    c.api.create(pod('web-1', { labels: { app: 'web' }, nodeName: 'node-1' }));
    c.api.create(pod('web-2', { labels: { app: 'web' }, nodeName: 'node-2' }));
    c.api.create(svc);
  });
  advance(c, 5000);
  return c.api.get('Service', 'default', svc.metadata.name)!.spec.clusterIP as string;
}

describe('KubeProxy', () => {
  it('routes a ClusterIP to the endpoints, and each node sees a removal after its own lag', () => {
    const c = newCluster({ nodes: 2, timing: { endpointsPropagation: { min: 100, max: 3000 } } });
    const vip = setup(c);
    const p1 = kubeProxyOf(c, 'node-1')!;
    const p2 = kubeProxyOf(c, 'node-2')!;
    expect(p1.endpointsOf('default/web').map((e) => e.pod?.name).sort()).toEqual(['web-1', 'web-2']);
    const v = p1.route({ srcIP: '10.244.0.9', origin: 'pod', dstIP: vip, dstPort: 80 }, c.sim.now);
    expect(v.action).toBe('dnat');
    // a pod source is not masqueraded; a node source is
    expect(v.action === 'dnat' && v.snatIP).toBeUndefined();
    const fromNode = p1.route({ srcIP: '172.18.0.2', origin: 'local', dstIP: vip, dstPort: 80 }, c.sim.now);
    expect(fromNode.action === 'dnat' && fromNode.snatIP).toBe('172.18.0.2');
    // the last verdict is reused only when it says the same (alternating sources: masquerade
    // differs from one connection to the next)
    for (let i = 0; i < 4; i++) {
      const pod = p1.route({ srcIP: '10.244.0.9', origin: 'pod', dstIP: vip, dstPort: 80 }, c.sim.now);
      expect(pod.action === 'dnat' && pod.snatIP).toBeUndefined();
      const node = p1.route({ srcIP: '172.18.0.2', origin: 'local', dstIP: vip, dstPort: 80 }, c.sim.now);
      expect(node.action === 'dnat' && node.snatIP).toBe('172.18.0.2');
    }
    expect(p1.route({ srcIP: '10.244.0.9', origin: 'pod', dstIP: vip, dstPort: 81 }, c.sim.now).action).toBe('none');

    at(c, () => c.api.delete('Pod', 'default', 'web-2', { gracePeriodSeconds: 0 }));
    // sample both views every 50 ms until both caught up: they must not switch at the same instant
    const switched: Record<string, number> = {};
    for (let t = 0; t < 5000 && Object.keys(switched).length < 2; t += 50) {
      advance(c, 50);
      for (const p of [p1, p2]) if (switched[p.nodeName] === undefined && p.endpointsOf('default/web').length === 1) switched[p.nodeName] = c.sim.now;
    }
    expect(Object.keys(switched).sort()).toEqual(['node-1', 'node-2']);
    expect(switched['node-1']).not.toBe(switched['node-2']);
  });

  it('REJECTs a Service without endpoints and DROPs ITP Local without a local endpoint', () => {
    const c = newCluster({ nodes: 2 });
    setup(c);
    let none = '';
    let local = '';
    at(c, () => {
      none = c.api.create(service('none', { selector: { app: 'nothing' } })).spec.clusterIP;
      c.api.create(pod('only', { labels: { app: 'only' }, nodeName: 'node-1' }));
      local = c.api.create(service('local', { selector: { app: 'only' }, internalTrafficPolicy: 'Local' })).spec.clusterIP;
    });
    advance(c, 5000);
    const p2 = kubeProxyOf(c, 'node-2')!;
    expect(p2.route({ srcIP: '10.244.1.9', origin: 'pod', dstIP: none, dstPort: 80 }, c.sim.now).action).toBe('reject');
    expect(p2.route({ srcIP: '10.244.1.9', origin: 'pod', dstIP: local, dstPort: 80 }, c.sim.now).action).toBe('drop');
    expect(kubeProxyOf(c, 'node-1')!.route({ srcIP: '10.244.0.9', origin: 'pod', dstIP: local, dstPort: 80 }, c.sim.now).action).toBe('dnat');
  });

  it('externalTrafficPolicy Local: only local endpoints, no SNAT; pods and the node itself get Cluster semantics', () => {
    const c = newCluster({ nodes: 3 });
    setup(c, service('np', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30080 }] }));
    const p1 = kubeProxyOf(c, 'node-1')!;
    const p3 = kubeProxyOf(c, 'node-3')!;
    const ext = p1.route({ srcIP: '203.0.113.7', origin: 'external', dstIP: p1.nodeIP, dstPort: 30080 }, c.sim.now);
    expect(ext.action === 'dnat' && [ext.endpoint.pod?.name, ext.snatIP]).toEqual(['web-1', undefined]);
    expect(p3.route({ srcIP: '203.0.113.7', origin: 'external', dstIP: p3.nodeIP, dstPort: 30080 }, c.sim.now).action).toBe('drop');
    const local = p3.route({ srcIP: p3.nodeIP, origin: 'local', dstIP: p3.nodeIP, dstPort: 30080 }, c.sim.now);
    expect(local.action === 'dnat' && local.snatIP).toBe(p3.nodeIP);
    expect(p3.route({ srcIP: '10.244.2.5', origin: 'pod', dstIP: p3.nodeIP, dstPort: 30080 }, c.sim.now).action).toBe('dnat');
  });

  it('falls back to serving+terminating endpoints when no endpoint is ready (ProxyTerminatingEndpoints)', () => {
    const c = newCluster({ nodes: 1, apps: [{ key: 'slow', shutdown: { min: 20_000, max: 20_000 } }] });
    at(c, () => {
      c.api.create(pod('slow-1', { labels: { app: 'web' }, image: 'slow', nodeName: 'node-1' }));
      c.api.create(service('web'));
    });
    advance(c, 5000);
    at(c, () => c.api.delete('Pod', 'default', 'slow-1'));
    advance(c, 2000);
    const eps = kubeProxyOf(c, 'node-1')!.endpointsOf('default/web');
    expect(eps.map((e) => [e.pod?.name, e.ready, e.terminating])).toEqual([['slow-1', false, true]]);
  });
});

describe('KubeProxy fronts', () => {
  // a sync skips re-indexing a Service whose ports are unchanged only when no other Service shares
  // its fronts: a shared front (here an external IP:port) is answered by the Service synced last,
  // as when every sync re-indexed
  it('a Service re-synced after an endpoint change moves behind another Service sharing its front', () => {
    const c = newCluster({ nodes: 1 });
    at(c, () => {
      c.api.create(pod('a-1', { labels: { app: 'a' }, nodeName: 'node-1' }));
      c.api.create(pod('b-1', { labels: { app: 'b' }, nodeName: 'node-1' }));
      c.api.create({ ...service('a', { selector: { app: 'a' }, externalIPs: ['192.0.2.10'] }) });
      c.api.create({ ...service('b', { selector: { app: 'b' }, externalIPs: ['192.0.2.10'] }) });
    });
    advance(c, 5000);
    const p = kubeProxyOf(c, 'node-1')!;
    const hit = () => {
      const v = p.route({ srcIP: '198.51.100.7', origin: 'external', dstIP: '192.0.2.10', dstPort: 80 }, c.sim.now);
      return v.action === 'none' ? undefined : v.sp.name;
    };
    const first = hit();
    expect(first).toBeDefined();
    const other = first === 'a' ? 'b' : 'a';
    // an endpoint change of the Service answering moves it behind the other one
    at(c, () => c.api.create(pod(`${first}-2`, { labels: { app: first! }, nodeName: 'node-1' })));
    advance(c, 5000);
    expect(p.endpointsOf(`default/${first}`).length).toBe(2);
    expect(hit()).toBe(other);
    // a Service alone on its fronts keeps answering them across endpoint changes
    at(c, () => c.api.create(pod('c-1', { labels: { app: 'c' }, nodeName: 'node-1' })));
    at(c, () => c.api.create({ ...service('c', { selector: { app: 'c' }, externalIPs: ['192.0.2.11'] }) }));
    advance(c, 5000);
    at(c, () => c.api.create(pod('c-2', { labels: { app: 'c' }, nodeName: 'node-1' })));
    advance(c, 5000);
    expect(p.endpointsOf('default/c').length).toBe(2);
    expect(p.route({ srcIP: '198.51.100.7', origin: 'external', dstIP: '192.0.2.11', dstPort: 80 }, c.sim.now)).toMatchObject({ action: 'dnat', sp: { name: 'c' } });
  });
  it('nodes share a front\'s one-entry list; a second Service there gives each node a list of its own, the shared one left as it was', () => {
    const c = newCluster({ nodes: 2 });
    let ip = '';
    at(c, () => {
      c.api.create(pod('a-1', { labels: { app: 'a' }, nodeName: 'node-1' }));
      ip = c.api.create(service('a', { selector: { app: 'a' }, externalIPs: ['192.0.2.20'] })).spec.clusterIP;
    });
    advance(c, 5000);
    const p1 = kubeProxyOf(c, 'node-1')!;
    const p2 = kubeProxyOf(c, 'node-2')!;
    const fronts = (p: unknown) => (p as { fronts: Map<string, readonly { svc: string }[]> }).fronts;
    const sole = fronts(p1).get('192.0.2.20:80')!;
    expect(fronts(p2).get('192.0.2.20:80')).toBe(sole);
    expect(fronts(p1).get(`${ip}:80`)).toBe(fronts(p2).get(`${ip}:80`));
    at(c, () => c.api.create(service('b', { selector: { app: 'a' }, externalIPs: ['192.0.2.20'] })));
    advance(c, 5000);
    for (const p of [p1, p2]) {
      expect(fronts(p).get('192.0.2.20:80')!.map((e) => e.svc)).toEqual(['default/a', 'default/b']);
      expect(p.route({ srcIP: '203.0.113.7', origin: 'external', dstIP: '192.0.2.20', dstPort: 80 }, c.sim.now)).toMatchObject({ action: 'dnat', sp: { name: 'a' } });
    }
    expect(fronts(p1).get('192.0.2.20:80')).not.toBe(fronts(p2).get('192.0.2.20:80'));
    expect(sole.map((e) => e.svc)).toEqual(['default/a']);
  });
});

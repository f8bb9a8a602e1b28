// The simulated API server's write semantics (registry/generic/registry/store.go,
// pkg/registry/core/pod/strategy.go) and admission messages.

import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/sim.js';
import { ApiError } from './errors.js';
import { ApiServer, type WatchEvent } from './server.js';
import type { KubeObject } from './types.js';
import { NAME_ALPHABET } from './names.js';
import { pod, replicaSet, replicationController } from '../../test/helpers/cluster.js';

function server(seed = 1): ApiServer {
  const api = new ApiServer(new Simulation(seed), { kubernetesVersion: '1.34' });
  for (const ns of ['default', 'kube-system']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return api;
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

const cm = (name: string, data: Record<string, string> = {}, ns = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data,
});

describe('create', () => {
  it('assigns uid, resourceVersion, creationTimestamp; generation 1 for objects with a spec', () => {
    const api = server();
    const rvBefore = api.store.resourceVersion;
    const created = api.create(replicaSet('web'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number(created.metadata.resourceVersion)).toBe(rvBefore + 1);
    expect(created.metadata.creationTimestamp).toBe('1970-01-01T00:00:00Z');
    expect(created.metadata.generation).toBe(1);
    // a kind without spec has no generation
    expect(api.create(cm('c')).metadata.generation).toBeUndefined();
  });

  it('does not keep a reference to the caller\'s object', () => {
    const api = server();
    const input = cm('c', { a: '1' });
    api.create(input);
    (input as any).data.a = 'changed';
    expect((api.get('ConfigMap', 'default', 'c') as any).data.a).toBe('1');
    expect(input.metadata.uid).toBeUndefined();
  });

  it('defaults the namespace to default and rejects a missing namespace', () => {
    const api = server();
    const o = cm('c');
    delete o.metadata.namespace;
    expect(api.create(o).metadata.namespace).toBe('default');
    const e = apiError(() => api.create(cm('c', {}, 'nope')));
    expect(e.reason).toBe('NotFound');
    expect(e.message).toBe('namespaces "nope" not found');
  });

  it('drops the namespace of cluster-scoped kinds', () => {
    const api = server();
    const ns = api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', namespace: 'default' } });
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    expect(api.get('Namespace', 'anything', 'team-a')).toBe(ns);
    const node = api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', namespace: 'default' } });
    expect(node.metadata.namespace).toBeUndefined();
  });

  it('reports AlreadyExists with the resource string kubectl prints', () => {
    const api = server();
    api.create(cm('c'));
    const e = apiError(() => api.create(cm('c')));
    expect(e.reason).toBe('AlreadyExists');
    expect(e.message).toBe('configmaps "c" already exists');
    api.create(replicaSet('web'));
    expect(apiError(() => api.create(replicaSet('web'))).message).toBe('replicasets.apps "web" already exists');
  });

  it('completes generateName with 5 characters of the upstream alphabet, reproducibly per seed', () => {
    const names = (seed: number) => {
      const api = server(seed);
      return Array.from({ length: 5 }, () => {
        const o = cm('');
        delete o.metadata.name;
        o.metadata.generateName = 'web-';
        return api.create(o).metadata.name!;
      });
    };
    const a = names(1);
    for (const n of a) expect(n).toMatch(new RegExp(`^web-[${NAME_ALPHABET}]{5}$`));
    expect(new Set(a).size).toBe(5);
    expect(names(1)).toEqual(a);
    expect(names(2)).not.toEqual(a);
  });

  it('requires a name or generateName', () => {
    const api = server();
    const o = cm('');
    delete o.metadata.name;
    const e = apiError(() => api.create(o));
    expect(e.reason).toBe('Invalid');
    expect(e.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('notifies watchers with ADDED, filtered by kind', () => {
    const api = server();
    const seen: string[] = [];
    api.watch((ev) => seen.push(`${ev.type} ${ev.object.kind}/${ev.object.metadata.name}`), ['ConfigMap']);
    api.create(cm('c'));
    api.create(pod('p'));
    expect(seen).toEqual(['ADDED ConfigMap/c']);
  });
});

describe('validation messages', () => {
  it('rejects an invalid name with the RFC 1123 subdomain message', () => {
    const api = server();
    const e = apiError(() => api.create(pod('Bad_Name')));
    expect(e.reason).toBe('Invalid');
    expect(e.message).toBe(
      'Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case ' +
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used " +
        "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  });

  it('rejects a ReplicaSet whose selector does not match the template labels', () => {
    const api = server();
    const e = apiError(() => api.create(replicaSet('web', { labels: { app: 'web' }, selector: { app: 'other' } })));
    expect(e.message).toBe(
      'ReplicaSet.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    );
    const rc = apiError(() => api.create(replicationController('web', { labels: { app: 'web' }, selector: { app: 'other' } })));
    expect(rc.message).toBe(
      'ReplicationController "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    );
  });

  it('rejects an unsupported restartPolicy, and a non-Always one in a ReplicaSet template', () => {
    const api = server();
    expect(apiError(() => api.create(pod('p', { restartPolicy: 'Sometimes' }))).message).toBe(
      'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    );
    expect(apiError(() => api.create(replicaSet('web', { restartPolicy: 'Never' }))).message).toBe(
      'ReplicaSet.apps "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    );
  });

  it('lists several problems in brackets', () => {
    const api = server();
    const p = pod('p', { restartPolicy: 'Sometimes' });
    p.spec.containers[0].image = '';
    const e = apiError(() => api.create(p));
    expect(e.causes).toEqual([
      'spec.containers[0].image: Required value',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
    expect(e.message).toBe(`Pod "p" is invalid: [${e.causes.join(', ')}]`);
  });
});

describe('update', () => {
  it('increments resourceVersion on every change and keeps it on a no-op write', () => {
    const api = server();
    const c1 = api.create(cm('c', { a: '1' }));
    const c2 = api.update({ ...c1, data: { a: '2' } } as KubeObject);
    expect(Number(c2.metadata.resourceVersion)).toBeGreaterThan(Number(c1.metadata.resourceVersion));
    expect(c2.metadata.uid).toBe(c1.metadata.uid);
    const events: WatchEvent[] = [];
    api.watch((ev) => events.push(ev));
    const c3 = api.update(structuredClone(c2));
    expect(c3).toBe(c2);
    expect(c3.metadata.resourceVersion).toBe(c2.metadata.resourceVersion);
    expect(events).toEqual([]);
  });

  it('bumps generation only when the spec changes', () => {
    const api = server();
    const rs = api.create(replicaSet('web', { replicas: 1 }));
    const labelled = api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.metadata.labels = { team: 'a' };
    });
    expect(labelled.metadata.generation).toBe(1);
    expect(labelled.metadata.resourceVersion).not.toBe(rs.metadata.resourceVersion);
    const scaled = api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.spec.replicas = 4;
    });
    expect(scaled.metadata.generation).toBe(2);
    const status = api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.status = { replicas: 4 };
    }, 'status');
    expect(status.metadata.generation).toBe(2);
    expect(status.status).toEqual({ replicas: 4 });
  });

  it('ignores status in a main-resource write and everything but status in a status write', () => {
    const api = server();
    api.create(replicaSet('web', { replicas: 1 }));
    api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.status = { replicas: 1 };
    }, 'status');
    const a = api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.spec.replicas = 2;
      d.status = { replicas: 99 };
    });
    expect(a.status).toEqual({ replicas: 1 });
    const b = api.mutate('ReplicaSet', 'default', 'web', (d) => {
      d.spec.replicas = 7;
      d.status = { replicas: 2 };
    }, 'status');
    expect(b.spec.replicas).toBe(2);
    expect(b.status).toEqual({ replicas: 2 });
  });

  it('keeps uid and creationTimestamp, and reports NotFound with the resource string', () => {
    const api = server();
    const c1 = api.create(cm('c'));
    const c2 = api.update({ ...c1, metadata: { ...c1.metadata, uid: 'forged', creationTimestamp: '2000-01-01T00:00:00Z' }, data: { x: 'y' } } as KubeObject);
    expect(c2.metadata.uid).toBe(c1.metadata.uid);
    expect(c2.metadata.creationTimestamp).toBe(c1.metadata.creationTimestamp);
    const e = apiError(() => api.update(cm('missing')));
    expect(e.reason).toBe('NotFound');
    expect(e.message).toBe('configmaps "missing" not found');
    expect(apiError(() => api.mutate('ReplicaSet', 'default', 'nope', () => {})).message).toBe('replicasets.apps "nope" not found');
  });
});

describe('delete', () => {
  it('removes an object without finalizers at once, with a DELETED event', () => {
    const api = server();
    api.create(cm('c'));
    const events: WatchEvent[] = [];
    api.watch((ev) => events.push(ev));
    expect(api.delete('ConfigMap', 'default', 'c')).toBeUndefined();
    expect(api.get('ConfigMap', 'default', 'c')).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['DELETED']);
    expect(apiError(() => api.delete('ConfigMap', 'default', 'c')).message).toBe('configmaps "c" not found');
  });

  it('deletes an unscheduled pod at once (CheckGracefulDelete: no node → grace 0)', () => {
    const api = server();
    api.create(pod('p'));
    expect(api.delete('Pod', 'default', 'p')).toBeUndefined();
    expect(api.get('Pod', 'default', 'p')).toBeUndefined();
  });

  it('deletes a scheduled pod gracefully: deletionTimestamp = now + grace', () => {
    const sim = new Simulation(1);
    const api = new ApiServer(sim, { kubernetesVersion: '1.34' });
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    api.create(pod('a', { nodeName: 'n1' }));
    api.create(pod('b', { nodeName: 'n1', terminationGracePeriodSeconds: 5 }));
    api.create(pod('c', { nodeName: 'n1' }));
    sim.now = 12_000;
    const a = api.delete('Pod', 'default', 'a')!;
    expect(a.metadata.deletionTimestamp).toBe('1970-01-01T00:00:42Z');
    expect(a.metadata.deletionGracePeriodSeconds).toBe(30);
    const b = api.delete('Pod', 'default', 'b')!;
    expect(b.metadata.deletionTimestamp).toBe('1970-01-01T00:00:17Z');
    expect(b.metadata.deletionGracePeriodSeconds).toBe(5);
    // an explicit grace period wins; a later delete may only shorten it
    const c = api.delete('Pod', 'default', 'c', { gracePeriodSeconds: 10 })!;
    expect(c.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(api.delete('Pod', 'default', 'c', { gracePeriodSeconds: 20 })!.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(api.delete('Pod', 'default', 'c', { gracePeriodSeconds: 3 })!.metadata.deletionTimestamp).toBe('1970-01-01T00:00:15Z');
    // grace 0 removes it
    expect(api.delete('Pod', 'default', 'c', { gracePeriodSeconds: 0 })).toBeUndefined();
    expect(api.get('Pod', 'default', 'c')).toBeUndefined();
  });

  // rest/delete.go BeforeDelete: a shorter grace period moves the deadline to
  // (old deletionTimestamp - old grace + new grace), i.e. counted from the first delete,
  // not from the second one.
  it('a later, shorter grace period counts from the first delete (BeforeDelete)', () => {
    const sim = new Simulation(1);
    const api = new ApiServer(sim, { kubernetesVersion: '1.34' });
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    api.create(pod('p', { nodeName: 'n1' }));
    sim.now = 12_000;
    expect(api.delete('Pod', 'default', 'p')!.metadata.deletionTimestamp).toBe('1970-01-01T00:00:42Z');
    sim.now = 20_000;
    const shorter = api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 10 })!;
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(10);
    expect(shorter.metadata.deletionTimestamp).toBe('1970-01-01T00:00:22Z');
  });

  // store.go markAsDeleting (and rest/delete.go BeforeDelete for graceful kinds): the first time
  // an object gets a deletionTimestamp, a positive metadata.generation is incremented.
  it('marking an object as deleting bumps its generation (markAsDeleting)', () => {
    const api = server();
    api.create(replicaSet('web'));
    api.create(pod('dep', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: api.get('ReplicaSet', 'default', 'web')!.metadata.uid! }] }));
    const held = api.delete('ReplicaSet', 'default', 'web', { propagationPolicy: 'Foreground' })!;
    expect(held.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(held.metadata.generation).toBe(2);
  });

  it('deletes a terminal pod at once', () => {
    const api = server();
    api.create(pod('done', { nodeName: 'n1' }));
    api.mutate('Pod', 'default', 'done', (d) => {
      d.status.phase = 'Succeeded';
    }, 'status');
    expect(api.delete('Pod', 'default', 'done')).toBeUndefined();
  });

  it('a uid precondition that does not match is a Conflict', () => {
    const api = server();
    api.create(cm('c'));
    const e = apiError(() => api.delete('ConfigMap', 'default', 'c', { preconditionUid: 'other' }));
    expect(e.reason).toBe('Conflict');
    expect(api.get('ConfigMap', 'default', 'c')).toBeDefined();
  });

  it('finalizers block removal until the last one is removed', () => {
    const api = server();
    const o = cm('c');
    o.metadata.finalizers = ['example.com/a', 'example.com/b'];
    api.create(o);
    const held = api.delete('ConfigMap', 'default', 'c')!;
    expect(held.metadata.deletionTimestamp).toBe('1970-01-01T00:00:00Z');
    expect(held.metadata.finalizers).toEqual(['example.com/a', 'example.com/b']);
    // the deletionTimestamp cannot be cleared by an update
    const kept = api.mutate('ConfigMap', 'default', 'c', (d) => {
      delete d.metadata.deletionTimestamp;
      d.metadata.finalizers = ['example.com/b'];
    });
    expect(kept.metadata.deletionTimestamp).toBe('1970-01-01T00:00:00Z');
    expect(api.get('ConfigMap', 'default', 'c')).toBeDefined();
    const events: WatchEvent[] = [];
    api.watch((ev) => events.push(ev));
    api.mutate('ConfigMap', 'default', 'c', (d) => {
      d.metadata.finalizers = [];
    });
    expect(api.get('ConfigMap', 'default', 'c')).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['DELETED']);
  });

  it('a terminating pod with a finalizer stays after its grace period is cut to 0', () => {
    const api = server();
    api.create(pod('p', { nodeName: 'n1', finalizers: ['example.com/hold'] }));
    api.delete('Pod', 'default', 'p');
    const held = api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 0 })!;
    expect(held.metadata.finalizers).toEqual(['example.com/hold']);
    expect(held.metadata.deletionGracePeriodSeconds).toBe(0);
    api.mutate('Pod', 'default', 'p', (d) => {
      d.metadata.finalizers = [];
    });
    expect(api.get('Pod', 'default', 'p')).toBeUndefined();
  });
});

describe('list and events', () => {
  it('lists objects sorted by namespace then name, filtered by namespace and selector', async () => {
    const api = server();
    api.create(cm('b'));
    api.create(cm('a'));
    api.create(cm('z', {}, 'kube-system'));
    expect(api.list('ConfigMap').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['default/a', 'default/b', 'kube-system/z']);
    expect(api.list('ConfigMap', 'kube-system').map((o) => o.metadata.name)).toEqual(['z']);
    api.create(pod('x', { labels: { app: 'web' } }));
    api.create(pod('y', { labels: { app: 'db' } }));
    const { parseSelector } = await import('./labels.js');
    expect(api.list('Pod', 'default', parseSelector('app=web')).map((o) => o.metadata.name)).toEqual(['x']);
  });

  it('aggregates identical events into one with a count', () => {
    const api = server();
    const p = api.create(pod('p'));
    api.recordEvent(p, 'Warning', 'FailedScheduling', 'no nodes', 'default-scheduler');
    api.recordEvent(p, 'Warning', 'FailedScheduling', 'no nodes', 'default-scheduler');
    api.recordEvent(p, 'Warning', 'FailedScheduling', 'other', 'default-scheduler');
    const evs = api.list('Event', 'default') as any[];
    expect(evs.map((e) => [e.reason, e.message, e.count, e.involvedObject.name, e.source.component])).toEqual([
      ['FailedScheduling', 'no nodes', 2, 'p', 'default-scheduler'],
      ['FailedScheduling', 'other', 1, 'p', 'default-scheduler'],
    ]);
  });
});

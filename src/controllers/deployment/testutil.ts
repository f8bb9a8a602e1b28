// Test fixtures for the Deployment controller's tables: objects shaped like the upstream test
// helpers (newDeployment, rs(...)) and an in-memory DeploymentClient like upstream's fake clientset.

import type { KubeObject } from '../../api/types.js';
import { timestamp } from '../../api/time.js';
import { ApiError } from '../../api/errors.js';
import type { DeploymentClient } from './sync.js';
import { DeploymentSync } from './sync.js';

export function newDeployment(replicas: number, opts: { surge?: number | string; unavailable?: number | string; type?: 'RollingUpdate' | 'Recreate'; revisionHistoryLimit?: number } = {}): KubeObject {
  const type = opts.type ?? 'RollingUpdate';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'foo', namespace: 'default', uid: 'd-uid', generation: 1, annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { foo: 'bar' } },
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: opts.surge ?? 0, maxUnavailable: opts.unavailable ?? 0 } } : { type },
      template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: 'img' }] } },
      ...(opts.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: opts.revisionHistoryLimit } : {}),
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

export function newRS(name: string, replicas: number, opts: { createdSec?: number; available?: number; statusReplicas?: number; annotations?: Record<string, string>; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: timestamp((opts.createdSec ?? 0) * 1000), generation: 1, annotations: { ...(opts.annotations ?? {}) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', uid: 'd-uid', controller: true }] },
    spec: { replicas, selector: { matchLabels: { foo: 'bar' } }, template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: opts.image ?? 'img' }] } } },
    status: { replicas: opts.statusReplicas ?? replicas, availableReplicas: opts.available ?? 0, observedGeneration: 1 },
  };
}

export class FakeClient implements DeploymentClient {
  readonly rs = new Map<string, KubeObject>();
  readonly events: string[] = [];
  readonly deleted: string[] = [];
  readonly updatedRS: string[] = [];
  statusWrites = 0;
  nowMs = 1_000_000;

  constructor(rss: KubeObject[] = []) {
    for (const r of rss) this.rs.set(r.metadata.name!, structuredClone(r));
  }

  now(): number {
    return this.nowMs;
  }
  createReplicaSet(rs: KubeObject): KubeObject {
    if (this.rs.has(rs.metadata.name!)) throw new ApiError('AlreadyExists', `replicasets.apps "${rs.metadata.name}" already exists`);
    const c = structuredClone(rs);
    c.metadata.uid = `uid-${rs.metadata.name}`;
    this.rs.set(rs.metadata.name!, c);
    return c;
  }
  getReplicaSet(_ns: string, name: string): KubeObject | undefined {
    return this.rs.get(name);
  }
  updateReplicaSet(rs: KubeObject): KubeObject {
    const c = structuredClone(rs);
    this.rs.set(rs.metadata.name!, c);
    this.updatedRS.push(rs.metadata.name!);
    return c;
  }
  deleteReplicaSet(_ns: string, name: string): void {
    this.rs.delete(name);
    this.deleted.push(name);
  }
  updateDeploymentStatus(d: KubeObject): KubeObject {
    this.statusWrites++;
    return d;
  }
  event(_d: KubeObject, _type: string, reason: string, message: string): void {
    this.events.push(`${reason}: ${message}`);
  }
  requeueAfter(): void {}

  replicas(name: string): number {
    return this.rs.get(name)!.spec.replicas;
  }
}

export function syncWith(rss: KubeObject[]): { c: FakeClient; s: DeploymentSync } {
  const c = new FakeClient(rss);
  return { c, s: new DeploymentSync(c) };
}

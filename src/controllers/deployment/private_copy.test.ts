// The Deployment controller's cheap copies (privateCopy, withOwnAnnotations) share everything a
// sync never writes with the stored object: they must print as the full copy they replace, keep
// the original untouched when their status or annotations change, and a real cluster's syncs must
// never change a stored Deployment or ReplicaSet in place (frozen here, so a write would throw).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { cloneObject } from '../../api/clone.js';
import { privateCopy } from './deployment_controller.js';
import { setDeploymentRevision, withOwnAnnotations } from './sync.js';
import { newDeployment, newRS } from './testutil.js';
import { advance, at, newCluster } from '../../../test/helpers/cluster.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

describe('privateCopy and withOwnAnnotations', () => {
  const shapes = (): KubeObject[] => {
    const d = newDeployment(3);
    const bare = newDeployment(1);
    delete bare.metadata.annotations;
    delete bare.status;
    const rs = newRS('foo-1', 2, { annotations: { a: '1' } });
    const rsBare = newRS('foo-2', 0);
    delete rsBare.metadata.annotations;
    return [d, bare, rs, rsBare];
  };

  it('print as the full copy, key order included', () => {
    for (const o of shapes()) {
      expect(JSON.stringify(privateCopy(o))).toBe(JSON.stringify(cloneObject(o)));
      expect(JSON.stringify(withOwnAnnotations(o))).toBe(JSON.stringify(cloneObject(o)));
    }
  });

  it('own their status and annotations: writing those leaves the original alone', () => {
    for (const o of shapes()) {
      const before = JSON.stringify(o);
      const frozen = deepFreeze(o);
      const d = privateCopy(frozen);
      // a sync changes the copy's annotations only through setDeploymentRevision
      expect(setDeploymentRevision(d, '7')).toBe(true);
      expect(d.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('7');
      d.status ??= {};
      d.status.collisionCount = 1;
      d.status.conditions = [{ type: 'Progressing' }];
      const r = withOwnAnnotations(frozen);
      (r.metadata.annotations ??= {}).x = 'y';
      expect(JSON.stringify(frozen)).toBe(before);
      // the spec is the stored one: the template memo and the selector memo key on it
      expect(d.spec).toBe(frozen.spec);
    }
  });
});

describe('Deployment syncs against frozen stored objects', () => {
  it('roll, scale, pause and resume, and a Recreate rollout without changing a stored Deployment or ReplicaSet', () => {
    const cluster = newCluster({ nodes: 2 });
    const store = cluster.api.store;
    const put = store.put.bind(store);
    store.put = (obj: KubeObject) => put(obj.kind === 'Deployment' || obj.kind === 'ReplicaSet' ? deepFreeze(obj) : obj);
    const deployment = (name: string, type: 'RollingUpdate' | 'Recreate'): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: name } },
        strategy: { type },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
      },
    });
    const setImage = (name: string, image: string) =>
      cluster.api.mutate('Deployment', 'default', name, (d) => {
        d.spec.template.spec.containers[0].image = image;
      });
    at(cluster, () => {
      cluster.api.create(deployment('web', 'RollingUpdate'));
      cluster.api.create(deployment('db', 'Recreate'));
    });
    advance(cluster, 60_000);
    at(cluster, () => {
      setImage('web', 'nginx:1.28');
      setImage('db', 'nginx:1.28');
    });
    advance(cluster, 120_000);
    at(cluster, () => cluster.api.mutate('Deployment', 'default', 'web', (d) => void (d.spec.replicas = 5)));
    advance(cluster, 60_000);
    at(cluster, () => cluster.api.mutate('Deployment', 'default', 'web', (d) => void (d.spec.paused = true)));
    advance(cluster, 5_000);
    at(cluster, () => {
      cluster.api.mutate('Deployment', 'default', 'web', (d) => void (d.spec.replicas = 2));
      setImage('web', 'nginx:1.29');
    });
    advance(cluster, 30_000);
    at(cluster, () => cluster.api.mutate('Deployment', 'default', 'web', (d) => void (d.spec.paused = false)));
    advance(cluster, 120_000);
    const web = cluster.api.get('Deployment', 'default', 'web')!;
    const db = cluster.api.get('Deployment', 'default', 'db')!;
    expect(Object.isFrozen(web.spec)).toBe(true);
    expect(web.status).toMatchObject({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(db.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(web.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const images = [...store.iterate('ReplicaSet', 'default')].filter((rs) => rs.spec.replicas > 0).map((rs) => rs.spec.template.spec.containers[0].image).sort();
    expect(images).toEqual(['nginx:1.28', 'nginx:1.29']);
  });
});

import { describe, expect, it } from 'vitest';
import { suggest, levenshtein } from './didyoumean.js';
import { listResources, resolveResource, resourceByKind, unknownResourceMessage } from './resources.js';

describe('resolveResource', () => {
  it.each([
    ['pods', 'Pod'],
    ['po', 'Pod'],
    ['pod', 'Pod'],
    ['Pod', 'Pod'],
    ['PODS', 'Pod'],
    ['svc', 'Service'],
    ['ep', 'Endpoints'],
    ['endpointslices', 'EndpointSlice'],
    ['rc', 'ReplicationController'],
    ['rs', 'ReplicaSet'],
    ['deploy', 'Deployment'],
    ['deployments.apps', 'Deployment'],
    ['deployments.v1.apps', 'Deployment'],
    ['deploy.apps', 'Deployment'],
    ['sts', 'StatefulSet'],
    ['ds', 'DaemonSet'],
    ['jobs', 'Job'],
    ['cj', 'CronJob'],
    ['hpa', 'HorizontalPodAutoscaler'],
    ['pdb', 'PodDisruptionBudget'],
    ['cm', 'ConfigMap'],
    ['secrets', 'Secret'],
    ['ns', 'Namespace'],
    ['no', 'Node'],
    ['pv', 'PersistentVolume'],
    ['pvc', 'PersistentVolumeClaim'],
    ['sc', 'StorageClass'],
    ['sa', 'ServiceAccount'],
    ['roles', 'Role'],
    ['rolebindings', 'RoleBinding'],
    ['clusterroles', 'ClusterRole'],
    ['clusterrolebindings', 'ClusterRoleBinding'],
    ['ing', 'Ingress'],
    ['ingressclasses', 'IngressClass'],
    ['limits', 'LimitRange'],
    ['quota', 'ResourceQuota'],
    ['ev', 'Event'],
    ['crd', 'CustomResourceDefinition'],
    ['crds', 'CustomResourceDefinition'],
    ['netpol', 'NetworkPolicy'],
  ])('%s -> %s', (word, kind) => {
    expect(resolveResource(word)?.kind).toBe(kind);
  });

  it('carries group/version, plural, singular, short names and scope', () => {
    expect(resolveResource('deploy')).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      group: 'apps',
      version: 'v1',
      plural: 'deployments',
      singular: 'deployment',
      shortNames: ['deploy'],
      namespaced: true,
    });
    expect(resolveResource('nodes')?.namespaced).toBe(false);
    expect(resolveResource('events')?.apiVersion).toBe('v1');
    expect(resolveResource('events.events.k8s.io')?.apiVersion).toBe('events.k8s.io/v1');
  });

  it('unknown words resolve to nothing; kubectl wording for the error', () => {
    expect(resolveResource('widgets')).toBeUndefined();
    expect(resolveResource('deployments.batch')).toBeUndefined();
    expect(resolveResource('')).toBeUndefined();
    expect(unknownResourceMessage('widgets')).toBe('the server doesn\'t have a resource type "widgets"');
  });

  it('resourceByKind and listResources', () => {
    expect(resourceByKind('Event')?.apiVersion).toBe('v1');
    expect(resourceByKind('HorizontalPodAutoscaler')?.apiVersion).toBe('autoscaling/v2');
    expect(resourceByKind('Widget')).toBeUndefined();
    const plurals = listResources().map((r) => r.plural);
    expect(new Set(plurals.filter((x) => x !== 'events')).size).toBe(plurals.length - 2);
  });
});

describe('didyoumean', () => {
  it('levenshtein', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
  it('suggests close words, best first, and stays quiet for short unrelated words', () => {
    expect(suggest('delte', ['apply', 'delete', 'label'])).toEqual(['delete']);
    expect(suggest('scael', ['scale', 'set'])).toEqual(['scale']);
    expect(suggest('foo', ['po', 'no', 'pods'])).toEqual([]);
    expect(suggest('roll', ['rollout', 'run'])).toEqual(['rollout']);
  });
});

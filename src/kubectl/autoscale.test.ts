// kubectl autoscale parsing (staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go Validate).
import { describe, expect, it } from 'vitest';
import { parseKubectl, KubectlParseError } from './parse.js';
import { autoscalerFor } from './autoscale.js';

describe('kubectl autoscale', () => {
  it('builds the action with kubectl defaults left to the server', () => {
    expect(parseKubectl('kubectl autoscale deployment web --max=5')).toMatchObject({ verb: 'autoscale', target: { kind: 'Deployment', names: ['web'] }, max: 5 });
    const a = parseKubectl('autoscale rs/foo --min=2 --max=10 --cpu-percent=80 --name=bar -n team') as any;
    expect(a).toMatchObject({ verb: 'autoscale', target: { kind: 'ReplicaSet', names: ['foo'], namespace: 'team' }, min: 2, max: 10, cpuPercent: 80, name: 'bar' });
    expect(autoscalerFor(a, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'foo', namespace: 'team' })).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'bar', namespace: 'team' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'foo' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    });
  });

  it("rejects what kubectl's Validate rejects, with its messages", () => {
    expect(() => parseKubectl('autoscale deployment web')).toThrow('--max=MAXPODS is required and must be at least 1, max: -1');
    expect(() => parseKubectl('autoscale deployment web --min=3 --max=2')).toThrow('--max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3');
    expect(() => parseKubectl('autoscale service web --max=2')).toThrow(KubectlParseError);
    expect(() => parseKubectl('autoscale deployment a b --max=2')).toThrow('exactly one resource');
  });
});

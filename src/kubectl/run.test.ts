// `kubectl run` parsing and the Pod it builds (staging/src/k8s.io/kubectl/pkg/cmd/run/run.go,
// generate/versioned/run.go BasicPod; run_test.go TestRunValidations / TestGenerateService cases
// where they fit).
import { describe, expect, it } from 'vitest';
import { parseKubectl } from './parse.js';

describe('kubectl run', () => {
  it('builds the pod kubectl >= 1.18 creates', () => {
    expect(parseKubectl('kubectl run kubia --image=luksa/kubia --port=8080')).toEqual({
      verb: 'run',
      commandLine: 'kubectl run kubia --image=luksa/kubia --port=8080',
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'kubia', labels: { run: 'kubia' } },
        spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }], resources: {} }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
      },
    });
  });
  it('takes labels, env, restart policy, namespace, and the words after -- as args or, with --command, the command', () => {
    const a = parseKubectl('run job1 --image=busybox:1.36 -l app=x,tier=y --env=A=1 --env B=2=3 --restart=Never -n team -- sleep 10') as any;
    expect(a.namespace).toBe('team');
    expect(a.pod.metadata).toEqual({ name: 'job1', namespace: 'team', labels: { app: 'x', tier: 'y' } });
    expect(a.pod.spec.restartPolicy).toBe('Never');
    expect(a.pod.spec.containers[0]).toMatchObject({ args: ['sleep', '10'], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2=3' }] });
    const c = parseKubectl('run sh --image=busybox --command -- sh -c "echo hi"') as any;
    expect(c.pod.spec.containers[0].command).toEqual(['sh', '-c', 'echo hi']);
    expect(c.pod.spec.containers[0].args).toBeUndefined();
  });
  it('with --expose also builds the Service, selecting the pod labels', () => {
    const a = parseKubectl('run web --image=nginx --port=80 --expose') as any;
    expect(a.service).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], selector: { run: 'web' } } });
    const b = parseKubectl('run web --image=nginx --port=80 --expose --labels=app=web') as any;
    expect(b.service.metadata.labels).toEqual({ app: 'web' });
    expect(b.service.spec.selector).toEqual({ app: 'web' });
  });
  it('rejects what kubectl rejects, in its words', () => {
    expect(() => parseKubectl('run kubia --image=luksa/kubia --port=8080 --generator=run/v1')).toThrow('unknown flag: --generator');
    expect(() => parseKubectl('run kubia')).toThrow('required flag(s) "image" not set');
    expect(() => parseKubectl('run kubia --image=')).toThrow('--image is required');
    expect(() => parseKubectl('run --image=nginx')).toThrow('NAME is required for run');
    expect(() => parseKubectl('run x --image=nginx --restart=Sometimes')).toThrow('invalid restart policy: Sometimes');
    expect(() => parseKubectl('run x --image=nginx --expose')).toThrow('--port must be set when exposing a service');
    expect(() => parseKubectl('run x --image=nginx --env=NOVALUE')).toThrow('invalid env: NOVALUE');
    expect(() => parseKubectl('run x --image=Bad:Image:')).toThrow('Invalid image name "Bad:Image:"');
  });
});

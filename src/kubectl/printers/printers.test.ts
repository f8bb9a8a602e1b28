// Fidelity tables for the kubectl printers, translated from upstream unit tests:
// - humanDuration: apimachinery/pkg/util/duration/duration_test.go TestHumanDuration and
//   TestHumanDurationBoundaries
// - pod rows: pkg/printers/internalversion/printers_test.go TestPrintPod (test1..test19)
// - tabwriter: Go's text/tabwriter column-block rules as kubectl get/describe use them
import { describe, expect, it } from 'vitest';
import { humanDuration } from './duration.js';
import { podRow, podStatus } from './pod.js';
import { tabwrite, GET_TABWRITER, DESCRIBE_TABWRITER } from './tabwriter.js';
import { renderGet } from './get.js';
import { tableRows, formatLabels, formatLabelSelector } from './tables.js';
import { toJson, toYaml, resourceName } from './output.js';
import { describeObject, rfc1123z } from './describe.js';

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;

describe('humanDuration (duration.HumanDuration)', () => {
  // TestHumanDuration
  it.each([
    [S, '1s'], [70 * S, '70s'], [190 * S, '3m10s'], [70 * M, '70m'], [47 * H, '47h'], [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'], [367 * D, '367d'], [(365 * 2 * 24 + 25) * H, '2y1d'], [(365 * 8 * 24 + 2) * H, '8y'],
  ])('%d ms -> %s', (ms, want) => expect(humanDuration(ms)).toBe(want));

  // TestHumanDurationBoundaries (time.Millisecond is the smallest step here)
  it.each([
    [-2 * S, '<invalid>'], [-2 * S + 1, '0s'], [0, '0s'], [S - 1, '0s'], [2 * M - 1, '119s'], [2 * M, '2m'], [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'], [10 * M, '10m'], [10 * M + S, '10m'], [3 * H - 1, '179m'], [3 * H, '3h'], [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'], [8 * H, '8h'], [8 * H + 59 * M, '8h'], [2 * D - 1, '47h'], [2 * D, '2d'], [2 * D + H, '2d1h'],
    [8 * D - 1, '7d23h'], [8 * D, '8d'], [8 * D + 23 * H, '8d'], [2 * 365 * D - 1, '729d'], [2 * 365 * D, '2y'],
    [2 * 365 * D + 23 * H, '2y'], [2 * 365 * D + D - 1, '2y'], [2 * 365 * D + D, '2y1d'], [3 * 365 * D, '3y'],
    [8 * 365 * D - 1, '7y364d'], [8 * 365 * D, '8y'], [8 * 365 * D + 364 * D, '8y'], [9 * 365 * D, '9y'],
  ])('boundary %d ms -> %s', (ms, want) => expect(humanDuration(ms)).toBe(want));
});

const NOW = 100 * D;
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const containers = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}` }));
const pod = (name: string, spec: any, status: any, meta: any = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec, status });
const running = { running: {} };
const lastTerm = (msAgo: number) => ({ terminated: { finishedAt: ago(msAgo) } });

describe('pod rows (printPod, TestPrintPod)', () => {
  const two = { containers: containers(2) };
  const init = (n: number, m: number) => ({ initContainers: containers(n).map((c) => ({ name: `i${c.name}` })), containers: containers(m) });
  it.each<[string, any, string[]]>([
    ['test1', pod('test1', two, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] }), ['1/2', 'podPhase', '6']],
    ['test2: a container error overwrites the phase', pod('test2', two, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }] }), ['1/2', 'ContainerWaitingReason', '6']],
    ['test3: the first container overwrites the rest', pod('test3', two, { phase: 'podPhase', containerStatuses: [{ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }, { state: { terminated: { reason: 'ContainerTerminatedReason' } }, restartCount: 3 }] }), ['0/2', 'ContainerWaitingReason', '6']],
    ['test4: ready is not enough for running', pod('test4', two, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }), ['1/2', 'podPhase', '6']],
    ['test5: status.reason wins over the phase', pod('test5', two, { reason: 'podReason', phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }), ['1/2', 'podReason', '6']],
    ['test6: completed + running without Ready', pod('test6', two, { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }] }), ['1/2', 'NotReady', '6']],
    ['test6b: completed + running with Ready', pod('test6', two, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }] }), ['1/2', 'Running', '6']],
    ['test7: init container restarting', pod('test7', init(1, 1), { phase: 'podPhase', initContainerStatuses: [{ name: 'ic0', restartCount: 3, state: running, lastState: lastTerm(10 * S) }], containerStatuses: [{ restartCount: 0, state: { waiting: {} } }] }), ['0/1', 'Init:0/1', '3 (10s ago)']],
    ['test8: two init containers, the first restarting', pod('test8', init(2, 1), { phase: 'podPhase', initContainerStatuses: [{ name: 'ic0', restartCount: 3, state: running, lastState: lastTerm(10 * S) }, { name: 'ic1', state: { waiting: {} } }], containerStatuses: [{ state: { waiting: {} } }] }), ['0/1', 'Init:0/2', '3 (10s ago)']],
    ['test9: one init done, the other restarting', pod('test9', init(2, 1), { phase: 'podPhase', initContainerStatuses: [{ name: 'ic0', state: { terminated: {} } }, { name: 'ic1', restartCount: 3, state: running, lastState: lastTerm(10 * S) }], containerStatuses: [{ state: { waiting: {} } }] }), ['0/1', 'Init:1/2', '3 (10s ago)']],
    ['test10: restarts of every init container count', pod('test10', init(2, 1), { phase: 'podPhase', initContainerStatuses: [{ name: 'ic0', restartCount: 2, state: { terminated: {} }, lastState: lastTerm(2 * M) }, { name: 'ic1', restartCount: 3, state: running, lastState: lastTerm(10 * S) }], containerStatuses: [{ state: { waiting: {} } }] }), ['0/1', 'Init:1/2', '5 (10s ago)']],
    ['test11: once initialized only app containers count', pod('test11', init(1, 1), { phase: 'Running', initContainerStatuses: [{ name: 'ic0', restartCount: 2, state: { terminated: {} }, lastState: lastTerm(2 * M) }], containerStatuses: [{ restartCount: 4, state: running, lastState: lastTerm(20 * S) }] }), ['0/1', 'Running', '4 (20s ago)']],
    ['test12: restarted 5d ago', pod('test12', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: lastTerm(5 * D) }] }), ['1/1', 'Running', '3 (5d ago)']],
    ['test13', pod('test13', two, { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 0, state: running }, { ready: true, restartCount: 3, state: running, lastState: lastTerm(10 * D) }] }), ['2/2', 'Running', '3 (10d ago)']],
    ['test14: the newest restart is shown', pod('test14', two, { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 6, state: running, lastState: lastTerm(5 * D) }, { ready: true, restartCount: 3, state: running, lastState: lastTerm(20 * D) }] }), ['2/2', 'Running', '9 (5d ago)']],
    ['test15: SchedulingGated', pod('test15', two, { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['0/2', 'SchedulingGated', '0']],
    ['test16: succeeded', pod('test16', { containers: containers(1) }, { phase: 'Succeeded', containerStatuses: [{ restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }), ['0/1', 'Completed', '0']],
    ['test17: failed', pod('test17', { containers: containers(1) }, { phase: 'Failed', containerStatuses: [{ restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }] }), ['0/1', 'Error', '0']],
    ['test18: a succeeded pod being deleted is not Terminating', pod('test18', { containers: containers(1) }, { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }, { deletionTimestamp: ago(10 * S) }), ['0/1', 'Completed', '0']],
    ['test19: a running pod being deleted is Terminating', pod('test19', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ ready: true, state: running }] }, { deletionTimestamp: ago(10 * S) }), ['1/1', 'Terminating', '0']],
  ])('%s', (_name, p, [ready, status, restarts]) => {
    expect(podRow(p, NOW).slice(1, 5)).toEqual([ready, status, restarts, '<unknown>']);
    expect(podStatus(p)).toBe(status);
  });

  it('a NodeLost pod being deleted is Unknown; wide columns default to <none>', () => {
    const p = pod('lost', { containers: containers(1) }, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(S), creationTimestamp: ago(3 * M + 5 * S) });
    expect(podRow(p, NOW)).toEqual(['lost', '0/1', 'Unknown', '0', '3m5s', '<none>', '<none>', '<none>', '<none>']);
  });

  it('counts a started sidecar as a container and shows readiness gates', () => {
    const p = pod('side', { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: containers(1), readinessGates: [{ conditionType: 'lb/ready' }], nodeName: 'n1' },
      { phase: 'Running', podIP: '10.0.0.5', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'lb/ready', status: 'True' }], initContainerStatuses: [{ name: 'proxy', started: true, ready: true, state: running }], containerStatuses: [{ ready: true, state: running }] });
    expect(podRow(p, NOW)).toEqual(['side', '2/2', 'Running', '0', '<unknown>', '10.0.0.5', 'n1', '<none>', '1/1']);
  });
});

describe('tabwriter', () => {
  it('pads every column but the last to its widest cell + 3, at least 6 (kubectl get)', () => {
    expect(tabwrite(['NAME\tREADY\tAGE', 'a\t1/1\t5s', 'longer-name\t0/1\t2m'], GET_TABWRITER)).toEqual([
      'NAME          READY   AGE',
      'a             1/1     5s',
      'longer-name   0/1     2m',
    ]);
  });
  it('ends a column block at a line without that cell, as describe output shows', () => {
    // the familiar describe pod look: "IPs:" ends the first block, "  IP:" aligns with "Controlled By:"
    expect(tabwrite(['Name:\tweb', 'Namespace:\tdefault', 'IPs:', '  IP:\t10.0.0.1', 'Controlled By:\tReplicaSet/web'], DESCRIBE_TABWRITER)).toEqual([
      'Name:       web',
      'Namespace:  default',
      'IPs:',
      '  IP:           10.0.0.1',
      'Controlled By:  ReplicaSet/web',
    ]);
  });
});

describe('kubectl get rendering', () => {
  const dep = (name: string, ready: number, want: number, ns = 'default') => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, creationTimestamp: ago(90 * S), labels: { app: name } },
    spec: { replicas: want, selector: { matchLabels: { app: name } }, template: { spec: { containers: [{ name: 'c', image: 'nginx:1.25' }, { name: 's', image: 'envoy' }] } } },
    status: { readyReplicas: ready, updatedReplicas: want, availableReplicas: ready },
  });
  const base = { output: 'table' as const, namespace: 'default', withKind: false, singleItem: false };

  it('prints the narrow table, -o wide, --show-labels and -A', () => {
    const groups = [{ kind: 'Deployment', objects: [dep('web', 2, 3) as any] }];
    expect(renderGet(groups, base, NOW)).toBe('NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/3     3            2           90s');
    expect(renderGet(groups, { ...base, output: 'wide' }, NOW).split('\n')[1]).toBe('web    2/3     3            2           90s   c,s          nginx:1.25,envoy   app=web');
    expect(renderGet(groups, { ...base, showLabels: true, allNamespaces: true }, NOW)).toBe(
      'NAMESPACE   NAME   READY   UP-TO-DATE   AVAILABLE   AGE   LABELS\ndefault     web    2/3     3            2           90s   app=web',
    );
  });

  it('says No resources found, per namespace or cluster-wide', () => {
    expect(renderGet([{ kind: 'Pod', objects: [] }], base, NOW)).toBe('No resources found in default namespace.');
    expect(renderGet([{ kind: 'Pod', objects: [] }], { ...base, allNamespaces: true }, NOW)).toBe('No resources found');
    expect(renderGet([{ kind: 'Node', objects: [] }], base, NOW)).toBe('No resources found');
  });

  it('prefixes names with the resource and separates types by a blank line when several were asked for', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(5 * S) }, spec: { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] } };
    expect(renderGet([{ kind: 'Deployment', objects: [dep('web', 1, 1) as any] }, { kind: 'Pod', objects: [] }, { kind: 'Service', objects: [svc as any] }], { ...base, withKind: true }, NOW)).toBe(
      [
        'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE',
        'deployment.apps/web   1/1     1            1           90s',
        '',
        'NAME          TYPE       CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE',
        'service/web   NodePort   10.96.0.10   <none>        80:30080/TCP   5s',
      ].join('\n'),
    );
  });

  it('prints -o name, -o json (4 spaces, sorted keys) and -o yaml (a List for several)', () => {
    const d = dep('web', 1, 1) as any;
    expect(resourceName(d)).toBe('deployment.apps/web');
    expect(renderGet([{ kind: 'Deployment', objects: [d] }], { ...base, output: 'name' }, NOW)).toBe('deployment.apps/web');
    const json = JSON.parse(renderGet([{ kind: 'Deployment', objects: [d] }], { ...base, output: 'json', singleItem: true }, NOW));
    expect(Object.keys(json)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(toJson({ a: '<b>' })).toBe('{\n    "a": "\\u003cb\\u003e"\n}\n');
    const yaml = renderGet([{ kind: 'Deployment', objects: [d, dep('api', 0, 1)] }], { ...base, output: 'yaml' }, NOW);
    expect(yaml.startsWith('apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n')).toBe(true);
    expect(yaml.endsWith('kind: List\nmetadata:\n  resourceVersion: ""')).toBe(true);
    expect(toYaml({ t: '1970-01-01T00:00:05Z', n: '80', s: '{"a":1}', e: '' })).toBe('e: ""\nn: "80"\ns: \'{"a":1}\'\nt: "1970-01-01T00:00:05Z"\n');
  });

  it('formats labels and selectors as labels.FormatLabels and metav1.FormatLabelSelector', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] })).toBe('app=web,tier in (a,b)');
    expect(formatLabelSelector(undefined)).toBe('<none>');
  });

  it('prints node status, roles and the default NAME/CREATED AT table', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', creationTimestamp: ago(3 * H + 2 * M), labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.31.0' } } };
    expect(tableRows('Node', [node as any], NOW, false).rows[0]).toEqual(['n1', 'NotReady,SchedulingDisabled', 'control-plane', '3h2m', 'v1.31.0']);
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', creationTimestamp: '1970-01-01T00:00:00Z' } };
    expect(tableRows('Role', [role as any], NOW, false)).toEqual({ columns: ['NAME', 'CREATED AT'], rows: [['reader', '1970-01-01T00:00:00Z']] });
  });
});

describe('kubectl describe (describe.go)', () => {
  const ctx = (events: any[] = []) => ({ now: NOW, eventsFor: () => events, list: () => [], get: () => undefined });
  it('lays out a pod as describePod does, with multi-line labels, tolerations and the Events table', () => {
    const p = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'fe' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d', controller: true }] },
      spec: { nodeName: 'n1', priority: 0, serviceAccountName: 'default', containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] },
      status: { phase: 'Running', hostIP: '172.18.0.2', podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }], startTime: ago(65 * S), qosClass: 'BestEffort', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, containerID: 'containerd://1', imageID: '', state: { running: { startedAt: ago(60 * S) } } }] },
    };
    const events = [{ type: 'Normal', reason: 'Scheduled', firstTimestamp: ago(65 * S), lastTimestamp: ago(65 * S), count: 1, source: { component: 'default-scheduler' }, message: 'Successfully assigned default/web to n1' }];
    expect(describeObject(p as any, ctx(events)).split('\n')).toEqual([
      'Name:             web',
      'Namespace:        default',
      'Priority:         0',
      'Service Account:  default',
      'Node:             n1/172.18.0.2',
      `Start Time:       ${rfc1123z(ago(65 * S))}`,
      'Labels:           app=web',
      '                  tier=fe',
      'Annotations:      <none>',
      'Status:           Running',
      'IP:               10.244.0.7',
      'IPs:',
      '  IP:           10.244.0.7',
      'Controlled By:  ReplicaSet/web-7d',
      'Containers:',
      '  app:',
      '    Container ID:   containerd://1',
      '    Image:          nginx',
      '    Image ID:       ',
      '    Port:           80/TCP',
      '    Host Port:      0/TCP',
      '    State:          Running',
      `      Started:      ${rfc1123z(ago(60 * S))}`,
      '    Ready:          True',
      '    Restart Count:  0',
      '    Environment:    <none>',
      '    Mounts:         <none>',
      'Conditions:',
      '  Type           Status',
      '  Ready          True ',
      'Volumes:         <none>',
      'QoS Class:       BestEffort',
      'Node-Selectors:  <none>',
      'Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
      'Events:',
      '  Type    Reason     Age   From               Message',
      '  ----    ------     ----  ----               -------',
      '  Normal  Scheduled  65s   default-scheduler  Successfully assigned default/web to n1',
    ]);
  });

  it('formats times as time.RFC1123Z', () => {
    expect(rfc1123z('1970-01-01T00:01:50Z')).toBe('Thu, 01 Jan 1970 00:01:50 +0000');
  });
});

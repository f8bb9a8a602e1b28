// The Job controller in a running cluster, and its pure helpers, with cases translated from
// pkg/controller/job/job_controller_test.go (TestControllerSyncJob, TestJobBackoffForOnFailure),
// backoff_utils_test.go (TestGetRemainingBackoffTime, TestNewBackoffRecord) and
// indexed_job_utils_test.go (TestFirstPendingIndexes, TestPodGenerateNameWithIndex, interval strings).

import { describe, expect, it } from 'vitest';
import { advance, condition, eventsFor, newCluster, pods } from '../../../test/helpers/cluster.js';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { newBackoffRecord, remainingBackoffMs } from './backoff.js';
import { firstPendingIndexes, intervalsToString, podGenerateNameWithIndex, toIntervals, COMPLETION_INDEX_ANNOTATION } from './indexed.js';
import { isComplete, pastBackoffLimitOnFailure, wantActive } from './util.js';

function job(name: string, spec: any, image = 'work', restartPolicy = 'Never'): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { ...spec, template: { spec: { restartPolicy, containers: [{ name: 'c', image }] } } } };
}
const apps = [
  { key: 'work', exitAfter: { min: 5000, max: 5000 }, exitCode: 0 },
  { key: 'bad', exitAfter: { min: 2000, max: 2000 }, exitCode: 1 },
  { key: 'forever' },
];
const get = (c: ReturnType<typeof newCluster>, name: string) => c.api.get('Job', 'default', name)!;
const jobPods = (c: ReturnType<typeof newCluster>, name: string) => pods(c, `batch.kubernetes.io/job-name=${name}`);

describe('TestGetRemainingBackoffTime (backoff_utils_test.go, default 5s, max 700s)', () => {
  const t0 = 1_000_000;
  const cases: [failures: number, elapsedMs: number, want: number][] = [
    [0, 0, 0],
    [1, 0, 5000],
    [1, 1000, 4000],
    [1, 5000, 0],
    [1, 6000, 0],
    [3, 0, 20_000],
    [8, 0, 640_000],
    [9, 0, 700_000],
  ];
  for (const [n, elapsed, want] of cases) {
    it(`${n} failures, ${elapsed}ms after the last -> ${want}ms`, () => {
      expect(remainingBackoffMs({ failuresAfterLastSuccess: n, lastFailureTime: t0 }, t0 + elapsed, 5000, 700_000)).toBe(want);
    });
  }
  it('defaults: 10 s doubling, capped at 10 minutes', () => {
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 1, lastFailureTime: 0 }, 0)).toBe(10_000);
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 7, lastFailureTime: 0 }, 0)).toBe(600_000);
  });
});

describe('TestNewBackoffRecord (backoff_utils_test.go)', () => {
  const finished = (phase: string, at: string): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: at, creationTimestamp: '1970-01-01T00:00:00Z' },
    status: { phase, containerStatuses: [{ state: { terminated: { finishedAt: at } } }] },
  });
  it('failures add up and remember the latest failure', () => {
    const r = newBackoffRecord({ failuresAfterLastSuccess: 1, lastFailureTime: 1000 }, [], [finished('Failed', '1970-01-01T00:00:05Z'), finished('Failed', '1970-01-01T00:00:03Z')]);
    expect(r).toEqual({ failuresAfterLastSuccess: 3, lastFailureTime: 5000 });
  });
  it('a success resets the count to the failures that finished after it', () => {
    const r = newBackoffRecord({ failuresAfterLastSuccess: 4, lastFailureTime: 1000 }, [finished('Succeeded', '1970-01-01T00:00:04Z')], [finished('Failed', '1970-01-01T00:00:03Z'), finished('Failed', '1970-01-01T00:00:06Z')]);
    expect(r).toEqual({ failuresAfterLastSuccess: 1, lastFailureTime: 6000 });
  });
});

describe('indexed_job_utils', () => {
  it('completedIndexes: intervals, with a two-index interval written "a,b" (orderedIntervals.String)', () => {
    expect(intervalsToString(toIntervals([1, 3, 4, 5, 7, 8]))).toBe('1,3-5,7,8');
    expect(intervalsToString(toIntervals([]))).toBe('');
  });
  it('TestPodGenerateNameWithIndex', () => {
    expect(podGenerateNameWithIndex('hello', 1)).toBe('hello-1-');
    const long = 'a'.repeat(60);
    expect(podGenerateNameWithIndex(long, 1)).toBe(`${'a'.repeat(55)}-1-`);
  });
  it('TestFirstPendingIndexes: lowest indexes not succeeded and not held by an active pod', () => {
    const p = (ix: number): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { annotations: { [COMPLETION_INDEX_ANNOTATION]: String(ix) } } });
    expect(firstPendingIndexes([], [], 2, 5)).toEqual([0, 1]);
    expect(firstPendingIndexes([p(0), p(3)], toIntervals([1, 2]), 3, 6)).toEqual([4, 5]);
    expect(firstPendingIndexes([], toIntervals([0, 1, 2]), 5, 3)).toEqual([]);
  });
});

describe('manageJob arithmetic (TestControllerSyncJob rows)', () => {
  const j = (parallelism: number, completions?: number) => ({ spec: { parallelism, ...(completions !== undefined ? { completions } : {}) } }) as unknown as KubeObject;
  const rows: [name: string, job: KubeObject, active: number, succeeded: number, want: number][] = [
    ['job start', j(2, 5), 0, 0, 2],
    ['WQ job start', j(2), 0, 0, 2],
    ['too few active pods', j(2, 5), 1, 1, 2],
    ['too many active pods', j(2, 5), 3, 0, 2],
    ['more active pods than parallelism', j(2, 5), 10, 0, 2],
    ['more active pods than remaining completions', j(3, 4), 3, 2, 2],
    ['WQ job finishing: no new pods once one succeeded', j(2), 1, 1, 1],
  ];
  for (const [name, jb, active, succeeded, want] of rows) it(name, () => expect(wantActive(jb, active, succeeded)).toBe(want));
  it('job finish / WQ job all finished despite one failure', () => {
    expect(isComplete(j(2, 5), 5, 0)).toBe(true);
    expect(isComplete(j(2), 1, 0)).toBe(true);
    expect(isComplete(j(2), 1, 1)).toBe(false);
  });
});

describe('TestJobBackoffForOnFailure (pastBackoffLimitOnFailure)', () => {
  const mk = (backoffLimit: number, restarts: number[], phase: string) => {
    const jb = { spec: { backoffLimit, template: { spec: { restartPolicy: 'OnFailure' } } } } as unknown as KubeObject;
    const ps = restarts.map((r) => ({ status: { phase, containerStatuses: [{ restartCount: r }] }, metadata: {} }) as unknown as KubeObject);
    return pastBackoffLimitOnFailure(jb, ps);
  };
  it('backoffLimit 0 with no restarts: keeps running', () => expect(mk(0, [0], 'Running')).toBe(false));
  it('backoffLimit 1 with 1 restart: fails (Running or Pending)', () => {
    expect(mk(1, [1], 'Running')).toBe(true);
    expect(mk(1, [1], 'Pending')).toBe(true);
  });
  it('backoffLimit 2 with restarts [1, 1]: fails', () => expect(mk(2, [1, 1], 'Running')).toBe(true));
  it('backoffLimit 3 with restarts [1, 1]: keeps running', () => expect(mk(3, [1, 1], 'Running')).toBe(false));
  it('finished pods do not count', () => expect(mk(1, [5], 'Succeeded')).toBe(false));
});

describe('Job controller in a cluster', () => {
  it('defaults and the generated selector (SetDefaults_Job, strategy.go generateSelector)', () => {
    const c = newCluster({ apps });
    const j = c.api.create(job('pi', {}));
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed', manualSelector: false });
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': j.metadata.uid } });
    expect(j.spec.template.metadata.labels).toEqual({ 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': j.metadata.uid, 'batch.kubernetes.io/controller-uid': j.metadata.uid });
    const wq = c.api.create(job('wq', { parallelism: 3 }));
    expect(wq.spec.completions).toBeUndefined();
  });

  it('rejects restartPolicy Always or unset with the upstream message', () => {
    const c = newCluster();
    const bad = job('x', {});
    delete bad.spec.template.spec.restartPolicy;
    expect(() => c.api.create(bad)).toThrow('Job.batch "x" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
    expect(() => c.api.create(job('y', { completionMode: 'Indexed', completions: undefined, parallelism: 2 }))).toThrow('spec.completions: Required value: when completion mode is Indexed');
  });

  it('completions 3, parallelism 2: two pods, then one, then Complete; finished pods are kept', () => {
    const c = newCluster({ apps });
    c.api.create(job('pi', { completions: 3, parallelism: 2 }));
    advance(c, 500);
    // pod events reach the job's status in one batch, a second later (syncJobBatchPeriod)
    expect(get(c, 'pi').status).toMatchObject({ active: 2, ready: 0 });
    advance(c, 1000);
    expect(get(c, 'pi').status).toMatchObject({ active: 2, ready: 2, terminating: 0, uncountedTerminatedPods: {} });
    for (const p of jobPods(c, 'pi')) expect(p.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    advance(c, 5500);
    expect(get(c, 'pi').status).toMatchObject({ active: 1, succeeded: 2 });
    advance(c, 8000);
    const done = get(c, 'pi');
    expect(done.status.succeeded).toBe(3);
    expect(done.status.active).toBeUndefined();
    // 1.31+: SuccessCriteriaMet first, then Complete with the same reason
    expect(done.status.conditions.map((x: any) => [x.type, x.status, x.reason])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    expect(done.status.completionTime).toBe(condition(done, 'Complete').lastTransitionTime);
    const ps = jobPods(c, 'pi');
    expect(ps.map((p) => p.status.phase)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(ps.every((p) => !p.metadata.finalizers)).toBe(true);
    expect(eventsFor(c, 'Job', 'pi').map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate', 'Completed']);
  });

  it('1.30: Complete is set directly, without SuccessCriteriaMet', () => {
    const c = newCluster({ apps, kubernetesVersion: '1.30' });
    c.api.create(job('pi', {}));
    advance(c, 8000);
    expect(get(c, 'pi').status.conditions.map((x: any) => x.type)).toEqual(['Complete']);
  });

  it('restartPolicy Never: failed pods are replaced after 10 s, 20 s back-off, then BackoffLimitExceeded', () => {
    const c = newCluster({ apps });
    c.api.create(job('bad', { backoffLimit: 2 }, 'bad'));
    advance(c, 60_000);
    const j = get(c, 'bad');
    expect(j.status.failed).toBe(3);
    expect(j.status.conditions.map((x: any) => [x.type, x.reason])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ]);
    const created = c.sim.trace.records.filter((r) => r.type === 'object' && r.op === 'added' && r.kind === 'Pod').map((r) => r.t);
    // first pod at once; the second 10 s after the first failed (2 s); the third 20 s after the second failed
    expect(created.length).toBe(3);
    // (the failure time is the container's finishedAt, in whole seconds as the API stores it)
    expect(created[1] - created[0]).toBeGreaterThanOrEqual(11_900);
    expect(created[1] - created[0]).toBeLessThan(13_500);
    expect(created[2] - created[1]).toBeGreaterThanOrEqual(21_900);
    expect(created[2] - created[1]).toBeLessThan(23_500);
    expect(jobPods(c, 'bad').map((p) => p.status.phase)).toEqual(['Failed', 'Failed', 'Failed']);
    expect(eventsFor(c, 'Job', 'bad').at(-1)).toMatchObject({ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
  });

  it('restartPolicy OnFailure: the kubelet restarts in place; the restarts count toward backoffLimit', () => {
    const c = newCluster({ apps });
    c.api.create(job('crashy', { backoffLimit: 2 }, 'bad', 'OnFailure'));
    advance(c, 120_000);
    const j = get(c, 'crashy');
    expect(condition(j, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    // one pod only: it was never replaced, it restarted; the failed job then deleted it
    expect(c.sim.trace.records.filter((r) => r.type === 'object' && r.op === 'added' && r.kind === 'Pod')).toHaveLength(1);
    expect(jobPods(c, 'crashy')).toHaveLength(0);
  });

  it('activeDeadlineSeconds: DeadlineExceeded, active pods deleted, Failed once they are gone', () => {
    const c = newCluster({ apps });
    c.api.create(job('slow', { activeDeadlineSeconds: 10 }, 'forever'));
    advance(c, 10_500);
    const j = get(c, 'slow');
    expect(condition(j, 'FailureTarget')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', lastTransitionTime: '1970-01-01T00:00:10Z' });
    advance(c, 5000);
    expect(condition(get(c, 'slow'), 'Failed')).toMatchObject({ status: 'True', reason: 'DeadlineExceeded' });
    expect(get(c, 'slow').status.failed).toBe(1);
  });

  it('work queue job (completions unset): complete once one pod succeeded and none is active', () => {
    const c = newCluster({ apps });
    c.api.create(job('wq', { parallelism: 2 }));
    advance(c, 10_000);
    const j = get(c, 'wq');
    expect(j.status.succeeded).toBe(2);
    expect(condition(j, 'Complete')?.status).toBe('True');
  });

  it('Indexed: one pod per index with the completion-index annotation, label, hostname and env', () => {
    const c = newCluster({ apps });
    c.api.create(job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    advance(c, 1000);
    const ps = jobPods(c, 'idx').sort((a, b) => a.metadata.annotations![COMPLETION_INDEX_ANNOTATION].localeCompare(b.metadata.annotations![COMPLETION_INDEX_ANNOTATION]));
    expect(ps.map((p) => p.metadata.annotations![COMPLETION_INDEX_ANNOTATION])).toEqual(['0', '1', '2']);
    expect(ps.map((p) => p.metadata.labels![COMPLETION_INDEX_ANNOTATION])).toEqual(['0', '1', '2']);
    expect(ps.map((p) => p.spec.hostname)).toEqual(['idx-0', 'idx-1', 'idx-2']);
    expect(ps[1].metadata.name).toMatch(/^idx-1-[a-z0-9]{5}$/);
    expect(ps[0].spec.containers[0].env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
    advance(c, 8000);
    expect(get(c, 'idx').status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
  });

  it('ttlSecondsAfterFinished: the job and its pods are deleted that long after it finished', () => {
    const c = newCluster({ apps });
    c.api.create(job('ttl', { ttlSecondsAfterFinished: 30 }));
    advance(c, 7000);
    expect(condition(get(c, 'ttl'), 'Complete')).toBeDefined();
    advance(c, 20_000);
    expect(c.api.get('Job', 'default', 'ttl')).toBeDefined();
    advance(c, 15_000);
    expect(c.api.get('Job', 'default', 'ttl')).toBeUndefined();
    expect(jobPods(c, 'ttl')).toHaveLength(0);
  });

  it('the pod template is immutable while the job is not suspended', () => {
    const c = newCluster({ apps });
    c.api.create(job('pi', {}));
    let err: unknown;
    try {
      c.api.mutate('Job', 'default', 'pi', (d) => {
        d.spec.template.spec.containers[0].image = 'other';
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toContain('spec.template: Invalid value');
  });
});

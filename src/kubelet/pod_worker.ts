// One pod's worker in the kubelet (pkg/kubelet/pod_workers.go + kuberuntime): starts the
// containers, restarts them per restartPolicy with CrashLoopBackOff delays, and terminates the
// pod gracefully when it is deleted. Status is generated as generateAPIPodStatus does:
// phase from getPhase, the kubelet-owned conditions, one containerStatus per container.

import type { KubeObject } from '../api/types.js';
import type { Timer } from '../engine/sim.js';
import type { AppModel } from '../apps/registry.js';
import { timestamp } from '../api/time.js';
import { drawLatency } from '../engine/component.js';
import type { Kubelet } from './kubelet.js';
import { CrashLoopBackOff } from './backoff.js';
import { getPhase, type ContainerRuntimeState } from './status.js';

/** minimumGracePeriodInSeconds (kuberuntime_manager.go): SIGTERM always gets at least 2 s */
const MINIMUM_GRACE_PERIOD_SECONDS = 2;
/** exit code of a process killed by SIGKILL */
const EXIT_SIGKILL = 137;

interface Container {
  name: string;
  image: string;
  app: AppModel;
  state: ContainerRuntimeState;
  restartCount: number;
  /** the previous instance's terminated state, for lastState */
  last?: ContainerRuntimeState;
  timers: Timer[];
}

export class PodWorker {
  private readonly containers: Container[];
  private terminating = false;
  private killDeadline?: Timer;
  private done = false;
  private readonly backoff = new CrashLoopBackOff();
  private started = false;

  constructor(
    private readonly kubelet: Kubelet,
    private pod: KubeObject,
    readonly ipIndex: number,
  ) {
    this.containers = (pod.spec?.containers ?? []).map((c: any) => ({
      name: c.name,
      image: c.image,
      app: kubelet.cluster.apps.lookup(c.image),
      state: { kind: 'waiting', reason: 'ContainerCreating' },
      restartCount: 0,
      timers: [],
    }));
  }

  private get now(): number {
    return this.kubelet.cluster.sim.now;
  }

  private get sim() {
    return this.kubelet.cluster.sim;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.kubelet.cluster.api.recordEvent(this.pod, type, reason, message, 'kubelet');
  }

  start(): void {
    const ip = this.kubelet.podIP(this.ipIndex);
    const hostIP = this.kubelet.nodeIP;
    this.syncStatus((s) => {
      s.hostIP = hostIP;
      s.hostIPs = [{ ip: hostIP }];
      s.podIP = ip;
      s.podIPs = [{ ip }];
      s.startTime = timestamp(this.now);
    });
    const pull = this.kubelet.imagePullDelay();
    this.sim.schedule(pull, `${this.kubelet.name}/pod-worker`, () => {
      if (this.terminating || this.done) return;
      this.started = true;
      for (const c of this.containers) this.startContainer(c, true);
      this.syncStatus();
    });
  }

  /** startContainer: pull (events), create, start; the process then follows its app model */
  private startContainer(c: Container, initial: boolean): void {
    const pullPolicy = (this.pod.spec?.containers ?? []).find((x: any) => x.name === c.name)?.imagePullPolicy;
    if (initial || pullPolicy === 'Always') {
      if (pullPolicy === 'Always') {
        this.event('Normal', 'Pulling', `Pulling image "${c.image}"`);
        this.event('Normal', 'Pulled', `Successfully pulled image "${c.image}"`);
      } else {
        this.event('Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      }
    }
    this.event('Normal', 'Created', `Created container: ${c.name}`);
    this.event('Normal', 'Started', `Started container ${c.name}`);
    if (!initial) {
      c.last = c.state.kind === 'terminated' ? c.state : c.last;
      c.restartCount++;
    }
    c.state = { kind: 'running', startedAt: this.now };
    if (c.app.exitAfter !== undefined) {
      c.timers.push(this.sim.schedule(drawLatency(this.kubelet.rng, c.app.exitAfter), `${this.kubelet.name}/app`, () => this.onExit(c, c.app.exitCode, c.app.exitCode === 0 ? 'Completed' : 'Error')));
    }
  }

  /** the container's process ended */
  private onExit(c: Container, exitCode: number, reason: string): void {
    if (c.state.kind !== 'running') return;
    c.state = { kind: 'terminated', exitCode, reason, startedAt: c.state.startedAt, finishedAt: this.now };
    clearTimers(c);
    if (this.terminating) {
      this.syncStatus();
      this.maybeFinishTermination();
      return;
    }
    if (this.shouldRestart(c)) {
      const delay = this.backoff.next(`${c.name}`, this.now);
      if (delay === 0) {
        this.startContainer(c, false);
      } else {
        const msg = `back-off ${formatSeconds(delay)} restarting failed container=${c.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})`;
        c.last = c.state;
        c.state = { kind: 'waiting', reason: 'CrashLoopBackOff', message: msg };
        this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})`);
        c.timers.push(this.sim.schedule(delay, `${this.kubelet.name}/backoff`, () => {
          if (this.terminating) return;
          c.state = c.last!;
          this.startContainer(c, false);
          this.syncStatus();
        }));
      }
    }
    this.syncStatus();
  }

  /** ShouldContainerBeRestarted (pkg/kubelet/container/helpers.go) */
  private shouldRestart(c: Container): boolean {
    if (this.pod.metadata.deletionTimestamp) return false;
    if (c.state.kind === 'running') return false;
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Never') return false;
    if (policy === 'OnFailure' && c.state.kind === 'terminated' && c.state.exitCode === 0) return false;
    return true;
  }

  /** killPod: every container gets SIGTERM now and SIGKILL after the grace period, in parallel */
  terminate(pod: KubeObject): void {
    this.pod = pod;
    const grace = Math.max(pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30, 1);
    if (this.terminating) return; // the grace period of a pod already being killed does not restart
    this.terminating = true;
    const gp = Math.max(grace, MINIMUM_GRACE_PERIOD_SECONDS) * 1000;
    for (const c of this.containers) {
      clearTimers(c);
      if (c.state.kind !== 'running') {
        if (c.state.kind === 'waiting') c.state = c.last ?? { kind: 'terminated', exitCode: 0, reason: 'Completed', startedAt: this.now, finishedAt: this.now };
        continue;
      }
      this.event('Normal', 'Killing', `Stopping container ${c.name}`);
      const shutdown = drawLatency(this.kubelet.rng, c.app.shutdown);
      if (!c.app.ignoreSigterm && shutdown < gp) {
        c.timers.push(this.sim.schedule(shutdown, `${this.kubelet.name}/app`, () => this.onExit(c, 0, 'Completed')));
      }
    }
    this.killDeadline = this.sim.schedule(gp, `${this.kubelet.name}/sigkill`, () => {
      for (const c of this.containers) if (c.state.kind === 'running') this.onExit(c, EXIT_SIGKILL, 'Error');
    });
    this.syncStatus();
    this.maybeFinishTermination();
  }

  private maybeFinishTermination(): void {
    if (this.done || !this.containers.every((c) => c.state.kind === 'terminated')) return;
    this.done = true;
    this.killDeadline?.cancel();
    this.syncStatus();
    // the status manager's final delete: grace 0, with a UID precondition
    const api = this.kubelet.cluster.api;
    try {
      api.delete('Pod', this.pod.metadata.namespace, this.pod.metadata.name!, { gracePeriodSeconds: 0, preconditionUid: this.pod.metadata.uid });
    } catch {
      // already gone, or replaced by a pod of the same name: nothing to delete
    }
  }

  /** the pod object was removed from the API: stop everything */
  forget(): void {
    this.done = true;
    this.killDeadline?.cancel();
    for (const c of this.containers) clearTimers(c);
  }

  private syncStatus(extra?: (s: any) => void): void {
    const now = this.now;
    const updated = this.kubelet.writeStatus(this.pod, (s) => {
      extra?.(s);
      const specContainers: any[] = this.pod.spec?.containers ?? [];
      const states = this.containers.map((c) => c.state);
      const podIsTerminal = this.done;
      let phase = getPhase(this.pod.spec?.restartPolicy ?? 'Always', this.started ? states : [], podIsTerminal, specContainers.length);
      // a terminal phase is sticky
      if (s.phase === 'Succeeded' || s.phase === 'Failed') phase = s.phase;
      s.phase = phase;
      const statuses = this.containers.map((c) => containerStatus(c, this.started));
      s.containerStatuses = statuses;
      const unready = statuses.filter((x) => !x.ready).map((x) => x.name);
      const terminal = phase === 'Succeeded' || phase === 'Failed';
      let cr: [string, string?, string?];
      if (terminal) cr = ['False', phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed'];
      else if (unready.length) cr = ['False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`];
      else cr = ['True'];
      setCond(s, 'PodReadyToStartContainers', this.done ? 'False' : 'True', now);
      setCond(s, 'Initialized', 'True', now, terminal && phase === 'Succeeded' ? 'PodCompleted' : undefined);
      setCond(s, 'Ready', cr[0], now, cr[1], cr[2]);
      setCond(s, 'ContainersReady', cr[0], now, cr[1], cr[2]);
      setCond(s, 'PodScheduled', 'True', now);
      s.conditions = orderConditions(s.conditions);
    });
    if (updated) this.pod = updated;
  }
}

function containerStatus(c: Container, started: boolean): any {
  const st = c.state;
  const state: any =
    st.kind === 'running'
      ? { running: { startedAt: timestamp(st.startedAt) } }
      : st.kind === 'terminated'
        ? { terminated: { exitCode: st.exitCode, reason: st.reason, startedAt: timestamp(st.startedAt), finishedAt: timestamp(st.finishedAt) } }
        : { waiting: { reason: st.reason, ...(st.message ? { message: st.message } : {}) } };
  const last = c.last && c.last.kind === 'terminated'
    ? { terminated: { exitCode: c.last.exitCode, reason: c.last.reason, startedAt: timestamp(c.last.startedAt), finishedAt: timestamp(c.last.finishedAt) } }
    : {};
  return {
    name: c.name,
    image: c.image,
    imageID: '',
    containerID: started ? `containerd://${c.name}-${c.restartCount}` : undefined,
    state,
    lastState: last,
    // without a readiness probe a running container is ready (prober_manager.go UpdatePodStatus)
    ready: st.kind === 'running',
    restartCount: c.restartCount,
    started: st.kind === 'running',
  };
}

const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
function orderConditions(list: any[]): any[] {
  const known = CONDITION_ORDER.map((t) => list.find((c) => c.type === t)).filter(Boolean);
  return [...known, ...list.filter((c) => !CONDITION_ORDER.includes(c.type))];
}

function setCond(s: any, type: string, status: string, now: number, reason?: string, message?: string): void {
  const list: any[] = (s.conditions ??= []);
  const i = list.findIndex((c) => c.type === type);
  const prev = i >= 0 ? list[i] : undefined;
  const c: any = { type, status, lastProbeTime: null, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : timestamp(now) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  if (i >= 0) list[i] = c;
  else list.push(c);
}

function clearTimers(c: Container): void {
  for (const t of c.timers) t.cancel();
  c.timers = [];
}

function formatSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

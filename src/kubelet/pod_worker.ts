// One pod's worker in the kubelet (pkg/kubelet/pod_workers.go + kuberuntime_manager.go SyncPod):
// `sync` decides, as computePodActions does, which containers to start or kill: init containers
// one at a time, native sidecars started in order and kept running, regular containers per
// restartPolicy with CrashLoopBackOff, kills on liveness/startup failure. Starts run one after the
// other in spec order (image pull -> create -> start -> postStart), as SyncPod does. Deletion runs
// killContainer for every container in parallel: preStop, the sidecar ordering, SIGTERM, SIGKILL.
// Status is generated as generateAPIPodStatus does (src/kubelet/status.ts).

import type { KubeObject } from '../api/types.js';
import { jsonEqual } from '../api/clone.js';
import type { Timer } from '../engine/sim.js';
import type { AppModel, MemoryModel } from '../apps/registry.js';
import { memoryAt, memoryExceedsAt } from '../apps/behaviour.js';
import { exceedsMemoryLimit, isMemoryMedium, volumeBytes } from './tmpfs.js';
import { hasLocalStorageLimits, trackWritableLayer, writableLayerBytes } from './local_storage.js';
import type { LatencyRange } from '../engine/component.js';
import { timestamp } from '../api/time.js';
import { drawLatency } from '../engine/component.js';
import { parseQuantity, toValue } from '../api/quantity.js';
import type { Kubelet } from './kubelet.js';
import { newCrashLoopBackOff, type Backoff } from './backoff.js';
import {
  containersReadyCondition,
  getPhase,
  initializedCondition,
  isRestartableInit,
  podReadyCondition,
  type ApiContainerStatus,
  type ContainerRuntimeState,
} from './status.js';
import { ProbeWorker, defaultedProbe, type HandlerOutcome, type ProbeSpec, type ProbeType } from './prober.js';
import { grpcProbe, httpProbe, tcpProbe, type AppProcess, type HttpTarget } from './handlers.js';
import { runHook } from './hooks.js';
import { runInContainer, type ExecResult } from './exec_bridge.js';
import { SharedVolume, VirtualFileSystem } from './exec/fs.js';
import { layoutContainerFs, lazyFsSafe } from './container_fs.js';
import { COMMANDS } from './exec/commands.js';
import type { NetworkCommands } from './exec/types.js';
import { networkCommandsFor } from '../network/clients/commands.js';
import { expandContainerCommandAndArgs, expandSubPathExpr, lazyEnvRecord, makeEnvironmentVariables, ServiceEnvCache, type EnvVar } from './env/index.js';
import { apiVolumesOf, hostPathVolumesOf, readsPodMetadata, setUpHostPaths, setUpVolumes, type ApiVolume, type HostPathVolume } from './pod_volumes.js';
import { gitRepoVolumesOf, setUpGitRepos, type GitRepoVolume } from './pod_volumes.js';
import { nodeHostFs } from './host_path.js';

/** minimumGracePeriodInSeconds (kuberuntime_manager.go): SIGTERM always gets at least 2 s */
const MINIMUM_GRACE_PERIOD_SECONDS = 2;
/** exit code of a process killed by SIGKILL (the OOM killer uses SIGKILL too) */
const EXIT_SIGKILL = 137;
// pkg/util/goroutinemap/exponentialbackoff/exponential_backoff.go
const INITIAL_DURATION_BEFORE_RETRY_MS = 500;
const MAX_DURATION_BEFORE_RETRY_MS = 2 * 60_000 + 2_000;

type Role = 'init' | 'sidecar' | 'regular';
type Busy = 'queued' | 'starting' | 'backoff' | 'killing' | 'retry';

interface Ctr {
  spec: any;
  name: string;
  image: string;
  role: Role;
  /** reported state (status manager view): Running only once postStart has returned */
  state: ContainerRuntimeState;
  last?: Extract<ContainerRuntimeState, { kind: 'terminated' }>;
  restartCount: number;
  /** instances created so far; the containerID names the latest */
  instances: number;
  /** the running process, from StartContainer until it exits */
  process?: AppProcess;
  /** the app model of the image this container runs (the version pulled) */
  model?: AppModel;
  /** the latest instance's file system, once built (fsOf) */
  fs?: VirtualFileSystem;
  /** how to build it, while nothing has read it yet (see lazyFsSafe) */
  fsPending?: () => VirtualFileSystem;
  busy?: Busy;
  timers: Timer[];
  killTimers: Timer[];
  retry?: Timer;
  hookBlocking: boolean;
  cancelHook?: () => void;
  probes: Partial<Record<ProbeType, ProbeWorker>>;
  forced: Partial<Record<ProbeType, number>>;
  nextStartup?: LatencyRange;
  /** FinishedAt of the latest exited instance, and of the one before it */
  finishedAt?: number;
  prevFinishedAt?: number;
  /** after a kill that restarts: start again once the process is gone */
  restartAfterKill?: boolean;
  /** the sidecar ordering wait of a kill in progress */
  turnWait?: () => void;
  /** the env of the latest instance (kept after it exits, for `env:` expectations), built when first read */
  lastEnv?: () => Record<string, string>;
  /** the API status built last time, and what it was built from (apiStatus) */
  apiCache?: ApiStatusCache;
}

/**
 * A container's API status and the inputs it is a function of: the state objects (replaced,
 * never changed, on every transition), the instance and restart counts, readiness and started.
 * A status sync rebuilds every container's status; most of them have not changed since the
 * last sync, and their last object (only ever read: the API server copies what it stores) is
 * returned again.
 */
interface ApiStatusCache {
  state: ContainerRuntimeState;
  last: ContainerRuntimeState | undefined;
  instances: number;
  restartCount: number;
  ready: boolean;
  started: boolean;
  out: any;
}

export class PodWorker {
  private readonly inits: Ctr[];
  private readonly regular: Ctr[];
  private readonly all: Ctr[];
  private readonly volumes = new Map<string, SharedVolume>();
  /** emptyDir volumes with medium Memory (tmpfs), and the ones each container wrote to */
  private readonly memoryVolumes = new Set<SharedVolume>();
  private readonly tmpfsCharged = new WeakMap<Ctr, Set<SharedVolume>>();
  private terminating = false;
  private done = false;
  private terminal = false;
  /** evicted by the node-pressure eviction manager: terminal, but not deleted by the kubelet */
  private evicted = false;
  private initialized = false;
  /** CrashLoopBackOff per container, made at the first restart (most pods never restart) */
  private crashBackoff?: Backoff;
  private readonly startQueue: Ctr[] = [];
  private starting?: Ctr;
  private syncing = false;
  private resync = false;
  private readonly source: string;
  /** configMap, secret, downwardAPI and projected volumes (written by the kubelet) */
  private readonly apiVolumes: ApiVolume[];
  /** hostPath volumes: directories of the node, outliving the pod */
  private readonly hostPaths: HostPathVolume[];
  /** gitRepo volumes: cloned once at SetUp, never updated */
  private readonly gitRepos: GitRepoVolume[];
  private volumesReady = false;
  private volumeRetry?: Timer;
  /** the volume manager's exponential backoff between failed SetUp attempts (0: none failed yet) */
  private volumeBackoff = 0;
  private volumeRefresh?: Timer;
  private network?: NetworkCommands;
  /**
   * Whether the pod has an ephemeral-storage limit or a disk emptyDir sizeLimit. Computed once:
   * the eviction manager asks at every process start and exit on the node, each status write
   * stores a new spec object, and pod updates cannot change resources or volumes
   * (ValidatePodUpdate, src/api/validate.ts).
   */
  readonly localStorageLimits: boolean;
  /** running processes whose app model has a memory model (what memoryModels returns) */
  private memoryProcesses = 0;

  constructor(
    private readonly kubelet: Kubelet,
    private pod: KubeObject,
    readonly ipIndex: number,
  ) {
    this.source = `${kubelet.name}/pod-worker`;
    const make = (c: any, role: Role): Ctr => ({
      spec: c,
      name: c.name,
      image: c.image,
      role,
      state: { kind: 'waiting', reason: (pod.spec?.initContainers ?? []).length ? 'PodInitializing' : 'ContainerCreating' },
      restartCount: 0,
      instances: 0,
      timers: [],
      killTimers: [],
      hookBlocking: false,
      probes: {},
      forced: {},
    });
    this.inits = (pod.spec?.initContainers ?? []).map((c: any) => make(c, isRestartableInit(c) ? 'sidecar' : 'init'));
    this.regular = (pod.spec?.containers ?? []).map((c: any) => make(c, 'regular'));
    this.all = this.inits.concat(this.regular);
    for (const v of pod.spec?.volumes ?? []) {
      if (!v.emptyDir) continue;
      const sv = new SharedVolume();
      this.volumes.set(v.name, sv);
      if (isMemoryMedium(v)) this.memoryVolumes.add(sv);
    }
    this.apiVolumes = apiVolumesOf(pod);
    for (const v of this.apiVolumes) this.volumes.set(v.name, v.volume);
    this.hostPaths = hostPathVolumesOf(pod);
    this.gitRepos = gitRepoVolumesOf(pod);
    for (const g of this.gitRepos) this.volumes.set(g.name, g.volume);
    this.localStorageLimits = hasLocalStorageLimits(pod.spec);
  }

  /** curl, wget, nslookup and dig inside this pod's containers */
  private net(): NetworkCommands {
    return (this.network ??= networkCommandsFor(this.kubelet.cluster, this.pod));
  }

  private nodeObject(): KubeObject | undefined {
    return this.kubelet.cluster.api.get('Node', undefined, this.kubelet.nodeName);
  }

  /**
   * WaitForAttachAndMount: the containers start only once every volume is set up. A failed SetUp
   * is a FailedMount event; the volume manager's reconciler retries it after an exponential
   * backoff of 500 ms doubling up to 2m2s (pkg/util/goroutinemap/exponentialbackoff
   * initialDurationBeforeRetry / maxDurationBeforeRetry, used by nestedpendingoperations), and the
   * waiting sync starts the containers once the mount succeeds. The reconciler's 100 ms loop and
   * WaitForAttachAndMount's 300 ms poll are not modelled: the retry and the start are immediate.
   */
  private mountVolumes(): boolean {
    if (this.volumesReady) return true;
    if (this.volumeRetry) return false;
    // (each kind set up only when the pod has volumes of it: the same calls, in the same order)
    let failures: string[] = [];
    if (this.hostPaths.length) failures = setUpHostPaths(nodeHostFs(this.kubelet.cluster, this.kubelet.nodeName), this.hostPaths);
    if (this.apiVolumes.length) failures = failures.concat(setUpVolumes(this.kubelet.cluster.api, this.pod, this.nodeObject(), this.apiVolumes, notMounted));
    if (this.gitRepos.length) failures = failures.concat(setUpGitRepos(this.kubelet.cluster.config, this.now, this.gitRepos));
    for (const h of this.hostPaths) if (h.volume) this.volumes.set(h.name, h.volume);
    if (failures.length) {
      for (const m of failures) this.event('Warning', 'FailedMount', m);
      this.volumeBackoff = this.volumeBackoff === 0 ? INITIAL_DURATION_BEFORE_RETRY_MS : Math.min(2 * this.volumeBackoff, MAX_DURATION_BEFORE_RETRY_MS);
      this.volumeRetry = this.sim.schedule(this.volumeBackoff, `${this.kubelet.name}/volume-retry`, () => {
        this.volumeRetry = undefined;
        this.sync();
      });
      return false;
    }
    this.volumesReady = true;
    this.scheduleVolumeRefresh();
    return true;
  }

  /**
   * The periodic pod sync remounts API volumes: every resync (syncFrequency, jittered by
   * workerResyncIntervalJitterFactor 0.5 in pod_workers.go) the files are rewritten from the
   * watch-based ConfigMap/Secret managers' current objects. Scheduled only while the pod has such volumes.
   */
  private scheduleVolumeRefresh(): void {
    if (this.apiVolumes.length === 0 || this.done || this.terminal) return;
    const base = drawLatency(this.kubelet.rng, this.kubelet.cluster.timing.kubeletSync);
    const delay = base + Math.floor(this.kubelet.rng.float() * base * 0.5);
    this.volumeRefresh = this.sim.schedule(delay, `${this.kubelet.name}/volume-sync`, () => {
      this.volumeRefresh = undefined;
      if (this.done || this.terminal) return;
      this.refreshVolumes();
      this.scheduleVolumeRefresh();
    });
  }

  private refreshVolumes(only?: (v: ApiVolume) => boolean): void {
    const api = this.kubelet.cluster.api;
    const cur = api.get('Pod', this.pod.metadata.namespace, this.pod.metadata.name!);
    const pod = cur && cur.metadata.uid === this.pod.metadata.uid ? cur : this.pod;
    const failures = setUpVolumes(api, pod, this.nodeObject(), this.apiVolumes, only);
    for (const m of failures) this.event('Warning', 'FailedMount', m);
  }

  /** a pod update (kubectl label/annotate): the sync it triggers remounts downwardAPI metadata files */
  podUpdated(pod: KubeObject): void {
    if (this.done || this.terminal || !this.volumesReady) return;
    const prev = this.pod.metadata;
    // every status write comes back as an update: compare without printing (same answer as JSON.stringify)
    if (jsonEqual([prev.labels, prev.annotations], [pod.metadata.labels, pod.metadata.annotations])) return;
    this.pod = { ...this.pod, metadata: { ...this.pod.metadata, labels: pod.metadata.labels, annotations: pod.metadata.annotations } };
    this.refreshVolumes(readsPodMetadata);
  }

  /** the live container state, for `env:` and `file:` expectations */
  containerView(name?: string): { env?: Record<string, string>; fs?: VirtualFileSystem; running: boolean } | undefined {
    const c = this.findContainer(name);
    if (!c) return undefined;
    return { env: c.process?.env ?? c.lastEnv?.(), fs: fsOf(c), running: !!c.process };
  }

  private get now(): number {
    return this.kubelet.cluster.sim.now;
  }

  private get sim() {
    return this.kubelet.cluster.sim;
  }

  private get restartPolicy(): string {
    return this.pod.spec?.restartPolicy ?? 'Always';
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.kubelet.cluster.api.recordEvent(this.pod, type, reason, message, 'kubelet');
  }

  private podRef(): string {
    return `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})`;
  }

  /** the sandbox is up: IPs, probe workers (prober_manager AddPod), then the first sync */
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
    // workers exist for regular containers and sidecars (AddPod, getRestartableInitContainers)
    // (the probe members read by name: a key built per lookup costs more than the rest of start)
    for (const c of this.all) {
      if (c.role === 'init') continue;
      const spec = c.spec;
      if (spec.startupProbe) c.probes.startup = this.probeWorker(c, 'startup', spec.startupProbe);
      if (spec.livenessProbe) c.probes.liveness = this.probeWorker(c, 'liveness', spec.livenessProbe);
      if (spec.readinessProbe) c.probes.readiness = this.probeWorker(c, 'readiness', spec.readinessProbe);
    }
    for (const c of this.all) for (const w of Object.values(c.probes)) w!.start();
    this.sync();
  }

  private probeWorker(c: Ctr, type: ProbeType, probe: any): ProbeWorker {
    return new ProbeWorker(this.sim, type, defaultedProbe(probe), this.probeSubject(c), `${this.kubelet.name}/prober`);
  }

  // ---- the sync decision (computePodActions) -------------------------------------------------

  private sync(): void {
    if (this.done || this.terminating || this.terminal) return;
    if (this.syncing) {
      this.resync = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.resync = false;
        this.syncOnce();
      } while (this.resync && !this.terminating && !this.terminal);
    } finally {
      this.syncing = false;
    }
    this.syncStatus();
  }

  private syncOnce(): void {
    // liveness/startup failures of running containers: kill, and restart unless policy Never
    for (const c of this.all) {
      if (!c.process || c.busy || c.hookBlocking || c.role === 'init') continue;
      const restart = c.role === 'sidecar' || this.restartPolicy !== 'Never';
      const id = this.containerID(c);
      if (c.probes.liveness?.resultFor(id) === 'Failure') {
        this.killContainer(c, this.graceFor(c, 'liveness'), `Container ${c.name} failed liveness probe${restart ? ', will be restarted' : ''}`, restart);
      } else if (c.probes.startup?.resultFor(id) === 'Failure') {
        this.killContainer(c, this.graceFor(c, 'startup'), `Container ${c.name} failed startup probe${restart ? ', will be restarted' : ''}`, restart);
      }
    }
    if (!this.mountVolumes()) return;
    if (!this.initialized && !this.syncInit()) return;
    this.initialized = true;
    let keep = 0;
    const toStart: Ctr[] = [];
    for (const c of this.regular) {
      if (c.process || c.busy) keep++;
      else if (this.shouldRestart(c)) toStart.push(c);
    }
    // keepCount == 0: KillPod, and the sidecars are not restarted any more
    if (keep === 0 && toStart.length === 0) return this.completePod();
    // after initialization only sidecars are kept alive, whatever the restartPolicy
    for (const c of this.inits) if (c.role === 'sidecar' && !c.busy && !c.process) this.requestStart(c);
    for (const c of toStart) this.requestStart(c);
  }

  /** computeInitContainerActions: true once every init container is done and every sidecar started */
  private syncInit(): boolean {
    for (const c of this.inits) {
      if (c.role === 'sidecar') {
        if (c.busy) return false;
        if (!c.process) {
          this.requestStart(c);
          return false;
        }
        if (!this.isStarted(c)) return false;
        continue;
      }
      if (c.busy || c.process) return false;
      if (c.instances === 0) {
        this.requestStart(c);
        return false;
      }
      const exit = c.state.kind === 'terminated' ? c.state.exitCode : c.last?.exitCode;
      if (exit === 0) continue;
      if (this.restartPolicy === 'Never') {
        // init failed and the pod may not restart it: KillPod; getPhase reports Failed
        this.completePod();
        return false;
      }
      this.requestStart(c);
      return false;
    }
    return true;
  }

  /** ShouldContainerBeRestarted (pkg/kubelet/container/helpers.go) */
  private shouldRestart(c: Ctr): boolean {
    if (this.pod.metadata.deletionTimestamp) return false;
    if (c.instances === 0) return true;
    if (c.process) return false;
    const policy = this.restartPolicy;
    if (policy === 'Never') return false;
    const exit = c.state.kind === 'terminated' ? c.state.exitCode : c.last?.exitCode;
    if (policy === 'OnFailure' && exit === 0) return false;
    return true;
  }

  /** nothing left to run (keepCount == 0): stop the sidecars, then the pod is done */
  private completePod(): void {
    const running = this.all.filter((c) => c.process && c.busy !== 'killing');
    for (const c of this.startQueue.splice(0)) c.busy = undefined;
    for (const c of this.all) {
      c.retry?.cancel();
      if (c.busy === 'backoff' || c.busy === 'retry') c.busy = undefined;
    }
    if (running.length === 0 && !this.all.some((c) => c.busy === 'killing')) {
      this.terminal = true;
      for (const c of this.all) for (const w of Object.values(c.probes)) w!.stop();
      return;
    }
    for (const c of running) this.killContainer(c, this.graceFor(c), `Stopping container ${c.name}`, false, true);
  }

  private isStarted(c: Ctr): boolean {
    if (!c.process || c.hookBlocking || c.state.kind !== 'running') return false;
    const w = c.probes.startup;
    return !w || w.resultFor(this.containerID(c)) === 'Success';
  }

  private isReady(c: Ctr): boolean {
    if (c.role === 'init') return c.state.kind === 'terminated' && c.state.exitCode === 0;
    if (!this.isStarted(c)) return false;
    const w = c.probes.readiness;
    return !w || w.resultFor(this.containerID(c)) === 'Success';
  }

  // ---- starting containers -------------------------------------------------------------------

  private backoffKey(c: Ctr): string {
    return `${this.pod.metadata.uid}_${c.name}`;
  }

  /**
   * doBackOff then queue the start. `since` is the FinishedAt doBackOff consults: the latest
   * exited instance it knows of (for a restart right after a kill in the same sync, the one
   * before the killed container, since SyncPod's pod status predates the kill).
   */
  private get backoff(): Backoff {
    return (this.crashBackoff ??= newCrashLoopBackOff());
  }

  private requestStart(c: Ctr, sinceOverride?: { since: number | undefined }): void {
    const since = sinceOverride ? sinceOverride.since : c.finishedAt;
    if (c.busy || c.process || this.terminating) return;
    const key = since === undefined ? '' : this.backoffKey(c);
    if (since !== undefined && this.backoff.isInBackOffSince(key, since, this.now)) {
      const d = this.backoff.get(key);
      c.busy = 'backoff';
      this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.podRef()}`);
      if (c.state.kind === 'terminated') c.last = c.state;
      c.state = { kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${formatSeconds(d)} restarting failed container=${c.name} pod=${this.podRef()}` };
      // the next sync sees the latest exited instance: restart exactly when its back-off ends
      const from = c.finishedAt ?? since;
      c.retry = this.sim.scheduleAt(Math.max(from + d, this.now), `${this.kubelet.name}/backoff`, () => {
        c.busy = undefined;
        c.retry = undefined;
        this.sync();
      });
      return;
    }
    if (since !== undefined) this.backoff.next(key, since, this.now);
    c.busy = 'queued';
    this.startQueue.push(c);
    this.pump();
  }

  /** SyncPod starts containers one after the other: the next begins when the previous returned */
  private pump(): void {
    if (this.starting || this.terminating) return;
    const c = this.startQueue.shift();
    if (!c) return;
    this.starting = c;
    c.busy = 'starting';
    const base = this.kubelet.cluster.apps.lookup(c.image);
    const pull = this.kubelet.images.ensure(this.pod.metadata.uid!, c.image, c.spec.imagePullPolicy ?? 'IfNotPresent', base, this.now, this.kubelet.imagePullDelay());
    if (pull.kind === 'present') this.event('Normal', 'Pulled', pull.message);
    else if (pull.pullingMessage) this.event('Normal', 'Pulling', pull.pullingMessage);
    const afterPull = () => {
      if (this.starting !== c || this.terminating) return;
      if (pull.kind === 'error') {
        for (const e of pull.events) this.event(e.type, e.reason, e.message);
        this.event('Warning', 'Failed', `Error: ${pull.reason}`);
        if (c.state.kind === 'terminated') c.last = c.state;
        c.state = { kind: 'waiting', reason: pull.reason, message: pull.message };
        // the pod worker retries a failed sync after wait.Jitter(10s, 0.5) (pod_workers.go)
        c.busy = 'retry';
        c.retry = this.sim.schedule(this.kubelet.rng.between(10_000, 15_000), `${this.kubelet.name}/pod-worker-retry`, () => {
          c.busy = undefined;
          c.retry = undefined;
          this.sync();
        });
        return this.startDone(c);
      }
      if (pull.kind === 'pulled') this.event('Normal', 'Pulled', pull.message);
      c.model = pull.model;
      this.createAndStart(c);
    };
    if (pull.durationMs > 0) this.sim.schedule(pull.durationMs, `${this.kubelet.name}/image-pull`, afterPull);
    else afterPull();
  }

  private startDone(c: Ctr): void {
    if (this.starting === c) this.starting = undefined;
    if (c.busy === 'starting') c.busy = undefined;
    this.pump();
    this.sync();
  }

  /** startContainer: create, start (the process follows its app model), then postStart */
  private createAndStart(c: Ctr): void {
    const model = c.model!;
    const config = this.containerConfig(c);
    if ('error' in config) {
      // kuberuntime_container.go startContainer: generateContainerConfig failed
      this.event('Warning', 'Failed', `Error: ${config.error}`);
      if (c.state.kind === 'terminated') c.last = c.state;
      c.state = { kind: 'waiting', reason: 'CreateContainerConfigError', message: config.error };
      c.busy = 'retry';
      c.retry = this.sim.schedule(this.kubelet.rng.between(10_000, 15_000), `${this.kubelet.name}/pod-worker-retry`, () => {
        c.busy = undefined;
        c.retry = undefined;
        this.sync();
      });
      return this.startDone(c);
    }
    for (const w of config.warnings) this.event('Warning', w.reason, w.message);
    this.event('Normal', 'Created', `Created container: ${c.name}`);
    this.event('Normal', 'Started', `Started container ${c.name}`);
    if (c.instances > 0) c.restartCount++;
    c.instances++;
    const startup = drawLatency(this.kubelet.rng, c.nextStartup ?? model.startup);
    c.nextStartup = undefined;
    // the process's environment as a record, built when first read (an HTTP answer, an exec, an
    // `env:` expectation): one object per instance, shared by the process and lastEnv
    const env = lazyEnvRecord(this.pod.metadata.name!, config.env);
    c.lastEnv = env;
    const p: AppProcess = new ContainerProcess(model, this.now, this.now + startup, env);
    c.process = p;
    if (model.memory && this.memoryProcesses++ === 0) this.kubelet.memoryWorkers.add(this);
    // the file system is laid out when something first reads it (an exec, a hook, a probe, a
    // `file:` expectation): most containers are never looked into
    c.fs = undefined;
    c.fsPending = undefined;
    if (lazyFsSafe(c.spec, model, config.subPaths, this.hostPaths)) c.fsPending = () => this.makeFs(c, model, config.subPaths);
    else c.fs = this.makeFs(c, model, config.subPaths);
    this.scheduleProcess(c, p, startup);
    if (!c.process) return this.startDone(c);
    // without a command the container runs its image (scriptArgv answers undefined): no expansion needed
    const argv = c.spec.command?.length ? scriptArgv({ ...c.spec, ...expandContainerCommandAndArgs(c.spec, config.env) }) : undefined;
    if (argv) {
      // a shell or busybox command as the container's command runs in the exec interpreter; as
      // PID 1 without a handler of its own it ignores SIGTERM (only SIGKILL stops it)
      p.ignoresSigterm = true;
      c.timers.push(this.sim.schedule(0, `${this.kubelet.name}/app`, () => {
        if (c.process !== p) return;
        const fs = fsOf(c)!;
        const run = runInContainer(this.sim, `${this.kubelet.name}/app`, argv, { fs, env: p.env, startedAt: this.now, network: this.net(), ...(c.spec.workingDir ? { workingDir: c.spec.workingDir } : {}) }, undefined, (r) => {
          if (c.process === p) this.onExit(c, r.exitCode, r.exitCode === 0 ? 'Completed' : 'Error');
        });
        if (c.process === p) c.timers.push(run);
      }));
    }
    const postStart = c.spec.lifecycle?.postStart;
    if (!postStart) return this.running(c);
    c.hookBlocking = true;
    const h = runHook(postStart, this.hookEnv(c), (r) => {
      c.cancelHook = undefined;
      if (!c.hookBlocking) return;
      c.hookBlocking = false;
      if (r.ok) return this.running(c);
      // kuberuntime_container.go startContainer: no details in the event, to avoid leaking secrets
      this.event('Warning', 'FailedPostStartHook', 'PostStartHook failed');
      // killed with the normal grace logic; the next sync restarts it per restartPolicy
      this.killContainer(c, this.graceFor(c), 'FailedPostStartHook', false);
      this.startDone(c);
    });
    if (c.hookBlocking) c.cancelHook = () => h.cancel();
  }

  /** postStart returned: the status manager reports Running from here */
  private running(c: Ctr): void {
    if (!c.process) return this.startDone(c);
    if (c.state.kind === 'terminated') c.last = c.state;
    c.state = { kind: 'running', startedAt: c.process.startedAt };
    this.startDone(c);
    // readiness fast path: probe right away while not yet Success (prober_manager UpdatePodStatus)
    const r = c.probes.readiness;
    if (r && r.resultFor(this.containerID(c)) !== 'Success') r.trigger();
  }

  /** generateContainerConfig: the env (makeEnvironmentVariables) and the subPathExpr mounts */
  private containerConfig(c: Ctr): { env: EnvVar[]; warnings: { reason: string; message: string }[]; subPaths: Map<number, string> } | { error: string } {
    const api = this.kubelet.cluster.api;
    const ns = this.pod.metadata.namespace ?? 'default';
    // the service informer's view at this instant: the pod's namespace, plus the master service
    const master = ns === 'default' ? undefined : api.get('Service', 'default', 'kubernetes');
    const services = master ? [...api.list('Service', ns), master] : api.list('Service', ns);
    const r = makeEnvironmentVariables({
      pod: this.pod,
      container: c.spec,
      services,
      getConfigMap: (n, name) => api.get('ConfigMap', n, name),
      getSecret: (n, name) => api.get('Secret', n, name),
      node: this.nodeObject(),
      kubernetesVersion: this.kubelet.cluster.config.kubernetesVersion,
      podIPs: [this.kubelet.podIP(this.ipIndex)],
      serviceEnvCache: serviceEnvCacheOf(api),
    });
    if ('error' in r) return r;
    const subPaths = new Map<number, string>();
    const mounts: any[] = c.spec.volumeMounts ?? [];
    for (let i = 0; i < mounts.length; i++) {
      const m = mounts[i];
      if (m.subPathExpr === undefined || m.subPathExpr === '') continue;
      const x = expandSubPathExpr(m.subPathExpr, r.env);
      if ('error' in x) return { error: `failed to prepare subPath for volumeMount "${m.name}" of container "${c.name}"` };
      subPaths.set(i, x.path);
    }
    return { env: r.env, warnings: r.warnings, subPaths };
  }

  private makeFs(c: Ctr, model: AppModel, subPaths: Map<number, string> = new Map()): VirtualFileSystem {
    const fs = layoutContainerFs(model.files, c.spec.volumeMounts ?? [], subPaths, {
      volume: (name) => this.volumes.get(name),
      // configMap, secret, downwardAPI and projected volumes are always mounted read-only
      readOnly: (name) => this.apiVolumes.some((a) => a.name === name),
      // a file hostPath is its parent directory mounted with the file as subPath
      hostFile: (name) => this.hostPaths.find((h) => h.name === name)?.file,
    });
    if (this.memoryVolumes.size) fs.onWrite = (v) => this.memoryVolumes.has(v) && this.onTmpfsWrite(c, v);
    // a container with an ephemeral-storage limit: its writable layer is measured (local_storage.ts)
    if (this.localStorageLimits) trackWritableLayer(fs, () => this.kubelet.eviction.poke());
    return fs;
  }

  /**
   * A write into a tmpfs emptyDir: its bytes join the writer's memory cgroup, and when the app's
   * memory plus the tmpfs passes the container's limit the OOM killer ends it (right after the
   * write, not inside the command that wrote).
   */
  private onTmpfsWrite(c: Ctr, v: SharedVolume): void {
    const charged = this.tmpfsCharged.get(c) ?? new Set<SharedVolume>();
    charged.add(v);
    this.tmpfsCharged.set(c, charged);
    const p = c.process;
    if (!p) return;
    let tmpfs = 0;
    for (const x of charged) tmpfs += volumeBytes(x);
    const app = p.model.memory ? memoryAt(p.model.memory, this.now - p.startedAt) : 0;
    if (exceedsMemoryLimit(app, tmpfs, memoryLimit(c.spec))) {
      c.timers.push(this.sim.schedule(0, `${this.kubelet.name}/app`, () => c.process === p && this.onExit(c, EXIT_SIGKILL, 'OOMKilled')));
    }
  }

  /** the process's own timeline: exiting by itself, the OOM killer, a port already taken */
  private scheduleProcess(c: Ctr, p: AppProcess, startup: number): void {
    this.kubelet.eviction.poke();
    const m = p.model;
    const src = `${this.kubelet.name}/app`;
    if (m.exitAfter !== undefined) {
      c.timers.push(this.sim.schedule(drawLatency(this.kubelet.rng, m.exitAfter), src, () => this.onExit(c, m.exitCode, m.exitCode === 0 ? 'Completed' : 'Error')));
    }
    const limit = memoryLimit(c.spec);
    if (m.memory && limit !== undefined) {
      const at = memoryExceedsAt(m.memory, limit);
      if (at !== undefined) c.timers.push(this.sim.schedule(at, src, () => this.onExit(c, EXIT_SIGKILL, 'OOMKilled')));
    }
    // containers of a pod share one network namespace: binding a port another holds fails
    const ports = declaredPorts(c.spec);
    if (ports.length) {
      const bind = () => {
        for (const o of this.all) {
          if (o === c || !o.process?.bound) continue;
          if (declaredPorts(o.spec).some((x) => ports.includes(x))) {
            // like nginx: "bind() to 0.0.0.0:80 failed (98: Address already in use)", exit 1
            p.portConflict = true;
            this.onExit(c, 1, 'Error');
            return;
          }
        }
        p.bound = true;
      };
      // an app that listens at once fails to bind before anyone sees it running
      if (startup === 0) bind();
      else c.timers.push(this.sim.schedule(startup, src, bind));
    }
  }

  /** the container's process ended (by itself, SIGTERM, SIGKILL or the OOM killer) */
  private onExit(c: Ctr, exitCode: number, reason: string): void {
    const p = c.process;
    if (!p) return;
    clearTimers(c.timers);
    clearTimers(c.killTimers);
    c.process = undefined;
    if (p.model.memory && --this.memoryProcesses === 0) this.kubelet.memoryWorkers.delete(this);
    c.cancelHook?.();
    c.cancelHook = undefined;
    const wasBlocking = c.hookBlocking;
    c.hookBlocking = false;
    if (c.state.kind === 'terminated') c.last = c.state;
    c.state = { kind: 'terminated', exitCode, reason, startedAt: p.startedAt, finishedAt: this.now };
    c.prevFinishedAt = c.finishedAt;
    c.finishedAt = this.now;
    const wasKilling = c.busy === 'killing';
    const restart = c.restartAfterKill;
    c.restartAfterKill = undefined;
    if (wasKilling) c.busy = undefined;
    if (wasBlocking && this.starting === c) this.startDone(c);
    // sidecars waiting for their turn to get SIGTERM may go now
    for (const o of this.all) o.turnWait?.();
    this.kubelet.eviction.poke();
    if (this.terminating) {
      this.syncStatus();
      this.maybeFinishTermination();
      return;
    }
    if (restart) this.requestStart(c, { since: c.prevFinishedAt });
    this.sync();
  }

  // ---- killing -------------------------------------------------------------------------------

  /** setTerminationGracePeriod (kuberuntime_container.go) */
  private graceFor(c: Ctr, probe?: 'liveness' | 'startup'): number {
    const dgp = this.pod.metadata.deletionGracePeriodSeconds;
    if (dgp !== undefined && dgp !== null) return dgp;
    const pt = probe ? c.probes[probe]?.spec.terminationGracePeriodSeconds : undefined;
    if (pt !== undefined && pt !== null) return pt;
    return this.pod.spec?.terminationGracePeriodSeconds ?? 30;
  }

  /**
   * killContainer: Killing event, preStop (bounded by the grace period, which it consumes), the
   * sidecar ordering wait during pod termination, then SIGTERM with at least 2 s before SIGKILL.
   */
  private killContainer(c: Ctr, graceSeconds: number, message: string, restart: boolean, ordering = false): void {
    if (!c.process || c.busy === 'killing') return;
    c.busy = 'killing';
    c.restartAfterKill = restart;
    this.event('Normal', 'Killing', message);
    let gp = graceSeconds;
    const p = c.process;
    const src = `${this.kubelet.name}/kill`;
    const sigterm = () => {
      if (c.process !== p) return;
      gp = Math.max(gp, MINIMUM_GRACE_PERIOD_SECONDS);
      const shutdown = drawLatency(this.kubelet.rng, p.model.shutdown);
      if (!p.model.ignoreSigterm && !p.ignoresSigterm && shutdown < gp * 1000) {
        c.killTimers.push(this.sim.schedule(shutdown, `${this.kubelet.name}/app`, () => this.onExit(c, 0, 'Completed')));
      }
      c.killTimers.push(this.sim.schedule(gp * 1000, `${this.kubelet.name}/sigkill`, () => this.onExit(c, EXIT_SIGKILL, 'Error')));
    };
    const afterPreStop = () => {
      if (c.process !== p) return;
      if (!(ordering && c.role === 'sidecar' && gp > 0)) return sigterm();
      // kuberuntime_termination_order.go: a sidecar waits for every regular container and every
      // sidecar declared after it, bounded by the remaining grace
      const t0 = this.now;
      let bound: Timer | undefined;
      const proceed = () => {
        if (c.turnWait !== check) return;
        c.turnWait = undefined;
        bound?.cancel();
        gp -= Math.floor((this.now - t0) / 1000);
        sigterm();
      };
      const check = () => {
        const later = this.inits.slice(this.inits.indexOf(c) + 1).filter((x) => x.role === 'sidecar');
        if ([...this.regular, ...later].every((x) => !x.process)) proceed();
      };
      c.turnWait = check;
      bound = this.sim.schedule(gp * 1000, src, proceed);
      c.killTimers.push(bound);
      check();
    };
    const preStop = c.spec.lifecycle?.preStop;
    if (preStop && gp > 0) {
      const t0 = this.now;
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        if (!ok) this.event('Warning', 'FailedPreStopHook', 'PreStopHook failed');
        gp -= Math.floor((this.now - t0) / 1000);
        afterPreStop();
      };
      const h = runHook(preStop, this.hookEnv(c), (r) => settle(r.ok));
      // a hook that overruns the grace period keeps running; the kill proceeds without it
      if (!settled) {
        const deadline = this.sim.schedule(gp * 1000, src, () => settle(true));
        c.killTimers.push(deadline, { cancel: () => h.cancel() });
      }
    } else afterPreStop();
  }

  // ---- termination (pod deletion) ------------------------------------------------------------

  /** killPod: every container in parallel, sharing the grace period */
  terminate(pod: KubeObject): void {
    this.pod = pod;
    if (this.terminating) {
      // an evicted pod deleted later: its containers are gone, so the kubelet removes it now
      if (this.evicted && this.done) this.finalDelete();
      return; // the grace period of a pod already being killed does not restart
    }
    this.killPod(Math.max(pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30, 1));
  }

  /** Is this pod a candidate for node-pressure eviction (running, not already stopping)? */
  get evictable(): boolean {
    return !this.terminating && !this.done && !this.terminal;
  }

  /** the pod as the kubelet last saw or wrote it */
  get podObject(): KubeObject {
    return this.pod;
  }

  /** Working-set memory (bytes) of each running container now, from its app model. */
  memoryUsage(): { name: string; usage: number }[] {
    const out: { name: string; usage: number }[] = [];
    for (const c of this.all) {
      const p = c.process;
      if (!p) continue;
      out.push({ name: c.name, usage: p.model.memory ? memoryAt(p.model.memory, this.now - p.startedAt) : 0 });
    }
    return out;
  }

  /** The bytes of each disk-backed emptyDir (what the volume stats calculator measures). */
  emptyDirUsage(): Map<string, number> {
    const out = new Map<string, number>();
    for (const v of this.pod.spec?.volumes ?? []) {
      const sv = this.volumes.get(v.name);
      if (v.emptyDir && sv && !this.memoryVolumes.has(sv)) out.set(v.name, volumeBytes(sv));
    }
    return out;
  }

  /** The writable layer of each running container (bytes written outside its mounts). */
  writableLayerUsage(): { name: string; used: number }[] {
    const out: { name: string; used: number }[] = [];
    // a file system not built yet has had no write (0 bytes, as writableLayerBytes of a new one)
    for (const c of this.all) if (c.process) out.push({ name: c.name, used: writableLayerBytes(c.fs) });
    return out;
  }

  /** podResourcesAreReclaimed, as the eviction manager's cleanup wait asks it: every container has stopped */
  get cleanedUp(): boolean {
    return this.done || this.all.every((c) => !c.process);
  }

  /** whether memoryModels() has anything to return (the eviction manager's re-plan skips the others) */
  get hasMemoryModels(): boolean {
    return this.memoryProcesses > 0;
  }

  /** The memory models of the running processes, with their start instants (for the crossing time). */
  memoryModels(): { model: MemoryModel; startedAt: number }[] {
    const out: { model: MemoryModel; startedAt: number }[] = [];
    for (const c of this.all) if (c.process?.model.memory) out.push({ model: c.process.model.memory, startedAt: c.process.startedAt });
    return out;
  }

  /**
   * eviction_manager.go evictPod → killPodFunc: the status (phase Failed, reason Evicted, the
   * DisruptionTarget condition) is set first, then every container is killed with the override
   * grace period. The pod object stays (Failed) until someone deletes it.
   */
  evict(message: string, graceSeconds: number, disruptionCondition = true): void {
    if (!this.evictable) return;
    this.evicted = true;
    this.event('Warning', 'Evicted', message);
    this.syncStatus((s) => {
      s.phase = 'Failed';
      s.reason = 'Evicted';
      s.message = message;
      // the local-storage evictions pass no condition (eviction_manager.go emptyDirLimitEviction & co.)
      if (disruptionCondition) setCond(s, 'DisruptionTarget', 'True', this.now, 'TerminationByKubelet', message);
    });
    this.killPod(graceSeconds);
  }

  private killPod(grace: number): void {
    this.terminating = true;
    // StopLivenessAndStartup: readiness keeps probing during graceful termination
    for (const c of this.all) {
      c.probes.liveness?.stop();
      c.probes.startup?.stop();
    }
    for (const c of this.startQueue.splice(0)) c.busy = undefined;
    if (this.starting && !this.starting.process) {
      this.starting.busy = undefined;
      this.starting = undefined;
    }
    for (const c of this.all) {
      c.retry?.cancel();
      if (c.busy === 'backoff' || c.busy === 'retry' || c.busy === 'queued') c.busy = undefined;
      if (!c.process && c.state.kind === 'waiting') {
        c.state = c.last ?? { kind: 'terminated', exitCode: 0, reason: 'Completed', startedAt: this.now, finishedAt: this.now };
      }
    }
    for (const c of this.all) {
      if (!c.process) continue;
      if (c.busy === 'killing') {
        // already being killed (a liveness failure): it will not be restarted
        c.restartAfterKill = false;
        continue;
      }
      this.killContainer(c, grace, `Stopping container ${c.name}`, false, true);
    }
    this.syncStatus();
    this.maybeFinishTermination();
  }

  private maybeFinishTermination(): void {
    if (this.done || this.all.some((c) => c.process)) return;
    this.done = true;
    for (const c of this.all) for (const w of Object.values(c.probes)) w!.stop();
    this.syncStatus();
    if (!this.evicted || this.pod.metadata.deletionTimestamp) this.finalDelete();
  }

  /** the status manager's final delete: grace 0, with a UID precondition (held while the node is down) */
  private finalDelete(): void {
    if (!this.kubelet.reporting) return;
    const api = this.kubelet.cluster.api;
    try {
      api.delete('Pod', this.pod.metadata.namespace, this.pod.metadata.name!, { gracePeriodSeconds: 0, preconditionUid: this.pod.metadata.uid });
    } catch {
      // already gone, or replaced by a pod of the same name: nothing to delete
    }
  }

  /** The node reports again: publish the current status, and the final delete held back meanwhile. */
  relisted(): void {
    this.syncStatus();
    if (this.done && (!this.evicted || this.pod.metadata.deletionTimestamp)) this.finalDelete();
  }

  /** the pod object was removed from the API: stop everything */
  forget(): void {
    this.done = true;
    this.volumeRetry?.cancel();
    this.volumeRefresh?.cancel();
    for (const c of this.all) {
      clearTimers(c.timers);
      clearTimers(c.killTimers);
      c.retry?.cancel();
      c.cancelHook?.();
      for (const w of Object.values(c.probes)) w!.stop();
    }
  }

  // ---- probes, hooks, exec -------------------------------------------------------------------

  private httpTarget(c: Ctr): HttpTarget {
    return { process: c.process, podIP: this.kubelet.podIP(this.ipIndex), container: c.spec, now: this.now, rng: this.kubelet.rng };
  }

  private hookEnv(c: Ctr) {
    return {
      sim: this.sim,
      source: `${this.kubelet.name}/hook`,
      http: () => this.httpTarget(c),
      exec: (command: string[], done: (code: number, output: string) => void) => {
        const fs = c.process && fsOf(c);
        if (!c.process || !fs) {
          done(126, 'container not running');
          return { cancel() {} };
        }
        return runInContainer(this.sim, `${this.kubelet.name}/hook`, command, { fs, env: c.process.env, startedAt: this.now, network: this.net() }, undefined, (r) => done(r.exitCode, r.stdout + r.stderr));
      },
    };
  }

  private probeSubject(c: Ctr) {
    return {
      containerId: () => (c.instances > 0 ? this.containerID(c) : undefined),
      reportedState: () => c.state.kind,
      startedAt: () => (c.state.kind === 'running' ? c.state.startedAt : this.now),
      started: () => this.isStarted(c),
      podDeleting: () => !!this.pod.metadata.deletionTimestamp || this.terminating,
      podTerminal: () => this.terminal || this.done,
      restartPolicy: () => (c.role === 'sidecar' ? 'Always' : this.restartPolicy),
      forcedFailure: (type: ProbeType) => (c.forced[type] ?? -1) > this.now,
      run: (spec: ProbeSpec, done: (o: HandlerOutcome) => void) => this.runProbe(c, spec, done),
      onResult: (type: ProbeType) => {
        // the results managers' updates make the kubelet sync the pod (syncLoopIteration)
        if (type === 'readiness') this.syncStatus();
        else this.sync();
      },
      event: (type: 'Normal' | 'Warning', reason: string, message: string) => this.event(type, reason, message),
    };
  }

  private runProbe(c: Ctr, spec: ProbeSpec, done: (o: HandlerOutcome) => void): void {
    const h = spec.handler;
    const t = this.httpTarget(c);
    if (h.httpGet) return done(httpProbe(h.httpGet, t, spec.timeoutSeconds));
    if (h.tcpSocket) return done(tcpProbe(h.tcpSocket, t));
    if (h.grpc) return done(grpcProbe(h.grpc, t, spec.timeoutSeconds));
    if (h.exec) {
      const fs = c.process && fsOf(c);
      if (!c.process || !fs) return done({ result: 'failure', output: 'container not running' });
      const command: string[] = h.exec.command ?? [];
      runInContainer(this.sim, `${this.kubelet.name}/prober`, command, { fs, env: c.process.env, startedAt: this.now, network: this.net() }, spec.timeoutSeconds * 1000, (r) => {
        // pkg/probe/exec/exec.go: exit 0 success; the combined output is the message
        if (r.timedOut) return done({ result: 'failure', output: `command "${command.join(' ')}" timed out` });
        done({ result: r.exitCode === 0 ? 'success' : 'failure', output: r.stdout + r.stderr });
      });
      return;
    }
    done({ result: 'failure', output: 'missing probe handler' });
  }

  private containerID(c: Ctr): string {
    return `containerd://${this.pod.metadata.uid}-${c.name}-${c.instances}`;
  }

  /** the container an `exec:` step or a fault names; the first container by default */
  findContainer(name?: string): Ctr | undefined {
    if (name === undefined) return this.regular[0];
    return this.all.find((c) => c.name === name);
  }

  containerNames(): string[] {
    return this.all.map((c) => c.name);
  }

  /** `exec:` steps and kubectl exec: run a command in a running container */
  exec(containerName: string | undefined, command: string | string[], done: (r: ExecResult) => void): string | undefined {
    const c = this.findContainer(containerName);
    if (!c) return `container ${containerName} is not valid for pod ${this.pod.metadata.name}`;
    const fs = c.process && fsOf(c);
    if (!c.process || !fs) return `unable to upgrade connection: container not found ("${c.name}")`;
    runInContainer(this.sim, `${this.kubelet.name}/exec`, command, { fs, env: c.process.env, startedAt: this.now, network: this.net() }, undefined, done);
    return undefined;
  }

  /** `fault:` steps (src/kubelet/faults.ts) */
  fault(kind: string, containerName: string | undefined, opts: { untilMs?: number; exitCode?: number; startup?: LatencyRange }): string | undefined {
    const c = this.findContainer(containerName);
    if (!c) return `container ${containerName} is not valid for pod ${this.pod.metadata.name}`;
    switch (kind) {
      case 'readinessFails':
      case 'livenessFails':
      case 'startupFails': {
        const type = kind.replace('Fails', '') as ProbeType;
        if (!c.probes[type]) return `container ${c.name} of pod ${this.pod.metadata.name} has no ${type} probe`;
        c.forced[type] = opts.untilMs ?? Infinity;
        return undefined;
      }
      case 'crash':
        if (!c.process) return `container ${c.name} of pod ${this.pod.metadata.name} is not running`;
        this.onExit(c, opts.exitCode ?? 1, (opts.exitCode ?? 1) === 0 ? 'Completed' : 'Error');
        return undefined;
      case 'oom':
        if (!c.process) return `container ${c.name} of pod ${this.pod.metadata.name} is not running`;
        this.onExit(c, EXIT_SIGKILL, 'OOMKilled');
        return undefined;
      case 'slowStart':
        c.nextStartup = opts.startup;
        return undefined;
    }
    return `unknown fault ${kind}`;
  }

  // ---- status --------------------------------------------------------------------------------

  private apiStatus(c: Ctr): any {
    const st = c.state;
    const ready = this.isReady(c);
    const started = c.role === 'init' ? st.kind === 'running' : this.isStarted(c);
    const k = c.apiCache;
    if (k && k.state === st && k.last === c.last && k.instances === c.instances && k.restartCount === c.restartCount && k.ready === ready && k.started === started) return k.out;
    const out = this.buildApiStatus(c, ready, started);
    c.apiCache = { state: st, last: c.last, instances: c.instances, restartCount: c.restartCount, ready, started, out };
    return out;
  }

  /** the container's v1.ContainerStatus (apiStatus answers it, remembered while its inputs stay) */
  private buildApiStatus(c: Ctr, ready: boolean, started: boolean): any {
    const st = c.state;
    // Built member by member, in the order the API shows them: a conditional spread in the middle
    // of a literal (`...(x ? { k } : {})`) makes V8 build the rest of it ~10x slower.
    const term = (t: Extract<ContainerRuntimeState, { kind: 'terminated' }>) => {
      const terminated: any = { exitCode: t.exitCode, reason: t.reason };
      if (t.message) terminated.message = t.message;
      terminated.startedAt = timestamp(t.startedAt);
      terminated.finishedAt = timestamp(t.finishedAt);
      terminated.containerID = this.containerID(c);
      return { terminated };
    };
    const state: any =
      st.kind === 'running'
        ? { running: { startedAt: timestamp(st.startedAt) } }
        : st.kind === 'terminated'
          ? term(st)
          : { waiting: st.message ? { reason: st.reason, message: st.message } : { reason: st.reason } };
    const out: any = { name: c.name, image: c.image, imageID: '' };
    if (c.instances > 0) out.containerID = this.containerID(c);
    out.state = state;
    out.lastState = c.last ? term(c.last) : {};
    out.ready = ready;
    out.restartCount = c.restartCount;
    out.started = started;
    return out;
  }

  private syncStatus(extra?: (s: any) => void): void {
    const now = this.now;
    const updated = this.kubelet.writeStatus(this.pod, (s) => {
      extra?.(s);
      const spec = this.pod.spec ?? {};
      const initStatuses = this.inits.map((c) => this.apiStatus(c));
      const statuses = this.regular.map((c) => this.apiStatus(c));
      const all: ApiContainerStatus[] = initStatuses.length ? initStatuses.concat(statuses) : statuses;
      let phase = getPhase(spec, all, this.done);
      // a terminal phase is sticky
      if (s.phase === 'Succeeded' || s.phase === 'Failed') phase = s.phase;
      s.phase = phase;
      if (initStatuses.length) s.initContainerStatuses = initStatuses;
      s.containerStatuses = statuses;
      const cr = containersReadyCondition(spec, all, phase);
      const ready = podReadyCondition(spec, s.conditions ?? [], cr);
      const init = initializedCondition(spec, all, phase);
      setCond(s, 'PodReadyToStartContainers', this.done || this.terminal ? 'False' : 'True', now);
      setCond(s, 'Initialized', init.status, now, init.reason, init.message);
      setCond(s, 'Ready', ready.status, now, ready.reason, ready.message);
      setCond(s, 'ContainersReady', cr.status, now, cr.reason, cr.message);
      setCond(s, 'PodScheduled', 'True', now);
      s.conditions = orderConditions(s.conditions);
    });
    if (updated) this.pod = updated;
    if (!this.terminal && !this.terminating && (this.pod.status?.phase === 'Succeeded' || this.pod.status?.phase === 'Failed')) {
      this.terminal = true;
      for (const c of this.all) for (const w of Object.values(c.probes)) w!.stop();
    }
  }
}

const notMounted = (v: ApiVolume): boolean => !v.mounted;

/**
 * A running container's process. Its environment record is built when first read (a class, not
 * an object literal with a getter: V8 builds such a literal on a slow path, ~1 us each).
 */
class ContainerProcess implements AppProcess {
  served = 0;
  declare portConflict?: boolean;
  declare bound?: boolean;
  declare ignoresSigterm?: boolean;

  constructor(
    readonly model: AppModel,
    readonly startedAt: number,
    readonly listenAt: number,
    private readonly envOf: () => Record<string, string>,
  ) {}

  get env(): Record<string, string> {
    return this.envOf();
  }
}

/** a container's file system, built now if nothing had read it yet */
function fsOf(c: Ctr): VirtualFileSystem | undefined {
  if (c.fsPending) {
    c.fs = c.fsPending();
    c.fsPending = undefined;
  }
  return c.fs;
}

/** one memo of the service variables per API server: every kubelet of the cluster reads the same services */
const serviceEnvCaches = new WeakMap<object, ServiceEnvCache>();
function serviceEnvCacheOf(api: object): ServiceEnvCache {
  let c = serviceEnvCaches.get(api);
  if (!c) serviceEnvCaches.set(api, (c = new ServiceEnvCache()));
  return c;
}

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|ash|bash|dash)$/;

/**
 * The container's command and args when they name a shell or a command of the exec interpreter
 * (`sh -c "until [ -f /work/go ]; do sleep 2; done"`, `sleep 3600`): the process runs it. Any
 * other program is the image's own, and its app model says what it does.
 */
function scriptArgv(spec: any): string[] | undefined {
  const argv: string[] = [...(spec.command ?? []), ...(spec.args ?? [])].map(String);
  if (!spec.command?.length || argv.length === 0) return undefined;
  const prog = argv[0].replace(/^\/(?:usr\/)?(?:s?bin)\//, '');
  return SHELLS.test(argv[0]) || prog === 'sleep' || Object.hasOwn(COMMANDS, prog) ? argv : undefined;
}

/** memory limit in bytes, if the container has one */
function memoryLimit(spec: any): number | undefined {
  const v = spec.resources?.limits?.memory;
  if (v === undefined) return undefined;
  try {
    return Number(toValue(parseQuantity(v)));
  } catch {
    return undefined;
  }
}

function declaredPorts(spec: any): number[] {
  return (spec.ports ?? []).filter((p: any) => (p.protocol ?? 'TCP') === 'TCP').map((p: any) => p.containerPort);
}

const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
/** the kubelet's conditions in CONDITION_ORDER (the first of each type), then every other condition in list order */
export function orderConditions(list: any[]): any[] {
  // already in that order (every sync after the first: the kubelet wrote them so): the list itself
  if (inConditionOrder(list)) return list;
  const known: any[] = new Array(CONDITION_ORDER.length);
  const rest: any[] = [];
  for (const c of list) {
    const i = CONDITION_ORDER.indexOf(c.type);
    if (i < 0) rest.push(c);
    else if (known[i] === undefined) known[i] = c;
  }
  const out: any[] = [];
  for (const c of known) if (c) out.push(c);
  for (const c of rest) out.push(c);
  return out;
}

const CONDITION_RANK = new Map(CONDITION_ORDER.map((t, i) => [t, i]));

/** orderConditions would give the same list: kubelet conditions by strictly rising rank, then only others */
function inConditionOrder(list: any[]): boolean {
  let last = -1;
  let others = false;
  for (const c of list) {
    const r = CONDITION_RANK.get(c.type);
    if (r === undefined) others = true;
    else if (others || r <= last) return false;
    else last = r;
  }
  return true;
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

function clearTimers(list: Timer[]): void {
  for (const t of list) t.cancel();
  list.length = 0;
}

function formatSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}


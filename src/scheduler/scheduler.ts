// kube-scheduler's default profile, reduced to the plugins the simulator models so far
// (pkg/scheduler/framework/plugins/*): filters NodeUnschedulable, NodeName, NodeAffinity
// (nodeSelector and required node affinity), TaintToleration, NodePorts, NodeResourcesFit,
// VolumeBinding (PreFilter, Filter, PreBind: volumebinding.ts), PodTopologySpread
// (topologyspread.ts) and InterPodAffinity (interpodaffinity.ts), the last two from per-cycle
// PreFilter state; scores NodeResourcesFit (LeastAllocated, weight 1),
// NodeResourcesBalancedAllocation (1), TaintToleration (3), NodeAffinity preferred terms (2),
// PodTopologySpread (2), InterPodAffinity (2) and ImageLocality (1: imagelocality.ts). selectHost
// breaks ties among the best scores at random, as upstream does, from the run's seeded stream.
// The queue pops by PrioritySort (prioritysort.ts); an unschedulable pod runs DefaultPreemption
// (PostFilter: preemption.ts), and nominated pods keep their room on their node.

import type { Cluster, Component } from '../engine/cluster.js';
import { Informer } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import type { WatchEvent } from '../api/server.js';
import { objectKey } from '../api/store.js';
import { ApiError } from '../api/errors.js';
import { timestamp } from '../api/time.js';
import { parseQuantity, toMilli, toValue } from '../api/quantity.js';
import { nodeSelectorTermsMatch, tolerationsTolerateTaint } from './helpers.js';
import { ERR_NODE_PORTS, HostPortInfo, fitsPorts, type HostPort } from './nodeports.js';
import { podFacts, type Requests } from './podfacts.js';
import type { Rng } from '../engine/rng.js';
import { claimsBound, volumeBindingFilter, volumeBindingPreBind, volumeBindingPreFilter, type PodClaims } from './volumebinding.js';
import { podTopologySpreadScores, topologySpreadFilter, topologySpreadPreFilter, topologySpreadResolvable, topologySpreadWithPods, type SpreadFilterState } from './topologyspread.js';
import { hasPodAffinity, interPodAffinityFilter, interPodAffinityPreFilter, interPodAffinityResolvable, interPodAffinityScores, interPodAffinityWithPods, type InterPodAffinityState, type NamespaceLabels, type SnapshotNode } from './interpodaffinity.js';

import { SchedulingQueue } from './prioritysort.js';
import { Nominator, preempt, runFiltersWithNominatedPods, type PreemptResult, type PreemptionNodeInfo } from './preemption.js';
import { minorAtLeast } from '../controllers/job/util.js';
import { ImageStates, onlyImagesChanged } from './imagelocality.js';
import { PodIndex } from './podindex.js';

export const DEFAULT_SCHEDULER = 'default-scheduler';
/** minFeasibleNodesToFind (schedule_one.go) */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** podInitialBackoff / podMaxBackoff */
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration */
const MAX_UNSCHEDULABLE_MS = 5 * 60 * 1000;

export class Scheduler implements Component {
  readonly name = DEFAULT_SCHEDULER;
  private readonly queue: SchedulingQueue;
  private readonly rng: Rng;
  /** pods that failed to fit, waiting for a cluster change: key -> attempts */
  private readonly unschedulable = new Map<string, number>();
  /**
   * The scheduler cache (pkg/scheduler/backend/cache): per node, the pods counted on it and the
   * sum of their requests, kept up to date from bindings (assumed pods) and pod events, so a
   * scheduling decision costs O(nodes), not O(pods).
   */
  private readonly nodeInfos = new Map<string, NodeInfo>();
  /** pod key -> the node its requests are counted on */
  private readonly podNode = new Map<string, string>();

  constructor(private readonly cluster: Cluster) {
    const t = cluster.timing;
    this.rng = cluster.rng('scheduler/selectHost');
    // PrioritySort: activeQ pops the highest spec.priority first (prioritysort.ts)
    this.queue = new SchedulingQueue(cluster.sim, 'scheduler', t.schedulerLatency, cluster.rng('scheduler/queue'), (key) => cluster.api.store.getByKey(key)?.spec?.priority ?? 0, (key) => this.scheduleOne(key));
    new Informer(cluster.sim, cluster.api, 'scheduler', ['Pod', 'Node', 'PersistentVolumeClaim'], t.watchLatency, cluster.rng('scheduler/informer'), (ev) => this.onEvent(ev));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'PersistentVolumeClaim') {
      // a claim appearing or becoming bound may unblock PreFilter, or a pod waiting in PreBind
      if (ev.type !== 'DELETED') {
        this.retryUnschedulable();
        this.completeVolumeBinds();
      }
      return;
    }
    if (o.kind === 'Pod') {
      const key = objectKey('Pod', o.metadata.namespace, o.metadata.name!);
      this.nominator.observe(key, ev.type === 'DELETED' ? undefined : o);
      if (ev.type === 'DELETED' || !countsOnNode(o)) {
        this.forgetPod(key);
        this.waitingVolumes.delete(key);
      }
      else if (o.spec?.nodeName) this.assumePod(key, o, o.spec.nodeName);
      if (ev.type === 'DELETED' || o.spec?.nodeName) {
        this.unschedulable.delete(key);
        // freed resources may let waiting pods fit (a pod leaving a node is a cluster event)
        // (a pod that has just finished leaves the cache the same way)
        if ((ev.type === 'DELETED' && ev.old?.spec?.nodeName) || (ev.old && countsOnNode(ev.old) && !countsOnNode(o))) this.retryUnschedulable();
        // an assigned pod appearing or relabelled may satisfy a waiting pod's pod affinity or
        // topology spreading (InterPodAffinity / PodTopologySpread register AssignedPodAdd/Update)
        else if (o.spec?.nodeName && (!ev.old?.spec?.nodeName || !sameLabels(ev.old, o))) this.retryUnschedulable(waitsOnPods);
        return;
      }
      if (this.responsibleFor(o) && !o.metadata.deletionTimestamp && !this.unschedulable.has(key)) this.queue.add(key);
      return;
    }
    // Node added or changed (labels, taints, unschedulable, allocatable)
    this.snapshotCache = this.snapshotNodeCache = undefined;
    if (ev.type === 'DELETED') {
      // its pods no longer count towards the affinity tally
      this.affinityTally.pods -= this.nodeInfos.get(o.metadata.name!)?.affinityPods.size ?? 0;
      this.nodeInfos.get(o.metadata.name!)?.detach();
      this.nodeInfos.delete(o.metadata.name!);
      this.imageStates.removeNode(o.metadata.name!);
      this.sortedNodeNames = undefined;
      return;
    }
    if (ev.type === 'ADDED') this.sortedNodeNames = undefined;
    const info = this.nodeInfo(o);
    info.node = o;
    info.setAllocatable(o);
    this.imageStates.setNode(o);
    // a change of status.images alone is no scheduling event (ImageLocality only scores)
    if (ev.type === 'MODIFIED' && ev.old && onlyImagesChanged(ev.old, o)) return;
    this.retryUnschedulable();
  }

  /** node names in a stable order (the snapshot's node list), rebuilt only when nodes come or go */
  private nodeNames(): string[] {
    if (!this.sortedNodeNames) {
      const nodes = [...this.cluster.api.store.iterate('Node')];
      for (const n of nodes) this.nodeInfo(n).node = n;
      this.sortedNodeNames = nodes.map((n) => n.metadata.name!).sort();
      this.snapshotNames = new Set(this.sortedNodeNames);
    }
    return this.sortedNodeNames;
  }
  private sortedNodeNames: string[] | undefined;
  private snapshotNames = new Set<string>();
  /**
   * The cached pods by namespace and label pair (podindex.ts), for the per-cycle spreading and
   * affinity states; a pod counts while its NodeInfo is the cache's entry for a snapshot node.
   */
  private readonly podIndex: PodIndex<NodeInfo> = new PodIndex((info) => {
    const name = info.node?.metadata.name;
    return name !== undefined && this.nodeInfos.get(name) === info && this.snapshotNames.has(name) ? info.node : undefined;
  });
  private nextStartNodeIndex = 0;

  private nodeInfo(node: KubeObject): NodeInfo {
    let info = this.nodeInfos.get(node.metadata.name!);
    if (!info) {
      info = new NodeInfo(this.affinityTally, this.podIndex);
      info.setAllocatable(node);
      this.nodeInfos.set(node.metadata.name!, info);
    }
    return info;
  }

  private assumePod(key: string, pod: KubeObject, nodeName: string): void {
    const cur = this.podNode.get(key);
    if (cur === nodeName) {
      // keep the latest object: labels matter to pod affinity and spreading
      this.nodeInfos.get(nodeName)?.replace(key, pod);
      return;
    }
    if (cur !== undefined) this.forgetPod(key);
    const node = this.cluster.api.get('Node', undefined, nodeName);
    if (!node) return;
    this.nodeInfo(node).add(key, pod);
    this.podNode.set(key, nodeName);
  }

  private forgetPod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    this.nodeInfos.get(nodeName)?.remove(key);
  }

  private responsibleFor(pod: KubeObject): boolean {
    return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER && !(pod.spec?.schedulingGates?.length);
  }

  private retryUnschedulable(only?: (pod: KubeObject) => boolean): void {
    for (const [key, attempts] of this.unschedulable) {
      if (only) {
        const p = this.cluster.api.store.getByKey(key);
        if (p && !only(p)) continue;
      }
      this.unschedulable.delete(key);
      const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
      this.queue.addAfter(key, backoff);
      this.attempts.set(key, attempts);
    }
  }
  private readonly attempts = new Map<string, number>();

  private scheduleOne(key: string): void {
    const api = this.cluster.api;
    const pod = api.store.getByKey(key);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp || !this.responsibleFor(pod)) {
      this.attempts.delete(key);
      return;
    }
    // already assumed on a node, waiting in PreBind for its volumes
    if (this.waitingVolumes.has(key)) return;
    // findNodesThatFitPod: from nextStartNodeIndex round the node list, stopping once
    // numFeasibleNodesToFind nodes fit (every node is checked below 100 nodes)
    const names = this.nodeNames();
    const total = names.length;
    // VolumeBinding PreFilter: a rejection applies to every node, and only its message is shown
    const claims = volumeBindingPreFilter(api, pod);
    if ('message' in claims) {
      this.fail(pod, key, total, new Map(), [], claims.message);
      return;
    }
    // PodTopologySpread and InterPodAffinity PreFilter: per-cycle counts per topology pair
    const cycle = this.preFilter(pod);
    // evaluateNominatedNode: a pod nominated by an earlier preemption tries that node first
    const nominated = pod.status?.nominatedNodeName ? this.nodeInfos.get(pod.status.nominatedNodeName)?.node : undefined;
    if (nominated && this.filterWithNominated(pod, nominated, claims, cycle).length === 0) {
      this.attempts.delete(key);
      if (claims.delayed.length > 0) this.preBindVolumes(key, pod, nominated.metadata.name!, claims);
      else this.bind(key, pod, nominated.metadata.name!);
      return;
    }
    const want = numFeasibleNodesToFind(total);
    const reasons = new Map<string, number>();
    const feasible: KubeObject[] = [];
    let processed = 0;
    /** nodes whose filter status is Unschedulable, not ...AndUnresolvable: DefaultPreemption's candidates */
    const potential: string[] = [];
    for (let i = 0; i < total && feasible.length < want; i++) {
      const info = this.nodeInfos.get(names[(this.nextStartNodeIndex + i) % total]);
      const node = info?.node;
      processed++;
      if (!node) continue;
      const why = this.filterWithNominated(pod, node, claims, cycle, info);
      if (why.length === 0) feasible.push(node);
      else {
        for (const r of why) reasons.set(r, (reasons.get(r) ?? 0) + 1);
        if (why.every(isResolvable)) potential.push(node.metadata.name!);
      }
    }
    if (total > 0) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % total;
    if (feasible.length === 0) {
      this.fail(pod, key, total, reasons, potential, undefined, cycle);
      return;
    }
    // exactly one feasible node is chosen without scoring (schedule_one.go)
    const chosen = feasible.length === 1 ? feasible[0] : this.selectHost(pod, feasible);
    this.attempts.delete(key);
    if (claims.delayed.length > 0) {
      this.preBindVolumes(key, pod, chosen.metadata.name!, claims);
      return;
    }
    this.bind(key, pod, chosen.metadata.name!);
  }

  /** pods whose WaitForFirstConsumer claims were given a node, waiting for them to bind: key -> node */
  private readonly waitingVolumes = new Map<string, string>();

  /**
   * VolumeBinding PreBind (binder.go BindPodVolumes): record the chosen node on each delayed
   * claim so the PV controller binds or provisions there; the pod stays assumed on the node and is
   * bound once all its claims are bound (upstream waits up to bindTimeoutSeconds, 600s).
   */
  private preBindVolumes(key: string, pod: KubeObject, nodeName: string, claims: PodClaims): void {
    const api = this.cluster.api;
    this.assumePod(key, pod, nodeName);
    this.waitingVolumes.set(key, nodeName);
    // static PVs get their claimRef, claims to provision the selected-node annotation
    const node = api.get('Node', undefined, nodeName);
    if (node) volumeBindingPreBind(api, claims, node);
    this.completeVolumeBinds();
  }

  private completeVolumeBinds(): void {
    const api = this.cluster.api;
    for (const [key, nodeName] of [...this.waitingVolumes]) {
      const pod = api.store.getByKey(key);
      if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) {
        this.waitingVolumes.delete(key);
        if (!pod?.spec?.nodeName) this.forgetPod(key);
        continue;
      }
      if (!claimsBound(api, pod)) continue;
      this.waitingVolumes.delete(key);
      this.bind(key, pod, nodeName);
    }
  }

  /** DefaultBinder: the binding subresource sets nodeName and PodScheduled=True. */
  private bind(key: string, pod: KubeObject, nodeName: string): void {
    const api = this.cluster.api;
    try {
      // the callbacks below put only fresh values into the draft: no second copy
      api.mutateOwned('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
        d.spec.nodeName = nodeName;
        setCondition(d, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(this.cluster.sim.now) });
      });
      // 1.35+ (ClearingNominatedNodeNameAfterBinding, KEP-5278): the binding clears the nomination
      if (pod.status?.nominatedNodeName && minorAtLeast(this.cluster.config.kubernetesVersion, 35)) {
        api.mutateOwned('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => void delete d.status.nominatedNodeName, 'status');
      }
      this.assumePod(key, pod, nodeName);
      api.recordEvent(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`, DEFAULT_SCHEDULER);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private fail(pod: KubeObject, key: string, total: number, reasons: Map<string, number>, potential: string[], preFilterMsg?: string, cycle?: CycleState): void {
    // FitError.Error() (framework/types.go): "0/N nodes are available:" + " <sorted histogram>."
    // + " <PostFilterMsg>." where DefaultPreemption's message already ends in "." — hence the
    // ".." real clusters print. A successful preemption leaves no PostFilter message.
    const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
    // a PreFilter rejection replaces the per-node histogram with its own message
    const reasonMsg = preFilterMsg ?? parts.join(', ');
    const post: PreemptResult = total === 0 ? { message: '' } : this.postFilter(pod, total, potential, cycle);
    const message = total === 0 ? 'no nodes available to schedule pods' : `0/${total} nodes are available: ${reasonMsg}.${post.message ? ` ${post.message}.` : ''}`;
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.unschedulable.set(key, attempts);
    this.queue.addAfter(key, MAX_UNSCHEDULABLE_MS);
    const api = this.cluster.api;
    const cond = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    // updatePod: the condition and, when PostFilter says so, status.nominatedNodeName
    const nominate = post.nominatedNodeName !== undefined && post.nominatedNodeName !== (pod.status?.nominatedNodeName ?? '');
    if (nominate || !(cond && cond.status === 'False' && cond.message === message)) {
      try {
        const updated = api.mutateOwned('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
          setCondition(d, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: timestamp(this.cluster.sim.now) });
          if (nominate) {
            if (post.nominatedNodeName) d.status.nominatedNodeName = post.nominatedNodeName;
            else delete d.status.nominatedNodeName;
          }
        }, 'status');
        this.nominator.observe(key, updated);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
    api.recordEvent(pod, 'Warning', 'FailedScheduling', message, DEFAULT_SCHEDULER);
  }

  /**
   * The scheduler cache as the snapshot the affinity and spreading plugins read: its nodes in the
   * snapshot's order, each reading its NodeInfo's current pods. Kept until a Node event (a node
   * added, changed or removed), as the cycles between read the same nodes.
   */
  private snapshot(): SnapshotNode[] {
    if (!this.snapshotCache) {
      const out: SnapshotNode[] = [];
      for (const name of this.nodeNames()) {
        const info = this.nodeInfos.get(name);
        if (info?.node) out.push({ node: info.node, pods: () => info.podObjects(), podsWithAffinity: () => info.affinityPods.values() });
      }
      this.snapshotCache = out;
    }
    return this.snapshotCache;
  }
  private snapshotCache: SnapshotNode[] | undefined;

  /** the snapshot's Node objects (same order and lifetime as snapshot()) */
  private snapshotNodes(): KubeObject[] {
    return (this.snapshotNodeCache ??= this.snapshot().map((n) => n.node));
  }
  private snapshotNodeCache: KubeObject[] | undefined;

  private readonly nsLabels: NamespaceLabels = (ns) => (ns === undefined ? undefined : this.cluster.api.get('Namespace', undefined, ns)?.metadata.labels);

  /** pods with pod affinity or anti-affinity in the cache (HavePodsWithAffinityList non-empty) */
  private readonly affinityTally = { pods: 0 };

  private preFilter(pod: KubeObject): CycleState {
    // both plugins skip at once (without a pass over the nodes) when nothing can constrain the pod
    const spreads = (pod.spec?.topologySpreadConstraints ?? []).length > 0;
    const affine = hasPodAffinity(pod) || this.affinityTally.pods > 0;
    if (!spreads && !affine) return { spread: undefined, affinity: undefined };
    const nodes = this.snapshot();
    return {
      spread: spreads ? topologySpreadPreFilter(pod, nodes, (n) => nodeAffinityMatches(pod, n), this.podIndex) : undefined,
      affinity: affine ? interPodAffinityPreFilter(pod, nodes, this.nsLabels, this.podIndex) : undefined,
    };
  }

  /** Filter plugins in the default order; the first failing plugin's reason per node. */
  /** RunFilterPluginsWithNominatedPods (preemption.ts) around the Filter plugins */
  private filterWithNominated(pod: KubeObject, node: KubeObject, claims: PodClaims, cycle: CycleState, info: NodeInfo = this.nodeInfo(node)): string[] {
    const nominated = this.nominator.podsFor(node.metadata.name!);
    if (nominated.length === 0) return this.filter(pod, node, claims, cycle, info);
    return runFiltersWithNominatedPods(pod, info, nominated, (p, i) => this.filter(p, node, claims, cycle, i as NodeInfo));
  }

  /** DefaultPreemption PostFilter (preemption.ts) over the nodes evicting pods could help */
  private postFilter(pod: KubeObject, total: number, potential: string[], cycleState?: CycleState): PreemptResult {
    const api = this.cluster.api;
    const claims = volumeBindingPreFilter(api, pod);
    if ('message' in claims) return preempt(this.preemptionContext(total, [], pod, undefined), pod);
    // the cycle's PreFilter state, as upstream's PostFilter reads the same CycleState
    const cycle = cycleState ?? this.preFilter(pod);
    return preempt(this.preemptionContext(total, potential, pod, (p, name, info) => this.filterWithNominated(p, this.nodeInfos.get(name)!.node!, claims, cycle, info)), pod);
  }

  private preemptionContext(total: number, potential: string[], pod: KubeObject, run: ((p: KubeObject, node: string, info: NodeInfo) => string[]) | undefined) {
    const nom = pod.status?.nominatedNodeName;
    const nomNode = nom ? this.nodeInfos.get(nom)?.node : undefined;
    // the nominated node's status: a failure evicting pods cannot fix (or a node that is gone)
    const nominatedNodeUnresolvable = !!nom && !potential.includes(nom);
    return {
      api: this.cluster.api,
      now: this.cluster.sim.now,
      rng: this.preemptionRng,
      schedulerName: DEFAULT_SCHEDULER,
      disruptionCondition: minorAtLeast(this.cluster.config.kubernetesVersion, 26),
      numAllNodes: total,
      potentialNodes: potential,
      nominatedNodeUnresolvable: nominatedNodeUnresolvable || (!!nom && !nomNode),
      nodeInfoCopy: (name: string) => {
        const info = this.nodeInfos.get(name);
        return info?.node ? info.clone() : undefined;
      },
      // a copy keeps its node: the filters run against that node with the copy's pods
      runFilters: (p: KubeObject, info: PreemptionNodeInfo) => (run ? run(p, (info as NodeInfo).node!.metadata.name!, info as NodeInfo) : []),
      nominator: this.nominator,
    };
  }
  private readonly nominator = new Nominator();
  private readonly imageStates = new ImageStates();
  private get preemptionRng(): Rng {
    return (this.preemptionRngStream ??= this.cluster.rng('scheduler/preemption'));
  }
  private preemptionRngStream: Rng | undefined;

  private filter(pod: KubeObject, node: KubeObject, claims: PodClaims, cycle: CycleState, info: NodeInfo = this.nodeInfo(node)): string[] {
    const spec = pod.spec ?? {};
    const facts = podFacts(pod);
    const tolerations = facts.tolerations as any[];
    if (node.spec?.unschedulable && !tolerationsTolerateTaint(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
      return ['node(s) were unschedulable'];
    }
    if (spec.nodeName && spec.nodeName !== node.metadata.name) return ["node(s) didn't match the requested node name"];
    if (!nodeAffinityMatches(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
    for (const taint of node.spec?.taints ?? []) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!tolerationsTolerateTaint(tolerations, taint)) {
        // 1.34.x and later print the plural form without the taint (PR #134740)
        return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`];
      }
    }
    const wanted = facts.hostPorts;
    if (wanted.length > 0 && !fitsPorts(wanted, info.usedPorts)) return [ERR_NODE_PORTS];
    const fit = this.fits(pod, node, info);
    if (fit.length > 0) return fit;
    const volume = volumeBindingFilter(this.cluster.api, claims, node);
    if (volume) return [volume];
    // a dry-run copy of the NodeInfo (preemption, nominated pods): AddPod/RemovePod on the
    // per-cycle states for the pods it has gained or lost
    let { spread: spreadState, affinity: affinityState } = cycle;
    const real = spreadState || affinityState ? this.nodeInfos.get(node.metadata.name!) : info;
    if (info !== real) {
      const before = new Set(real?.podObjects() ?? []), after = new Set(info.podObjects());
      const added = [...after].filter((p) => !before.has(p)), removed = [...before].filter((p) => !after.has(p));
      if (spreadState) spreadState = topologySpreadWithPods(spreadState, pod, node, added, removed, (n) => nodeAffinityMatches(pod, n));
      if (affinityState) affinityState = interPodAffinityWithPods(affinityState, node, added, removed);
    }
    const spread = spreadState && topologySpreadFilter(spreadState, pod, node);
    if (spread) return [spread];
    const affinity = affinityState && interPodAffinityFilter(affinityState, node);
    return affinity ? [affinity] : FITS;
  }

  /** NodeResourcesFit fitsRequest: every insufficient resource is reported */
  private fits(pod: KubeObject, node: KubeObject, info: NodeInfo = this.nodeInfo(node)): string[] {
    const tooMany = info.podCount + 1 > info.maxPods;
    const req = podFacts(pod).requests;
    const cpu = req.cpu > 0 && req.cpu > info.allocCpu - info.requested.cpu;
    const memory = req.memory > 0 && req.memory > info.allocMem - info.requested.memory;
    // a node that fits (most of them) allocates nothing
    if (!tooMany && !cpu && !memory) return FITS;
    const reasons: string[] = [];
    if (tooMany) reasons.push('Too many pods');
    if (cpu) reasons.push('Insufficient cpu');
    if (memory) reasons.push('Insufficient memory');
    return reasons;
  }

  private selectHost(pod: KubeObject, nodes: KubeObject[]): KubeObject {
    let best: KubeObject | undefined;
    let bestScore = -Infinity;
    let ties = 0;
    const scores = this.score(pod, nodes);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const s = scores[i];
      if (s > bestScore) {
        best = node;
        bestScore = s;
        ties = 1;
      } else if (s === bestScore) {
        // reservoir sampling over equal scores, as selectHost does with math/rand
        ties++;
        if (this.rng.int(ties) === 0) best = node;
      }
    }
    return best!;
  }

  /** Weighted sum of normalised plugin scores per node (framework RunScorePlugins). */
  private score(pod: KubeObject, nodes: KubeObject[]): number[] {
    const facts = podFacts(pod);
    const req = facts.requests;
    const nonZeroPod = facts.nonZero;
    const n = nodes.length;
    const fit: number[] = new Array(n), balanced: number[] = new Array(n), taintRaw: number[] = new Array(n), affinityRaw: number[] = new Array(n);
    // what depends on the pod alone, once per cycle instead of once per node
    const prefer = facts.preferTolerations as any[];
    const preferredTerms = facts.preferredTerms;
    let taintMax = 0, affMax = 0;
    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      const info = this.nodeInfo(node);
      const allocCpu = info.allocCpu, allocMem = info.allocMem;
      // LeastAllocated: per resource (alloc - req) * 100 / alloc (integer), then the mean over
      // the resources the node has
      const parts = (allocCpu === 0 ? 0 : 1) + (allocMem === 0 ? 0 : 1);
      const leastCpu = allocCpu === 0 ? 0 : leastAllocated(nonZeroPod.cpu + info.nonZero.cpu, allocCpu);
      const leastMem = allocMem === 0 ? 0 : leastAllocated(nonZeroPod.memory + info.nonZero.memory, allocMem);
      fit[i] = parts === 0 ? 0 : Math.floor((leastCpu + leastMem) / parts);
      // BalancedAllocation (requested, no defaults): 100 * (1 - |fcpu - fmem| / 2)
      const std = Math.abs(fraction(req.cpu + info.requested.cpu, allocCpu) - fraction(req.memory + info.requested.memory, allocMem)) / 2;
      balanced[i] = Math.floor((1 - std) * 100);
      // TaintToleration: count of intolerable PreferNoSchedule taints
      let intolerable = 0;
      for (const t of node.spec?.taints ?? []) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(prefer, t)) intolerable++;
      taintRaw[i] = intolerable;
      taintMax = Math.max(taintMax, intolerable);
      // NodeAffinity: sum of weights of matching preferred terms
      let w = 0;
      for (const term of preferredTerms) {
        if (term?.preference && nodeSelectorTermsMatch([term.preference], node)) w += term.weight ?? 0;
      }
      affinityRaw[i] = w;
      affMax = Math.max(affMax, w);
    }
    // PodTopologySpread (weight 2), the pod's ScheduleAnyway constraints or the system defaults,
    // and InterPodAffinity (weight 2); a skipped plugin contributes 0
    const spread = podTopologySpreadScores(this.cluster.api, pod, nodes, this.snapshotNodes(), this.podIndex, (n) => nodeAffinityMatches(pod, n));
    const interPod = hasPodAffinity(pod) || this.affinityTally.pods > 0 ? interPodAffinityScores(pod, nodes, this.snapshot(), this.nsLabels, undefined, this.podIndex) : undefined;
    const totalNodes = this.nodeNames().length;
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const taint = taintMax === 0 ? 100 : 100 - Math.floor((100 * taintRaw[i]) / taintMax);
      const aff = affMax === 0 ? affinityRaw[i] : Math.floor((100 * affinityRaw[i]) / affMax);
      const image = this.imageStates.scoreImages(facts.images, nodes[i].metadata.name!, totalNodes); // ImageLocality (imagelocality.ts)
      out[i] = fit[i] * 1 + balanced[i] * 1 + taint * 3 + aff * 2 + (spread ? spread[i] * 2 : 0) + (interPod ? interPod[i] * 2 : 0) + image * 1;
    }
    return out;
  }
}

/** no filter failed: one shared empty list (callers only read it) */
const FITS = Object.freeze([]) as unknown as string[];

/** LeastAllocated for one resource the node has (alloc > 0): the free share in percent, floored */
function leastAllocated(used: number, alloc: number): number {
  return used > alloc ? 0 : Math.floor(((alloc - used) * 100) / alloc);
}

/** BalancedAllocation's requested fraction of one resource, at most 1 (0 without the resource) */
function fraction(used: number, alloc: number): number {
  return alloc === 0 ? 0 : Math.min(used / alloc, 1);
}

/**
 * numFeasibleNodesToFind (schedule_one.go) with the default percentageOfNodesToScore (0):
 * every node below 100 nodes; else 50 - N/125 percent (at least 5%), and at least 100 nodes.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(50 - Math.trunc(numAllNodes / 125), 5);
  const num = Math.trunc((numAllNodes * pct) / 100);
  return num < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : num;
}

/** Filter failures preemption could resolve by evicting pods (NodeResourcesFit's, NodePorts'). */
function isResolvable(reason: string): boolean {
  return reason === 'Too many pods' || reason.startsWith('Insufficient ') || reason === ERR_NODE_PORTS || topologySpreadResolvable(reason) || interPodAffinityResolvable(reason);
}

/** Per-cycle PreFilter state of PodTopologySpread and InterPodAffinity (undefined: skipped). */
interface CycleState {
  spread: SpreadFilterState | undefined;
  affinity: InterPodAffinityState | undefined;
}

/** pods whose scheduling depends on other pods: pod affinity / anti-affinity, own spreading */
function waitsOnPods(p: KubeObject): boolean {
  return hasPodAffinity(p) || (p.spec?.topologySpreadConstraints ?? []).length > 0;
}

function sameLabels(a: KubeObject, b: KubeObject): boolean {
  const x = a.metadata.labels ?? {}, y = b.metadata.labels ?? {};
  if (x === y) return true;
  const kx = Object.keys(x);
  return kx.length === Object.keys(y).length && kx.every((k) => y[k] === x[k]);
}

function countsOnNode(p: KubeObject): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

function nodeAffinityMatches(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const nodeSelector: Record<string, string> | undefined = pod.spec?.nodeSelector;
  if (nodeSelector) for (const k of Object.keys(nodeSelector)) if (labels[k] !== nodeSelector[k]) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required?.nodeSelectorTerms) return nodeSelectorTermsMatch(required.nodeSelectorTerms, node);
  return true;
}

/** Effective pod requests in milli-units (max of init containers vs sum of containers). */
export function podRequests(pod: KubeObject): Requests {
  return podFacts(pod).requests;
}

/** NodeInfo: what the scheduler cache knows of one node. */
class NodeInfo {
  /** the latest Node object the scheduler has seen */
  node: KubeObject | undefined;
  allocCpu = 0;
  allocMem = 0;
  maxPods = 110;
  /** sums kept in place (this NodeInfo's own objects; clones get their own) */
  readonly requested = { cpu: 0, memory: 0 };
  readonly nonZero = { cpu: 0, memory: 0 };
  /** host ports held by the pods counted here (NodeInfo.UsedPorts) */
  readonly usedPorts = new HostPortInfo();
  private readonly pods = new Map<string, { pod: KubeObject; r: Requests; nz: Requests; ports: readonly HostPort[] }>();
  /** the pods here with pod affinity or anti-affinity (NodeInfo.PodsWithAffinity) */
  readonly affinityPods = new Map<string, KubeObject>();

  /** `tally` counts affinity pods over the scheduler's cache, `index` holds its pods; dry-run clones have neither */
  constructor(
    private readonly tally?: { pods: number },
    private readonly index?: PodIndex<NodeInfo>,
  ) {}

  /** the node is gone from the cache: its pods leave the index */
  detach(): void {
    for (const key of this.pods.keys()) this.index?.remove(key);
  }

  private setAffinity(key: string, pod: KubeObject | undefined): void {
    const had = this.affinityPods.has(key);
    if (pod && hasPodAffinity(pod)) this.affinityPods.set(key, pod);
    else this.affinityPods.delete(key);
    if (this.tally) this.tally.pods += (this.affinityPods.has(key) ? 1 : 0) - (had ? 1 : 0);
  }

  /** the pod objects counted here (as assumed or last seen) */
  *podObjects(): Iterable<KubeObject> {
    for (const e of this.pods.values()) yield e.pod;
  }

  get podCount(): number {
    return this.pods.size;
  }

  setAllocatable(node: KubeObject): void {
    const alloc = node.status?.allocatable ?? {};
    this.allocCpu = alloc.cpu !== undefined ? Number(toMilli(parseQuantity(alloc.cpu))) : 0;
    this.allocMem = alloc.memory !== undefined ? Number(toValue(parseQuantity(alloc.memory))) : 0;
    this.maxPods = alloc.pods !== undefined ? Number(toMilli(parseQuantity(alloc.pods)) / 1000n) : 110;
  }

  add(key: string, pod: KubeObject): void {
    if (this.pods.has(key)) return;
    const facts = podFacts(pod);
    const r = facts.requests, nz = facts.nonZero, ports = facts.hostPorts;
    this.pods.set(key, { pod, r, nz, ports });
    this.index?.add(key, pod, this);
    this.setAffinity(key, pod);
    for (const p of ports) this.usedPorts.add(p);
    this.requested.cpu += r.cpu;
    this.requested.memory += r.memory;
    this.nonZero.cpu += nz.cpu;
    this.nonZero.memory += nz.memory;
  }

  /** a private copy for a preemption dry run or the nominated pods' check (same node) */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.allocCpu = this.allocCpu;
    c.allocMem = this.allocMem;
    c.maxPods = this.maxPods;
    for (const [key, e] of this.pods) c.add(key, e.pod);
    return c;
  }

  /** the same pod, a newer object (requests and ports are unchanged) */
  replace(key: string, pod: KubeObject): void {
    const e = this.pods.get(key);
    if (!e || e.pod === pod) return;
    e.pod = pod;
    this.index?.replace(key, pod);
    this.setAffinity(key, pod);
  }

  remove(key: string): void {
    const e = this.pods.get(key);
    if (!e) return;
    this.pods.delete(key);
    this.index?.remove(key);
    this.setAffinity(key, undefined);
    for (const p of e.ports) this.usedPorts.remove(p);
    this.requested.cpu -= e.r.cpu;
    this.requested.memory -= e.r.memory;
    this.nonZero.cpu -= e.nz.cpu;
    this.nonZero.memory -= e.nz.memory;
  }
}

function setCondition(pod: KubeObject, cond: any): void {
  pod.status ??= {};
  const list: any[] = (pod.status.conditions ??= []);
  const i = list.findIndex((c) => c.type === cond.type);
  if (i >= 0) {
    if (list[i].status === cond.status) cond.lastTransitionTime = list[i].lastTransitionTime;
    list[i] = cond;
  } else list.push(cond);
}

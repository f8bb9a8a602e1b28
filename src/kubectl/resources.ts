// The resource types the simulated API server serves, as `kubectl api-resources` lists them for
// the built-in groups, and how kubectl resolves a word typed on the command line to one of them
// (k8s.io/apimachinery/pkg/api/meta/restmapper.go DefaultRESTMapper + the short-name expander in
// k8s.io/client-go/restmapper/shortcut.go): short names first, then plural/singular/Kind,
// case-insensitive, optionally qualified as `resource.group` or `resource.version.group`.

export interface ResourceInfo {
  kind: string;
  /** group/version, or just the version for the core group */
  apiVersion: string;
  /** '' for the core group */
  group: string;
  version: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
}

type Row = [kind: string, apiVersion: string, plural: string, shortNames: string[], namespaced: boolean];

// Order matters where two groups serve the same plural (events): the core group comes first, as
// kubectl's discovery priority puts the legacy group first.
const ROWS: Row[] = [
  // core/v1
  ['Binding', 'v1', 'bindings', [], true],
  ['ComponentStatus', 'v1', 'componentstatuses', ['cs'], false],
  ['ConfigMap', 'v1', 'configmaps', ['cm'], true],
  ['Endpoints', 'v1', 'endpoints', ['ep'], true],
  ['Event', 'v1', 'events', ['ev'], true],
  ['LimitRange', 'v1', 'limitranges', ['limits'], true],
  ['Namespace', 'v1', 'namespaces', ['ns'], false],
  ['Node', 'v1', 'nodes', ['no'], false],
  ['PersistentVolumeClaim', 'v1', 'persistentvolumeclaims', ['pvc'], true],
  ['PersistentVolume', 'v1', 'persistentvolumes', ['pv'], false],
  ['Pod', 'v1', 'pods', ['po'], true],
  ['PodTemplate', 'v1', 'podtemplates', [], true],
  ['ReplicationController', 'v1', 'replicationcontrollers', ['rc'], true],
  ['ResourceQuota', 'v1', 'resourcequotas', ['quota'], true],
  ['Secret', 'v1', 'secrets', [], true],
  ['ServiceAccount', 'v1', 'serviceaccounts', ['sa'], true],
  ['Service', 'v1', 'services', ['svc'], true],
  // apiextensions.k8s.io
  ['CustomResourceDefinition', 'apiextensions.k8s.io/v1', 'customresourcedefinitions', ['crd', 'crds'], false],
  // apps
  ['ControllerRevision', 'apps/v1', 'controllerrevisions', [], true],
  ['DaemonSet', 'apps/v1', 'daemonsets', ['ds'], true],
  ['Deployment', 'apps/v1', 'deployments', ['deploy'], true],
  ['ReplicaSet', 'apps/v1', 'replicasets', ['rs'], true],
  ['StatefulSet', 'apps/v1', 'statefulsets', ['sts'], true],
  // autoscaling
  ['HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers', ['hpa'], true],
  // batch
  ['CronJob', 'batch/v1', 'cronjobs', ['cj'], true],
  ['Job', 'batch/v1', 'jobs', [], true],
  // coordination
  ['Lease', 'coordination.k8s.io/v1', 'leases', [], true],
  // discovery
  ['EndpointSlice', 'discovery.k8s.io/v1', 'endpointslices', [], true],
  // events.k8s.io (the same Event objects; `events` alone resolves to core)
  ['Event', 'events.k8s.io/v1', 'events', ['ev'], true],
  // networking
  ['IngressClass', 'networking.k8s.io/v1', 'ingressclasses', [], false],
  ['Ingress', 'networking.k8s.io/v1', 'ingresses', ['ing'], true],
  ['NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies', ['netpol'], true],
  // policy
  ['PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets', ['pdb'], true],
  // rbac
  ['ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', [], false],
  ['ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', [], false],
  ['RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings', [], true],
  ['Role', 'rbac.authorization.k8s.io/v1', 'roles', [], true],
  // scheduling
  ['PriorityClass', 'scheduling.k8s.io/v1', 'priorityclasses', ['pc'], false],
  // storage
  ['CSIDriver', 'storage.k8s.io/v1', 'csidrivers', [], false],
  ['CSINode', 'storage.k8s.io/v1', 'csinodes', [], false],
  ['StorageClass', 'storage.k8s.io/v1', 'storageclasses', ['sc'], false],
  ['VolumeAttachment', 'storage.k8s.io/v1', 'volumeattachments', [], false],
];

const RESOURCES: readonly ResourceInfo[] = ROWS.map(([kind, apiVersion, plural, shortNames, namespaced]) => {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return Object.freeze({
    kind,
    apiVersion,
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    shortNames: Object.freeze([...shortNames]) as string[],
    namespaced,
  });
});

/** Every built-in resource, in discovery order. */
export function listResources(): readonly ResourceInfo[] {
  return RESOURCES;
}

function matchesName(r: ResourceInfo, w: string): boolean {
  return r.plural === w || r.singular === w || r.kind.toLowerCase() === w;
}

/**
 * Resolve a resource word as kubectl does: `po`, `pods`, `pod`, `Pod`, `deployments.apps`,
 * `deployments.v1.apps`. Undefined when the server would answer
 * `the server doesn't have a resource type "x"`.
 */
export function resolveResource(word: string, resources: readonly ResourceInfo[] = RESOURCES): ResourceInfo | undefined {
  const w = word.trim().toLowerCase();
  if (w === '') return undefined;
  // Short names win (shortcut.go expands them before the RESTMapper sees the word).
  const byShort = resources.find((r) => r.shortNames.includes(w));
  if (byShort) return byShort;
  const direct = resources.find((r) => matchesName(r, w));
  if (direct) return direct;
  // resource.group or resource.version.group (schema.ParseResourceArg)
  const dot = w.indexOf('.');
  if (dot > 0) {
    const name = w.slice(0, dot);
    const rest = w.slice(dot + 1);
    const byGroup = resources.find((r) => r.group === rest && (matchesName(r, name) || r.shortNames.includes(name)));
    if (byGroup) return byGroup;
    const dot2 = rest.indexOf('.');
    if (dot2 > 0) {
      const version = rest.slice(0, dot2);
      const group = rest.slice(dot2 + 1);
      const byGv = resources.find(
        (r) => r.group === group && r.version === version && (matchesName(r, name) || r.shortNames.includes(name)),
      );
      if (byGv) return byGv;
    }
  }
  return undefined;
}

/** The resource serving a canonical Kind (first in discovery order; `Event` is core/v1). */
export function resourceByKind(kind: string, resources: readonly ResourceInfo[] = RESOURCES): ResourceInfo | undefined {
  return resources.find((r) => r.kind === kind);
}

/** The resource for an apiVersion + kind pair, e.g. ('events.k8s.io/v1', 'Event'). */
export function resourceByGroupVersionKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.kind === kind && r.apiVersion === apiVersion);
}

/** Words a user may type for resources, for did-you-mean hints. */
export function resourceWords(resources: readonly ResourceInfo[] = RESOURCES): string[] {
  const out: string[] = [];
  for (const r of resources) {
    for (const w of [r.plural, r.singular, ...r.shortNames]) if (!out.includes(w)) out.push(w);
  }
  return out;
}

/** kubectl's wording for an unknown resource type. */
export function unknownResourceMessage(word: string): string {
  return `the server doesn't have a resource type "${word}"`;
}

// The REST handlers behind the API server's HTTPS front (src/rbac/http_api.ts), for a request
// already authenticated and authorized: get and list (with labelSelector and fieldSelector),
// create (POST), update (PUT), patch (PATCH), delete and deletecollection (DELETE), the status
// subresource and pods/eviction — as staging apiserver pkg/endpoints/handlers/{get,create,update,
// patch,delete}.go answer them: the body decoded by its Content-Type (415 for another one), the
// URL's name and namespace checked against the body's (400), the object passed through the
// simulated API server's normal write path (admission, defaulting, validation, generateName,
// finalizers, graceful deletion, garbage collection), and the answer's status code and JSON body
// as upstream writes it: 201 with the created object, 200 with the updated one, a metav1.Status
// for errors (404 NotFound, 409 AlreadyExists/Conflict, 422 Invalid with causes, 403 from
// admission) and for a delete of a type that does not return the deleted object; a collection
// delete answers the list it deleted.

import { parse as parseYaml } from 'yaml';
import type { ApiServer, DeleteOptions, PropagationPolicy } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from '../api/errors.js';
import { applyPatch, PatchError, type PatchType } from '../api/patch.js';
import { cloneObject } from '../api/clone.js';
import { timestamp } from '../api/time.js';
import { evict } from '../api/eviction.js';
import { parseSelector, SelectorError, type Selector } from '../api/labels.js';
import type { ResourceInfo } from '../kubectl/resources.js';
import { admitNodeRestriction, type AdmissionAttributes, type AdmissionRejection } from '../admission/noderestriction.js';
import type { UserInfo } from './authorizer.js';
import type { RequestAttributes } from './rules.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** responsewriters: curl's user agent gets indented JSON */
export function jsonAnswer(o: unknown, code = 200): HttpAnswer {
  return { status: code, body: `${JSON.stringify(o, null, 2)}\n` };
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason: string; message: string; field: string }[];
}

/** a failure metav1.Status */
export function statusAnswer(code: number, reason: string, message: string, details?: StatusDetails): HttpAnswer {
  const s = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  return jsonAnswer(s, code);
}

const NOT_FOUND_ROUTE = (): HttpAnswer => statusAnswer(404, 'NotFound', 'the server could not find the requested resource', {});

const CODES: Record<string, number> = {
  BadRequest: 400, Forbidden: 403, NotFound: 404, MethodNotAllowed: 405, AlreadyExists: 409, Conflict: 409,
  UnsupportedMediaType: 415, Invalid: 422, TooManyRequests: 429, InternalError: 500,
};

/** field.ErrorType strings (apimachinery pkg/util/validation/field/errors.go) to CauseType */
const CAUSE_TYPES: [string, string][] = [
  ['Required value', 'FieldValueRequired'],
  ['Invalid value', 'FieldValueInvalid'],
  ['Unsupported value', 'FieldValueNotSupported'],
  ['Duplicate value', 'FieldValueDuplicate'],
  ['Forbidden', 'FieldValueForbidden'],
  ['Too long', 'FieldValueTooLong'],
  ['Too many', 'FieldValueTooMany'],
  ['Not found', 'FieldValueNotFound'],
  ['Internal error', 'InternalError'],
];

/** StatusCause of one field error "spec.x: Invalid value: 1: why" (errors.NewInvalid) */
export function causeOf(text: string): { reason: string; message: string; field: string } {
  const i = text.indexOf(': ');
  const field = i > 0 ? text.slice(0, i) : '';
  const message = i > 0 ? text.slice(i + 2) : text;
  const reason = CAUSE_TYPES.find(([p]) => message.startsWith(p))?.[1] ?? 'FieldValueInvalid';
  return { reason, message, field };
}

/** The Status of an error the simulated API server threw, as apierrors would carry it. */
export function errorAnswer(e: unknown, r: ResourceInfo, name: string): HttpAnswer {
  if (e instanceof ApiError) {
    const code = CODES[e.reason] ?? 500;
    const group = r.group ? { group: r.group } : {};
    if (e.reason === 'Invalid') {
      return statusAnswer(code, e.reason, e.message, { name, ...group, kind: r.kind, causes: e.causes.map(causeOf) });
    }
    if (e.reason === 'NotFound' && /^namespaces "/.test(e.message)) return statusAnswer(code, e.reason, e.message, { name: e.message.split('"')[1], kind: 'namespaces' });
    return statusAnswer(code, e.reason, e.message, { ...(name ? { name } : {}), ...group, kind: r.plural });
  }
  if (e instanceof PatchError) {
    return statusAnswer(e.status, e.status === 415 ? 'UnsupportedMediaType' : e.status === 400 ? 'BadRequest' : 'Invalid', e.message, e.status === 422 ? { name, ...(r.group ? { group: r.group } : {}), kind: r.kind } : {});
  }
  return statusAnswer(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`, {});
}

/** an answer that ends the request early, kept apart from objects (which may have a `status`) */
class Refusal {
  constructor(readonly answer: HttpAnswer) {}
}
const refuse = (a: HttpAnswer): Refusal => new Refusal(a);

function rejection(x: AdmissionRejection): HttpAnswer {
  return statusAnswer(x.code, x.reason, x.message, x.details);
}

export interface RestRequest {
  method: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: string;
}

function header(h: Record<string, string>, name: string): string | undefined {
  return Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** the media type without parameters; curl -d sends application/x-www-form-urlencoded */
function contentType(req: RestRequest): string {
  return (header(req.headers, 'content-type') ?? (req.body !== undefined ? 'application/x-www-form-urlencoded' : '')).split(';')[0].trim().toLowerCase();
}

const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
/** the patch types a built-in resource's PATCH route consumes (endpoints/installer.go) */
const PATCH_MEDIA_TYPES: [string, PatchType | undefined][] = [
  ['application/json-patch+json', 'json'],
  ['application/merge-patch+json', 'merge'],
  ['application/strategic-merge-patch+json', 'strategic'],
  ['application/apply-patch+yaml', undefined],
];

function unsupportedMediaType(accepted: string[]): HttpAnswer {
  return statusAnswer(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {});
}

/** a JSON or YAML body by its Content-Type (the serializers the server offers; protobuf is not modelled) */
function decodeBody(req: RestRequest): unknown {
  // no Content-Type at all: the first serializer, JSON (negotiation.NegotiateInputSerializer)
  const ct = contentType(req) || 'application/json';
  if (!OBJECT_MEDIA_TYPES.includes(ct) || ct === 'application/vnd.kubernetes.protobuf') return refuse(unsupportedMediaType(OBJECT_MEDIA_TYPES));
  try {
    return ct === 'application/yaml' ? parseYaml(req.body ?? '') : JSON.parse(req.body ?? '');
  } catch (e) {
    return refuse(statusAnswer(400, 'BadRequest', `couldn't get version/kind; json parse error: ${(e as Error).message}`, {}));
  }
}

/** decode a create/update body by its Content-Type; the URL's group/version/kind fill what it omits */
function decodeObject(req: RestRequest, r: ResourceInfo): KubeObject | Refusal {
  const ct = contentType(req);
  const o: any = decodeBody(req);
  if (o instanceof Refusal) return o;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return refuse(statusAnswer(400, 'BadRequest', `couldn't get version/kind; json parse error: not an object`, {}));
  o.apiVersion ??= r.apiVersion;
  o.kind ??= r.kind;
  if (o.apiVersion !== r.apiVersion) {
    return refuse(statusAnswer(400, 'BadRequest', `the API version in the data (${o.apiVersion}) does not match the expected API version (${r.apiVersion})`, {}));
  }
  if (o.kind !== r.kind) return refuse(statusAnswer(400, 'BadRequest', `the kind in the data (${o.kind}) does not match the expected kind (${r.kind})`, {}));
  o.metadata ??= {};
  return o as KubeObject;
}

/** rest.ExpectedNamespaceForScope + the handler's check that the body agrees with the URL */
function checkNamespace(o: KubeObject, ns: string | undefined): HttpAnswer | undefined {
  if (ns === undefined) return undefined;
  if (o.metadata.namespace && o.metadata.namespace !== ns) {
    return statusAnswer(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request', {});
  }
  o.metadata.namespace = ns;
  return undefined;
}

/** the types whose storage sets ReturnDeletedObject (pod, serviceaccount, service, storageclass storage.go) */
const RETURNS_DELETED_OBJECT = new Set(['Pod', 'ServiceAccount', 'Service', 'StorageClass']);
/** kinds with a status subresource route */
const STATUS_SUBRESOURCE = new Set([
  'Pod', 'Node', 'Namespace', 'Service', 'ReplicationController', 'ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet',
  'Job', 'CronJob', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'PersistentVolume', 'PersistentVolumeClaim',
  'ResourceQuota', 'Ingress', 'CustomResourceDefinition',
]);

export interface ResourceRequest {
  api: ApiServer;
  user: UserInfo;
  attrs: RequestAttributes;
  info: ResourceInfo;
  req: RestRequest;
}

/** Serve one authorized resource request. */
export function serveResource(x: ResourceRequest): HttpAnswer {
  const { attrs: a, info: r } = x;
  const ns = r.namespaced ? a.namespace : undefined;
  const sub = a.subresource;
  if (sub !== undefined) {
    const ok = (sub === 'status' && STATUS_SUBRESOURCE.has(r.kind) && ['get', 'update', 'patch'].includes(a.verb)) || (sub === 'eviction' && r.kind === 'Pod' && a.verb === 'create');
    if (!ok) return NOT_FOUND_ROUTE();
  }
  // a namespaced resource without a namespace in the URL: only the cluster-wide list route exists
  if (r.namespaced && ns === undefined && a.verb !== 'list' && a.verb !== 'watch') {
    return a.name === undefined ? statusAnswer(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}) : NOT_FOUND_ROUTE();
  }
  try {
    switch (a.verb) {
      case 'get':
        return get(x, ns);
      case 'list':
        return list(x, ns);
      case 'create':
        return sub === 'eviction' ? evictPod(x, ns!) : create(x, ns);
      case 'update':
        return update(x, ns);
      case 'patch':
        return patch(x, ns);
      case 'delete':
        return del(x, ns);
      case 'deletecollection':
        return deleteCollection(x, ns);
      default:
        return statusAnswer(405, 'MethodNotAllowed', `kuberehearse does not serve ${a.verb} to pods; ${a.verb} on ${a.resource} was authorized but is not carried out`, {});
    }
  } catch (e) {
    return errorAnswer(e, r, a.name ?? '');
  }
}

function notFoundAnswer(r: ResourceInfo, name: string): HttpAnswer {
  return statusAnswer(404, 'NotFound', `${r.plural}${r.group ? `.${r.group}` : ''} "${name}" not found`, { name, ...(r.group ? { group: r.group } : {}), kind: r.plural });
}

function get({ api, attrs: a, info: r }: ResourceRequest, ns: string | undefined): HttpAnswer {
  const o = api.get(r.kind, ns, a.name!);
  if (!o) return notFoundAnswer(r, a.name!);
  return jsonAnswer(o);
}

/** fields every type selects on (metadata), and the pod fields of pkg/registry/core/pod/strategy.go ToSelectableFields */
const SELECTABLE: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Node: ['spec.unschedulable'],
  Secret: ['type'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
};

function fieldValue(o: KubeObject, path: string): string {
  if (path === 'source') return String((o as any).source?.component ?? '');
  let v: any = o;
  for (const p of path.split('.')) v = v?.[p];
  if (path === 'spec.hostNetwork') return String(Boolean(v));
  return v === undefined || v === null ? '' : String(v);
}

type FieldReq = { field: string; op: '=' | '!='; value: string };

/** fields.ParseSelector for the `k=v,k!=v` forms; a field the type does not index is a 400 */
function parseFieldSelector(text: string, kind: string): FieldReq[] | Refusal {
  const out: FieldReq[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(part);
    if (!m) return refuse(statusAnswer(400, 'BadRequest', `invalid selector: '${text}'; can't understand '${part}'`, {}));
    const field = m[1].trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !(SELECTABLE[kind] ?? []).includes(field)) {
      return refuse(statusAnswer(400, 'BadRequest', `field label not supported: ${field}`, {}));
    }
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return out;
}

/** the objects a list or deletecollection selects: ?labelSelector= and ?fieldSelector= */
function selectObjects({ api, info: r, req }: ResourceRequest, ns: string | undefined): KubeObject[] | Refusal {
  let selector: Selector | undefined;
  const ls = req.query.get('labelSelector');
  if (ls) {
    try {
      selector = parseSelector(ls);
    } catch (e) {
      return refuse(statusAnswer(400, 'BadRequest', `unable to parse requirement: ${e instanceof SelectorError ? e.message : String(e)}`, {}));
    }
  }
  const fsText = req.query.get('fieldSelector');
  const fs = fsText ? parseFieldSelector(fsText, r.kind) : [];
  if (fs instanceof Refusal) return fs;
  // one object by name: the store's key, not a scan (the registry does the same for metadata.name=)
  const byName = fs.find((f) => f.field === 'metadata.name' && f.op === '=');
  const candidates = byName && ns !== undefined ? [api.get(r.kind, ns, byName.value)].filter((o): o is KubeObject => !!o && (!selector || selector.matches(o.metadata.labels))) : api.list(r.kind, ns, selector);
  return candidates.filter((o) => fs.every((f) => (fieldValue(o, f.field) === f.value) === (f.op === '=')));
}

function list(x: ResourceRequest, ns: string | undefined): HttpAnswer {
  const { api, info: r } = x;
  const items = selectObjects(x, ns);
  if (items instanceof Refusal) return items.answer;
  return jsonAnswer({ kind: `${r.kind}List`, apiVersion: r.apiVersion, metadata: { resourceVersion: String(api.store.resourceVersion) }, items: items.map(({ kind: _k, apiVersion: _v, ...rest }) => rest) });
}

function admissionAttrs(x: ResourceRequest, operation: AdmissionAttributes['operation'], object?: KubeObject, oldObject?: KubeObject): AdmissionAttributes {
  const a = x.attrs;
  return {
    operation,
    apiGroup: a.apiGroup ?? '',
    resource: a.resource!,
    ...(a.subresource ? { subresource: a.subresource } : {}),
    ...(a.namespace !== undefined ? { namespace: a.namespace } : {}),
    ...(a.name !== undefined ? { name: a.name } : {}),
    ...(object ? { object } : {}),
    ...(oldObject ? { oldObject } : {}),
  };
}

function create(x: ResourceRequest, ns: string | undefined): HttpAnswer {
  const { api, info: r, req } = x;
  const obj = decodeObject(req, r);
  if (obj instanceof Refusal) return obj.answer;
  const bad = checkNamespace(obj, ns);
  if (bad) return bad;
  if (!r.namespaced) delete obj.metadata.namespace;
  if (obj.metadata.resourceVersion) return statusAnswer(500, 'InternalError', 'Internal error occurred: resourceVersion should not be set on objects to be created', {});
  const adm = admitNodeRestriction(api, x.user, admissionAttrs(x, 'CREATE', obj));
  if (adm) return rejection(adm);
  try {
    return jsonAnswer(api.create(obj), 201);
  } catch (e) {
    return errorAnswer(e, r, obj.metadata.name ?? obj.metadata.generateName ?? '');
  }
}

/** Operation cannot be fulfilled (storage.NewResourceVersionConflictsError as apierrors.NewConflict) */
function conflict(r: ResourceInfo, name: string): HttpAnswer {
  return statusAnswer(409, 'Conflict', `Operation cannot be fulfilled on ${r.plural}${r.group ? `.${r.group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, ...(r.group ? { group: r.group } : {}), kind: r.plural });
}

/** the write both PUT and PATCH end in: NodeRestriction, then the server's update path */
function write(x: ResourceRequest, old: KubeObject, next: KubeObject): HttpAnswer {
  const { api, info: r, attrs: a } = x;
  const adm = admitNodeRestriction(api, x.user, admissionAttrs(x, 'UPDATE', next, old));
  if (adm) return rejection(adm);
  const status = a.subresource === 'status';
  // the status subresource changes status only; the main resource keeps the stored status
  return jsonAnswer(api.update(next, status ? 'status' : undefined));
}

function update(x: ResourceRequest, ns: string | undefined): HttpAnswer {
  const { api, info: r, attrs: a, req } = x;
  const obj = decodeObject(req, r);
  if (obj instanceof Refusal) return obj.answer;
  const bad = checkNamespace(obj, ns);
  if (bad) return bad;
  if (obj.metadata.name !== a.name) {
    return statusAnswer(400, 'BadRequest', `the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${a.name})`, {});
  }
  const old = api.get(r.kind, ns, a.name!);
  if (!old) return notFoundAnswer(r, a.name!);
  // optimistic concurrency: a resourceVersion in the body must be the stored one
  if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) return conflict(r, a.name!);
  return write(x, old, obj);
}

function patch(x: ResourceRequest, ns: string | undefined): HttpAnswer {
  const { api, info: r, attrs: a, req } = x;
  const ct = contentType(req);
  const type = PATCH_MEDIA_TYPES.find(([m]) => m === ct);
  if (!type) return unsupportedMediaType(PATCH_MEDIA_TYPES.map(([m]) => m));
  if (!type[1]) return statusAnswer(415, 'UnsupportedMediaType', 'kuberehearse does not model server-side apply (application/apply-patch+yaml)', {});
  let body: unknown;
  try {
    body = JSON.parse(req.body ?? '');
  } catch (e) {
    return statusAnswer(400, 'BadRequest', `error decoding patch: ${(e as Error).message}`, {});
  }
  const old = api.get(r.kind, ns, a.name!);
  if (!old) return notFoundAnswer(r, a.name!);
  let next: KubeObject;
  try {
    next = applyPatch(cloneObject(old), type[1], body, r.kind) as KubeObject;
  } catch (e) {
    return errorAnswer(e, r, a.name!);
  }
  const rv = next.metadata?.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) return conflict(r, a.name!);
  // a patch cannot rename or move the object (the handler's name/namespace checks)
  if (next.metadata?.name !== old.metadata.name) {
    return statusAnswer(400, 'BadRequest', `the name of the object (${next.metadata?.name ?? ''}) does not match the name on the URL (${a.name})`, {});
  }
  return write(x, old, next);
}

/** DeleteOptions from the body (a DeleteOptions object) or the query string */
function deleteOptions(req: RestRequest): DeleteOptions | Refusal {
  let body: any = {};
  if (req.body !== undefined && req.body.trim() !== '') {
    try {
      body = JSON.parse(req.body);
    } catch (e) {
      return refuse(statusAnswer(400, 'BadRequest', `error decoding DeleteOptions: ${(e as Error).message}`, {}));
    }
  }
  const opts: DeleteOptions = {};
  const policy = body.propagationPolicy ?? req.query.get('propagationPolicy') ?? undefined;
  const orphan = body.orphanDependents ?? (req.query.has('orphanDependents') ? req.query.get('orphanDependents') === 'true' : undefined);
  if (policy !== undefined) {
    if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
      return refuse(statusAnswer(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`, { kind: 'DeleteOptions', group: 'meta.k8s.io', causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`, field: 'propagationPolicy' }] }));
    }
    opts.propagationPolicy = policy as PropagationPolicy;
  } else if (orphan !== undefined) opts.propagationPolicy = orphan ? 'Orphan' : 'Background';
  const grace = body.gracePeriodSeconds ?? (req.query.has('gracePeriodSeconds') ? Number(req.query.get('gracePeriodSeconds')) : undefined);
  if (grace !== undefined) opts.gracePeriodSeconds = Number(grace);
  const uid = body.preconditions?.uid;
  if (uid) opts.preconditionUid = uid;
  return opts;
}

/** one delete: the object still there (graceful, finalizers), the deleted object, or a Success Status */
function deleteOne(x: ResourceRequest, o: KubeObject, opts: DeleteOptions): unknown {
  const { api, info: r } = x;
  const kept = api.delete(r.kind, o.metadata.namespace, o.metadata.name!, opts);
  if (kept) return kept;
  if (RETURNS_DELETED_OBJECT.has(r.kind)) return { ...o, metadata: { ...o.metadata, deletionTimestamp: o.metadata.deletionTimestamp ?? timestamp(api.sim.now), deletionGracePeriodSeconds: 0 } };
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: o.metadata.name, ...(r.group ? { group: r.group } : {}), kind: r.plural, uid: o.metadata.uid } };
}

function del(x: ResourceRequest, ns: string | undefined): HttpAnswer {
  const { api, info: r, attrs: a, req } = x;
  const opts = deleteOptions(req);
  if (opts instanceof Refusal) return opts.answer;
  const o = api.get(r.kind, ns, a.name!);
  if (!o) return notFoundAnswer(r, a.name!);
  const adm = admitNodeRestriction(api, x.user, admissionAttrs(x, 'DELETE', undefined, o));
  if (adm) return rejection(adm);
  return jsonAnswer(deleteOne(x, o, opts));
}

function deleteCollection(x: ResourceRequest, ns: string | undefined): HttpAnswer {
  const { api, info: r, req } = x;
  const opts = deleteOptions(req);
  if (opts instanceof Refusal) return opts.answer;
  const victims = selectObjects(x, ns);
  if (victims instanceof Refusal) return victims.answer;
  // store.go DeleteCollection: each listed object is deleted as by DELETE, and the answer is the
  // list as it was read before the deletes
  const listRv = String(api.store.resourceVersion);
  for (const o of victims) {
    const adm = admitNodeRestriction(api, x.user, { ...admissionAttrs(x, 'DELETE', undefined, o), name: o.metadata.name! });
    if (adm) return rejection(adm);
    if (api.get(r.kind, o.metadata.namespace, o.metadata.name!)) api.delete(r.kind, o.metadata.namespace, o.metadata.name!, opts);
  }
  return jsonAnswer({ kind: `${r.kind}List`, apiVersion: r.apiVersion, metadata: { resourceVersion: listRv }, items: victims.map(({ kind: _k, apiVersion: _v, ...rest }) => rest) });
}

/** POST pods/<name>/eviction with a policy/v1 Eviction body (EvictionREST.Create) */
function evictPod(x: ResourceRequest, ns: string): HttpAnswer {
  const { api, attrs: a, req, info: r } = x;
  const ev: any = decodeBody(req);
  if (ev instanceof Refusal) return ev.answer;
  if (ev?.metadata?.name && ev.metadata.name !== a.name) return statusAnswer(400, 'BadRequest', `name in URL does not match name in Eviction object`, {});
  const pod = api.get('Pod', ns, a.name!);
  if (!pod) return notFoundAnswer(r, a.name!);
  const adm = admitNodeRestriction(api, x.user, admissionAttrs(x, 'CREATE', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: a.name!, namespace: ns } } as KubeObject));
  if (adm) return rejection(adm);
  const d = ev?.deleteOptions ?? {};
  evict(api, ns, a.name!, { ...(d.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: Number(d.gracePeriodSeconds) } : {}), ...(d.propagationPolicy ? { propagationPolicy: d.propagationPolicy } : {}) });
  return jsonAnswer({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, 201);
}

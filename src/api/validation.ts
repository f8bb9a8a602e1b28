// Name and label validators with upstream's exact messages. Each returns a list of problems;
// an empty list means valid (the upstream convention, so callers can join or prefix them).
//
// Sources:
// - staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1035Label, MaxLenError, RegexError)
// - staging/src/k8s.io/apimachinery/pkg/api/validate/content/dns.go (IsDNS1123Label, IsDNS1123Subdomain)
// - staging/src/k8s.io/apimachinery/pkg/api/validate/content/kube.go (IsLabelKey = IsQualifiedName, IsLabelValue)
// - staging/src/k8s.io/apimachinery/pkg/api/validation/generic.go (NameIsDNS*, maskTrailingDash)

/** Go measures string length in bytes; non-ASCII characters count more than once. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * byteLength(s) > max, counting bytes only when the answer depends on it: a UTF-16 code unit is
 * 1 to 3 UTF-8 bytes (a surrogate pair, two units, is 4), so length <= bytes <= 3 * length.
 */
function longerThan(s: string, max: number): boolean {
  return s.length > max || (s.length * 3 > max && byteLength(s) > max);
}

/** validation.go MaxLenError */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** validation.go RegexError */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

/** validation.go EmptyError */
export function emptyError(): string {
  return 'must be non-empty';
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRegexp = new RegExp(`^${dns1123LabelFmt}$`);

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRegexp = new RegExp(`^${dns1123SubdomainFmt}$`);

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRegexp = new RegExp(`^${dns1035LabelFmt}$`);

/** content/dns.go IsDNS1123Label: Namespace and StatefulSet names, hostnames. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_LABEL_MAX_LENGTH)) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a label can only differ by its dots (length was checked).
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** content/dns.go IsDNS1123Subdomain: the name rule of most kinds. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1123_SUBDOMAIN_MAX_LENGTH)) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) {
    errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  }
  return errs;
}

/** validation.go IsDNS1035Label: Service names. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, DNS1035_LABEL_MAX_LENGTH)) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRegexp.test(value)) {
    errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  }
  return errs;
}

const labelKeyCharFmt = '[A-Za-z0-9]';
const labelKeyExtCharFmt = '[-A-Za-z0-9_.]';
const labelKeyFmt = `(${labelKeyCharFmt}${labelKeyExtCharFmt}*)?${labelKeyCharFmt}`;
const labelKeyErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelKeyMaxLength = 63;
const labelKeyRegexp = new RegExp(`^${labelKeyFmt}$`);

/**
 * content/kube.go IsLabelKey (alias IsQualifiedName): label and annotation keys,
 * `[prefix/]name` where prefix is a DNS subdomain and name is at most 63 characters.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  // value.split('/') without the array: one slash at most is a prefix and a name
  const slash = value.indexOf('/');
  const count = slash < 0 ? 1 : value.indexOf('/', slash + 1) < 0 ? 2 : 3;
  let name: string;
  switch (count) {
    case 1:
      name = value;
      break;
    case 2: {
      const prefix = value.slice(0, slash);
      name = value.slice(slash + 1);
      if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
      else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
      break;
    }
    default:
      return [
        `a valid label key ${regexError(labelKeyErrMsg, labelKeyFmt, 'MyName', 'my.name', '123-abc')}` +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (longerThan(name, labelKeyMaxLength)) errs.push(`name part ${maxLenError(labelKeyMaxLength)}`);
  if (!labelKeyRegexp.test(name)) {
    errs.push(`name part ${regexError(labelKeyErrMsg, labelKeyFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

const labelValueFmt = `(${labelKeyFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRegexp = new RegExp(`^${labelValueFmt}$`);

/** content/kube.go IsLabelValue: empty, or up to 63 alphanumerics with inner '-', '_', '.'. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (longerThan(value, LABEL_VALUE_MAX_LENGTH)) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) {
    errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/**
 * generic.go maskTrailingDash: a generateName prefix may end in '-'. Upstream drops the
 * last TWO characters and appends "a" (a quirk kept here; a 1-char prefix becomes "a").
 */
function maskTrailingDash(name: string): string {
  if (name.endsWith('-')) return `${name.length >= 2 ? name.slice(0, name.length - 2) : ''}a`;
  return name;
}

export type NameRule = 'DNS1123Subdomain' | 'DNS1123Label' | 'DNS1035Label';

/**
 * Which name rule each kind uses at creation:
 * - Service: pkg/apis/core/validation ValidateServiceName = NameIsDNS1035Label
 * - Namespace: apimachinery ValidateNamespaceName = NameIsDNSLabel
 * - StatefulSet: pkg/apis/apps/validation ValidateStatefulSetName = NameIsDNSLabel (since 1.27, PR #114172)
 * - everything else the simulator stores (Pod, ReplicaSet, Deployment, DaemonSet, Job, CronJob,
 *   ConfigMap, Secret, Node, PVC, HPA, PDB, ReplicationController, ...): NameIsDNSSubdomain.
 */
export function nameRuleForKind(kind: string): NameRule {
  switch (kind) {
    case 'Service':
      return 'DNS1035Label';
    case 'Namespace':
    case 'StatefulSet':
      return 'DNS1123Label';
    default:
      return 'DNS1123Subdomain';
  }
}

/** pkg/apis/batch/validation ValidateCronJobCreate: DNS1035LabelMaxLength - 11, room for the job suffix. */
export const CRONJOB_NAME_MAX_LENGTH = 52;

/**
 * Validates metadata.name (or, with `prefix`, metadata.generateName) for a kind, as
 * ValidateObjectMeta does with the kind's ValidateNameFunc. Returns upstream messages.
 */
export function validateObjectName(kind: string, name: string, prefix = false): string[] {
  if (name.length === 0) return ['name or generateName is required'];
  const checked = prefix ? maskTrailingDash(name) : name;
  // pkg/apis/rbac/validation ValidateRBACName = path.IsValidPathSegmentName ("system:..." names)
  if (RBAC_KINDS.has(kind)) return isValidPathSegmentName(name, prefix);
  let errs: string[];
  switch (nameRuleForKind(kind)) {
    case 'DNS1035Label':
      errs = isDNS1035Label(checked);
      break;
    case 'DNS1123Label':
      errs = isDNS1123Label(checked);
      break;
    default:
      errs = isDNS1123Subdomain(checked);
  }
  if (kind === 'CronJob' && !prefix && longerThan(name, CRONJOB_NAME_MAX_LENGTH)) {
    errs = [...errs, maxLenError(CRONJOB_NAME_MAX_LENGTH)];
  }
  return errs;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** apimachinery pkg/api/validation/path IsValidPathSegmentName / IsValidPathSegmentPrefix */
function isValidPathSegmentName(name: string, prefix: boolean): string[] {
  const errs: string[] = [];
  if (!prefix && (name === '.' || name === '..')) errs.push(`may not be '${name}'`);
  for (const ch of ['/', '%']) if (name.includes(ch)) errs.push(`may not contain '${ch}'`);
  return errs;
}

/** Kinds whose names end up in Pod names (registry strategies' WarningsOnCreate). */
const POD_NAMING_KINDS = new Set(['ReplicaSet', 'Deployment', 'Job', 'CronJob', 'ReplicationController']);

/**
 * API warnings (not errors) for workload names that are valid subdomains but not DNS labels
 * (PR #114412: pkg/registry/<group>/<kind>/strategy.go WarningsOnCreate). Go prints the
 * message list with %v, i.e. "[msg1 msg2]".
 */
export function objectNameWarnings(kind: string, name: string): string[] {
  if (kind !== 'Pod' && !POD_NAMING_KINDS.has(kind)) return [];
  const msgs = isDNS1123Label(name);
  if (msgs.length === 0) return [];
  const use = kind === 'Pod' ? "the Pod's hostname" : 'Pod names and hostnames';
  return [
    `metadata.name: this is used in ${use}, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`,
  ];
}

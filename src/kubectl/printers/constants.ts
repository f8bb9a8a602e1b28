/** corev1.LastAppliedConfigAnnotation, which describe never prints (describe.go skipAnnotations) */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

// What kube-proxy knows about one Service port and its endpoints: the shapes of
// pkg/proxy/serviceport.go (ServicePort) and pkg/proxy/endpoint.go (Endpoint), reduced to what
// the simulated data path uses.

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** "IP:port": the key kube-proxy sorts and hashes endpoints by */
  key: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** endpoint.nodeName == this node (pkg/proxy/endpointslicecache.go addEndpoints) */
  isLocal: boolean;
  nodeName?: string;
  zoneHints: string[];
  /** targetRef of a Pod endpoint, for the traffic log */
  pod?: { namespace: string; name: string };
}

export interface ProxyServicePort {
  /** ServicePortName: "<ns>/<name>:<portName>" */
  key: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: string;
  clusterIP: string;
  port: number;
  nodePort?: number;
  loadBalancerIPs: string[];
  externalIPs: string[];
  /** ClientIP affinity timeout in ms, undefined for None */
  affinityTimeoutMs?: number;
  /** ExternallyAccessible: nodePort, LB VIPs or externalIPs */
  externallyAccessible: boolean;
  /** ExternalPolicyLocal (only when externally accessible) */
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  healthCheckNodePort?: number;
}

import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApiVersion } from '../core/istio-api-version';
import { DeferredSpec, instanceofByPrototype } from '../core/library-object';
import { Problems, registerValidation, show } from '../core/validation';
import { GatewaySpec, GatewaySpecServers, GatewaySpecServersTlsMode, toJson_GatewaySpec } from '../imports/networking.istio.io';
import { GatewayRefView, registerResource, resourceChanged } from '../rules/analyzers';
import { ISV_HOST, ISV_PORT, ISV_REQUIRED, ISV_TLS, K8S_NAME, POL_UNIQUE_NAMES } from '../rules/catalogue';

/**
 * A gateway that routes can be bound to: a `Gateway` of this app, one that already exists
 * in the cluster (`Gateway.fromName`), or the `mesh` pseudo-gateway (`Gateway.mesh()`).
 */
export interface IGateway {
  /**
   * The reference as VirtualServices and the `seldon.io/istio-gateway` annotation write it:
   * `<namespace>/<name>`, a bare `<name>` (the namespace of the object that refers to it), or `mesh`.
   */
  readonly gatewayRef: string;
}

/** The reference of the pseudo-gateway that stands for every sidecar in the mesh. */
const MESH = 'mesh';

class GatewayReference implements IGateway {
  constructor(public readonly gatewayRef: string) {}
}

/** A gateway reference as the cross-resource rules see it. @internal */
export function gatewayRefView(gateway: IGateway): GatewayRefView {
  return { ref: gateway.gatewayRef, construct: gateway instanceof Gateway ? gateway : undefined };
}

/** True when `gateway` is the `mesh` pseudo-gateway. @internal */
export function isMeshGateway(gateway: IGateway): boolean {
  return gateway.gatewayRef === MESH;
}

/** TLS modes of an HTTPS gateway server that terminate TLS with a credential. */
export enum GatewayTlsMode {
  /** Standard TLS: the gateway presents the certificate of `credentialName`. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS: the gateway also verifies client certificates against the CA in `credentialName`. */
  MUTUAL = 'MUTUAL',
}

/** Options of a plain-HTTP gateway server. */
export interface HttpServerOptions {
  /**
   * Port the ingress gateway listens on.
   * @default 80
   */
  readonly port?: number;

  /**
   * Name of the server's port; unique within the Gateway.
   * @default 'http'
   */
  readonly portName?: string;

  /**
   * Hosts this server exposes: `*`, `*.example.com`, `model.example.com` or `<namespace>/<host>`.
   * @default ['*']
   */
  readonly hosts?: string[];

  /**
   * Answer every HTTP request with a 301 redirect to HTTPS.
   * @default false
   */
  readonly httpsRedirect?: boolean;
}

/** Options of an HTTPS gateway server that terminates TLS. */
export interface HttpsServerOptions {
  /**
   * Name of the `kubernetes.io/tls` Secret, in the namespace of the ingress gateway's pods,
   * that holds the certificate and key (and `ca.crt` for `MUTUAL`).
   * @example 'seldon-ssl-cert'
   */
  readonly credentialName: string;

  /**
   * How TLS is terminated.
   * @default GatewayTlsMode.SIMPLE
   */
  readonly mode?: GatewayTlsMode;

  /**
   * Port the ingress gateway listens on.
   * @default 443
   */
  readonly port?: number;

  /**
   * Name of the server's port; unique within the Gateway.
   * @default 'https'
   */
  readonly portName?: string;

  /**
   * Hosts this server exposes: `*`, `*.example.com`, `model.example.com` or `<namespace>/<host>`.
   * @default ['*']
   */
  readonly hosts?: string[];
}

/** The protocol of a `GatewayServer`. */
export enum GatewayProtocol {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTP over TLS. */
  HTTPS = 'HTTPS',
}

/**
 * One server (port, protocol, hosts, TLS) of a `Gateway`. Create it with `GatewayServer.http`
 * or `GatewayServer.https`.
 */
export class GatewayServer {
  /** A plain-HTTP server, by default port 80 for every host (the Seldon documentation's gateway). */
  public static http(options: HttpServerOptions = {}): GatewayServer {
    return new GatewayServer(
      options.port ?? 80, GatewayProtocol.HTTP, options.portName ?? 'http', options.hosts ?? ['*'], undefined, options.httpsRedirect);
  }

  /** An HTTPS server terminating TLS with a Secret, by default port 443 in `SIMPLE` mode for every host. */
  public static https(options: HttpsServerOptions): GatewayServer {
    return new GatewayServer(
      options.port ?? 443, GatewayProtocol.HTTPS, options.portName ?? 'https', options.hosts ?? ['*'],
      { mode: options.mode ?? GatewayTlsMode.SIMPLE, credentialName: options.credentialName });
  }

  private constructor(
    /** Port number the ingress gateway listens on. */
    public readonly port: number,
    /** The protocol. */
    public readonly protocol: GatewayProtocol,
    /** Name of the port. */
    public readonly portName: string,
    /** Hosts exposed by this server. */
    public readonly hosts: string[],
    private readonly tls?: { mode: GatewayTlsMode; credentialName: string },
    private readonly httpsRedirect?: boolean,
  ) {}

  /** @internal */
  public _problems(): string[] {
    const problems = new Problems();
    const where = `server '${this.portName}'`;
    problems.add(ISV_PORT.check(`${where}: port`, this.port));
    problems.add(K8S_NAME.check(`${where}: port name`, this.portName));
    problems.check(ISV_REQUIRED, this.hosts.length > 0, `${where}: hosts is empty: list at least one host, or '*' for every host`);
    for (const host of this.hosts) problems.add(ISV_HOST.check(`${where}: host`, host, true));
    if (this.tls) {
      problems.check(ISV_TLS, typeof this.tls.credentialName === 'string' && this.tls.credentialName.trim().length > 0,
        `${where}: TLS mode ${this.tls.mode} needs credentialName: the name of a kubernetes.io/tls Secret in the ingress gateway's namespace (e.g. 'seldon-ssl-cert')`);
      problems.check(ISV_TLS, Object.values(GatewayTlsMode).includes(this.tls.mode),
        () => `${where}: TLS mode ${show(this.tls!.mode)} is not supported: use GatewayTlsMode.SIMPLE or GatewayTlsMode.MUTUAL`);
    }
    return problems.all;
  }

  /** @internal */
  public _toSpec(): GatewaySpecServers {
    return {
      port: { number: this.port, name: this.portName, protocol: this.protocol },
      hosts: [...this.hosts],
      tls: this.tls
        ? { mode: this.tls.mode as string as GatewaySpecServersTlsMode, credentialName: this.tls.credentialName }
        : (this.httpsRedirect ? { httpsRedirect: true } : undefined),
    };
  }
}

/** Props of a `Gateway`. */
export interface GatewayProps {
  /**
   * Name of the Gateway.
   * @default 'seldon-gateway' (the name the Seldon operator assumes)
   */
  readonly name?: string;

  /**
   * Namespace of the Gateway.
   * @default the chart's namespace, else 'istio-system' (where the Seldon documentation puts it)
   */
  readonly namespace?: string;

  /**
   * Labels of the gateway pods (Envoy deployments) this Gateway configures.
   * @default { istio: 'ingressgateway' } (Istio's default ingress gateway)
   */
  readonly selector?: { [key: string]: string };

  /**
   * Servers of the Gateway. More can be added with `addServer`.
   * @default one plain-HTTP server on port 80 for every host, when no server is given or added
   */
  readonly servers?: GatewayServer[];

  /**
   * Labels of the Gateway object.
   * @default none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the Gateway object.
   * @default none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * An Istio `Gateway`: the ports, protocols, hosts and TLS settings of an ingress gateway.
 *
 * With no props it is the gateway the Seldon documentation asks users to create:
 * `seldon-gateway` in `istio-system`, HTTP on port 80 for every host, on Istio's default
 * ingress gateway pods.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class Gateway extends ApiObject implements IGateway {
  /**
   * A Gateway that exists in the cluster, not in this app: `<namespace>/<name>`, or a bare
   * `<name>` (resolved in the namespace of the object that refers to it).
   * The reference is checked where it is used, so the error names that construct.
   * @example Gateway.fromName('istio-system/seldon-gateway')
   */
  public static fromName(ref: string): IGateway {
    return new GatewayReference(ref);
  }

  /** The `mesh` pseudo-gateway: routes bound to it apply to traffic between sidecars inside the mesh. */
  public static mesh(): IGateway {
    return new GatewayReference(MESH);
  }

  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** `<namespace>/<name>`, as VirtualServices and Seldon annotations refer to this Gateway. */
  public readonly gatewayRef: string;

  private readonly servers: GatewayServer[];
  private readonly selector: { [key: string]: string };
  private readonly explicitServers: boolean;

  constructor(scope: Construct, id: string, props: GatewayProps = {}) {
    const name = props.name ?? 'seldon-gateway';
    const namespace = props.namespace ?? Chart.of(scope).namespace ?? 'istio-system';
    const spec = new DeferredSpec();
    super(scope, id, {
      apiVersion: IstioApiVersion.of(scope).networking,
      kind: 'Gateway',
      metadata: { name, namespace, labels: props.labels, annotations: props.annotations },
      spec: spec.value,
    });
    this.namespace = namespace;
    this.gatewayRef = `${this.namespace}/${this.name}`;
    this.selector = { ...(props.selector ?? { istio: 'ingressgateway' }) };
    this.servers = [...(props.servers ?? [])];
    this.explicitServers = props.servers !== undefined;

    const assertValid = registerValidation(this, () => this.problems());
    registerResource(this, () => ({ kind: 'Gateway', namespace: this.namespace, name: this.name }));
    spec.bind(assertValid, () => toJson_GatewaySpec(this.toSpec()));
  }

  /** Adds a server (port, protocol, hosts, TLS) to this Gateway. */
  public addServer(server: GatewayServer): void {
    this.servers.push(server);
    resourceChanged(this);
  }

  private effectiveServers(): GatewayServer[] {
    return this.servers.length === 0 && !this.explicitServers ? [GatewayServer.http()] : this.servers;
  }

  private problems(): string[] {
    const problems = new Problems();
    for (const [what, value] of [['name', this.name], ['namespace', this.namespace]]) {
      problems.add(K8S_NAME.check(`Gateway ${what}`, value));
    }
    const servers = this.effectiveServers();
    problems.check(ISV_REQUIRED, servers.length > 0, 'Gateway has no server: add one with GatewayServer.http() or GatewayServer.https()');
    problems.check(ISV_REQUIRED, Object.keys(this.selector).length > 0,
      "Gateway selector is empty: select the gateway pods by label, e.g. { istio: 'ingressgateway' }");
    const seen = new Set<string>();
    for (const server of servers) {
      problems.addAll(server._problems());
      problems.check(POL_UNIQUE_NAMES, !seen.has(server.portName),
        `Gateway port name ${show(server.portName)} is used by two servers: give each server its own portName`);
      seen.add(server.portName);
    }
    return problems.all;
  }

  private toSpec(): GatewaySpec {
    return {
      selector: this.selector,
      servers: this.effectiveServers().map(s => s._toSpec()),
    };
  }
}
instanceofByPrototype(Gateway);

import { show } from '../core/validation';
import { K8S_NAME, SDW_MODEL_URI, SDW_NODE_CONTAINER } from '../rules/catalogue';

/** What a node of a Seldon inference graph does. */
export enum SeldonUnitType {
  /** A model that answers predictions. */
  MODEL = 'MODEL',
  /** Routes each request to one of its children. */
  ROUTER = 'ROUTER',
  /** Combines the responses of its children. */
  COMBINER = 'COMBINER',
  /** Transforms the request before its children. */
  TRANSFORMER = 'TRANSFORMER',
  /** Transforms the response of its children. */
  OUTPUT_TRANSFORMER = 'OUTPUT_TRANSFORMER',
}

/** How the Seldon engine calls a graph node. */
export enum SeldonEndpointType {
  /** HTTP/JSON. */
  REST = 'REST',
  /** gRPC. */
  GRPC = 'GRPC',
}

/** Type of a graph node parameter. */
export enum SeldonParameterType {
  /** A string. */
  STRING = 'STRING',
  /** A 32-bit integer. */
  INT = 'INT',
  /** A float. */
  FLOAT = 'FLOAT',
  /** A double. */
  DOUBLE = 'DOUBLE',
  /** A boolean. */
  BOOL = 'BOOL',
}

/**
 * The model server that runs a graph node: one of Seldon's prepackaged servers, or a
 * custom implementation name.
 */
export class ModelServer {
  /** Seldon's scikit-learn server. */
  public static readonly SKLEARN_SERVER = new ModelServer('SKLEARN_SERVER', true, false);
  /** Seldon's XGBoost server. */
  public static readonly XGBOOST_SERVER = new ModelServer('XGBOOST_SERVER', true, false);
  /** Seldon's MLflow server. */
  public static readonly MLFLOW_SERVER = new ModelServer('MLFLOW_SERVER', true, false);
  /** TensorFlow Serving, run by Seldon. */
  public static readonly TENSORFLOW_SERVER = new ModelServer('TENSORFLOW_SERVER', true, true);
  /** NVIDIA Triton. */
  public static readonly TRITON_SERVER = new ModelServer('TRITON_SERVER', true, true);
  /** Seldon's Hugging Face server (the one prepackaged server that may omit modelUri). */
  public static readonly HUGGINGFACE_SERVER = new ModelServer('HUGGINGFACE_SERVER', false, false);
  /** Seldon's Tempo server. */
  public static readonly TEMPO_SERVER = new ModelServer('TEMPO_SERVER', true, true);

  /**
   * An implementation Seldon does not prepackage (a server registered in the operator's
   * `predictor_servers` config map); no modelUri or protocol rule is applied to it.
   */
  public static custom(implementation: string): ModelServer {
    return new ModelServer(implementation, false, true);
  }

  private constructor(
    /** The value of the graph's `implementation` field. */
    public readonly implementation: string,
    /** Whether Seldon's admission webhook refuses this server without a `modelUri`. */
    public readonly requiresModelUri: boolean,
    /** Whether this server accepts the `tensorflow` protocol. */
    public readonly supportsTensorflowProtocol: boolean,
  ) {}
}

/** One parameter passed to a graph node. */
export interface SeldonParameter {
  /** Parameter name. */
  readonly name: string;
  /** Parameter value, as a string. */
  readonly value: string;
  /**
   * Type the value is parsed as.
   * @default SeldonParameterType.STRING
   */
  readonly type?: SeldonParameterType;
}

/**
 * A node of a Seldon inference graph (`spec.predictors[].graph`), with its children.
 *
 * @example
 * { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: 'gs://seldon-models/v1.19.0/sklearn/iris' }
 */
export interface SeldonGraph {
  /**
   * Name of the node. For a node without `implementation`, a container of the same name
   * must exist in the predictor's component specs.
   */
  readonly name: string;

  /**
   * What the node does.
   * @default SeldonUnitType.MODEL
   */
  readonly type?: SeldonUnitType;

  /**
   * Prepackaged model server that runs the node.
   * @default none: the node runs the container of the same name from the component specs
   */
  readonly implementation?: ModelServer;

  /**
   * Where the model artefacts are (`gs://`, `s3://`, `https://`, `pvc://`...). Needed by
   * every prepackaged server except the Hugging Face server.
   * @default none
   */
  readonly modelUri?: string;

  /**
   * Secret with the credentials the storage initializer uses to download `modelUri`.
   * @default none
   */
  readonly envSecretRefName?: string;

  /**
   * Service account of the storage initializer.
   * @default the namespace's default service account
   */
  readonly serviceAccountName?: string;

  /**
   * How the engine calls this node.
   * @default SeldonEndpointType.REST (the operator's default)
   */
  readonly endpointType?: SeldonEndpointType;

  /**
   * Parameters passed to the node.
   * @default none
   */
  readonly parameters?: SeldonParameter[];

  /**
   * Child nodes.
   * @default none
   */
  readonly children?: SeldonGraph[];
}

/** Problems of a graph node and its children, in depth-first order. @internal */
export function graphProblems(graph: SeldonGraph, where: string, containerNames: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const here = `${where}: graph node ${show(graph.name)}`;
  const nameProblem = K8S_NAME.check(`${where}: graph node name`, graph.name);
  if (nameProblem) problems.push(nameProblem);
  if (graph.implementation?.requiresModelUri && !graph.modelUri) {
    problems.push(SDW_MODEL_URI.tag(`${here} uses ${graph.implementation.implementation}, which needs modelUri (Seldon: "Predictive unit modelUri required when using standalone servers"): set it, e.g. 'gs://seldon-models/v1.19.0-dev/sklearn/iris'`));
  }
  if (!graph.implementation && !containerNames.has(graph.name)) {
    problems.push(SDW_NODE_CONTAINER.tag(`${here} has no implementation and no container named ${show(graph.name)} in componentSpecs: set implementation (e.g. ModelServer.SKLEARN_SERVER) or add that container`));
  }
  for (const child of graph.children ?? []) {
    problems.push(...graphProblems(child, where, containerNames));
  }
  return problems;
}

/** Every node of the graph, depth first. @internal */
export function graphNodes(graph: SeldonGraph): SeldonGraph[] {
  return [graph, ...(graph.children ?? []).flatMap(graphNodes)];
}

/** The graph as the SeldonDeployment CRD writes it. @internal */
export function graphToSpec(graph: SeldonGraph): any {
  return {
    name: graph.name,
    type: graph.type ?? SeldonUnitType.MODEL,
    implementation: graph.implementation?.implementation,
    modelUri: graph.modelUri,
    envSecretRefName: graph.envSecretRefName,
    serviceAccountName: graph.serviceAccountName,
    endpoint: graph.endpointType ? { type: graph.endpointType } : undefined,
    parameters: graph.parameters?.map(p => ({ name: p.name, value: p.value, type: p.type ?? SeldonParameterType.STRING })),
    children: graph.children?.map(graphToSpec),
  };
}

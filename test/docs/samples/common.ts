import { ModelServer, ModelVariant } from '../../../src';

/** An iris SKLearn model version, as in Seldon's documentation. */
export const iris = (version: string) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://seldon-models/iris/${version}` },
});

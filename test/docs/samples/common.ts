import { ModelServer, ModelVariant } from '../../../src';

/** A version of the iris SKLearn model: its artifacts are at gs://models/iris/<version>. */
export const iris = (version: string) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/${version}` },
});

export * from './istio-api-version';
export * from './gateway';
export * from './seldon-annotations';
export * from './seldon-graph';
export * from './seldon-predictor';
export * from './seldon-deployment';

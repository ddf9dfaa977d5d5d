/** The inference protocol a SeldonDeployment speaks. */
export enum SeldonProtocol {
  /** Seldon's own protocol (`/api/v1.0/predictions`). */
  SELDON = 'seldon',
  /** TensorFlow Serving's protocol. */
  TENSORFLOW = 'tensorflow',
  /** KFServing's V2 protocol, older name. */
  KFSERVING = 'kfserving',
  /** The Open Inference (V2) protocol. */
  V2 = 'v2',
}

import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IstioApiVersion } from './istio-api-version';
import { metadataOf } from './metadata';

// What every L2 of the library that *is* its Kubernetes object (extends `ApiObject`) needs.
// One construct node per emitted object: cdk8s walks every node of the app once per chart it
// renders, so a wrapper construct around an `ApiObject` child is paid C + 1 times per app.

/**
 * The spec of a library object. `super()` cannot see `this`, so the spec is handed to
 * `ApiObject` as a placeholder first and bound to the object's renderer and validation guard right after; it renders at synth time
 * (so what `add*` methods added after construction lands in it), never without its guard.
 * @internal
 */
export class DeferredSpec {
  /** The value to pass as the `ApiObject`'s `spec`. */
  public readonly value = Lazy.any({ produce: () => this.produce() });
  private render?: () => unknown;

  /** Binds the placeholder to the object's validation guard and spec renderer. */
  public bind(assertValid: () => void, render: () => unknown): void {
    this.render = () => {
      assertValid();
      return render();
    };
  }

  private produce(): unknown {
    if (this.render === undefined) throw new Error('DeferredSpec rendered before it was bound: call bind() in the constructor');
    return this.render();
  }
}

/**
 * Makes `x instanceof cls` mean what it says again for an `ApiObject` subclass: cdk8s's
 * `ApiObject[Symbol.hasInstance]` (inherited by every subclass) answers true for *any*
 * ApiObject, so `o instanceof VirtualService` would be true for a Deployment.
 * @internal
 */
export function instanceofByPrototype(cls: { prototype: ApiObject }): void {
  Object.defineProperty(cls, Symbol.hasInstance, {
    // `this`, not `cls`: a user's subclass inherits this static and must test its own prototype.
    value: function (this: { prototype: object }, o: unknown): boolean {
      return typeof o === 'object' && o !== null && Object.prototype.isPrototypeOf.call(this.prototype, o);
    },
  });
}

/** The metadata props every Istio L2 takes. */
interface IstioObjectMetadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: { [key: string]: string };
}

/**
 * The `ApiObject` props of an Istio object of `kind` in the app's Istio API version, with its
 * spec still to be bound (`spec.bind` right after `super()`).
 * @internal
 */
export function istioObjectProps(
  scope: IConstruct, api: 'networking' | 'security', kind: string, metadata: IstioObjectMetadata, spec: DeferredSpec,
): ApiObjectProps {
  return {
    apiVersion: IstioApiVersion.of(scope)[api],
    kind,
    metadata: metadataOf({ name: metadata.name, namespace: metadata.namespace, labels: metadata.labels }),
    spec: spec.value,
  };
}

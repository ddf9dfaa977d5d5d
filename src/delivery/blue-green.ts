import { Construct } from 'constructs';
import { ModelEndpoint, ModelEndpointProps } from './model-endpoint';
import { ModelVariant } from './model-variant';
import { MatchRoute, meshOnly } from './traffic-model';
import { registerValidation } from '../core/validation';
import { HttpMatch, StringMatch } from '../istio/route-types';
import { POL_PATTERN } from '../rules/catalogue';

/** The colours of a `BlueGreen` deployment (also the names of its two variants). */
export enum BlueGreenColour {
  /** The blue variant. */
  BLUE = 'blue',
  /** The green variant. */
  GREEN = 'green',
}

/** How testers reach the inactive colour before the switch (Istio mode). */
export interface BlueGreenPreview {
  /**
   * Requests with this header (lower-case name) set to `headerValue` go to the inactive colour.
   * @default no header route
   */
  readonly headerName?: string;

  /**
   * Value of `headerName` that selects the inactive colour.
   * @default 'true'
   */
  readonly headerValue?: string;

  /**
   * A second host (authority) that always reaches the inactive colour, e.g. `preview.models.example.com`.
   * It is added to the endpoint's hosts.
   * @default no preview host
   */
  readonly host?: string;
}

/** Props of a `BlueGreen`. */
export interface BlueGreenProps extends ModelEndpointProps {
  /** The blue version. */
  readonly blue: ModelVariant;
  /** The green version. */
  readonly green: ModelVariant;
  /** The colour that takes all the traffic; switching (and switching back) is this one prop. */
  readonly active: BlueGreenColour;
  /**
   * A route to the inactive colour for testing it (Istio mode).
   * @default none
   */
  readonly preview?: BlueGreenPreview;
}

/**
 * A blue/green deployment: both versions run, the active colour takes 100% of the traffic,
 * and switching is one prop change (one commit) that changes only the weights.
 */
export class BlueGreen extends ModelEndpoint {
  /** The active colour. */
  public readonly active: BlueGreenColour;
  /** The inactive colour. */
  public readonly inactive: BlueGreenColour;

  constructor(scope: Construct, id: string, props: BlueGreenProps) {
    super(scope, id, props);
    this.active = props.active;
    this.inactive = props.active === BlueGreenColour.BLUE ? BlueGreenColour.GREEN : BlueGreenColour.BLUE;
    const routes: MatchRoute[] = [];
    const preview = props.preview;
    if (preview?.headerName) {
      routes.push({ name: 'preview-header', target: this.inactive, matches: [{ headers: { [preview.headerName]: StringMatch.exact(preview.headerValue ?? 'true') } }] });
    }
    if (preview?.host) {
      const match: HttpMatch = { authority: StringMatch.exact(preview.host) };
      routes.push({ name: 'preview-host', target: this.inactive, matches: [match] });
      // Inside the mesh a client calls a Service by its name; no Service answers to the preview
      // host, so the route would be accepted and never reached. Checked at synth, on the model.
      registerValidation(this, () => meshOnly(this._model!)
        ? [POL_PATTERN.tag(`preview host ${JSON.stringify(preview.host)} needs an ingress gateway: in the mesh, clients call Services by name. Use preview.headerName, or bind to a gateway`)]
        : []);
    }
    if (preview && !preview.headerName && !preview.host) {
      registerValidation(this, () => [POL_PATTERN.tag('preview has neither headerName nor host: set one, or drop preview')]);
    }
    this.renderPlan({
      // The preview host joins the routes' hosts (unless one of them covers it); its authority
      // match sends it to the inactive colour.
      additionalHosts: preview?.host ? [preview.host] : undefined,
      variants: [
        { name: BlueGreenColour.BLUE, model: props.blue, weight: this.active === BlueGreenColour.BLUE ? 100 : 0 },
        { name: BlueGreenColour.GREEN, model: props.green, weight: this.active === BlueGreenColour.GREEN ? 100 : 0 },
      ],
      routes,
    });
  }
}

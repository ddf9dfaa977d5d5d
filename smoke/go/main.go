// The smoke test's charts through the Go module (dist/go/cdk8sseldonistio), as
// smoke/typescript/main.ts.
//
// Usage: go run . OUTDIR
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-seldon-istio/cdk8s-seldon-istio-go/cdk8sseldonistio"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func iris(version string) cdk8sseldonistio.ModelVariant {
	return cdk8sseldonistio.ModelVariant_Seldon(&cdk8sseldonistio.SeldonVariantProps{
		Graph: &cdk8sseldonistio.SeldonGraph{
			Name:           jsii.String("classifier"),
			Implementation: cdk8sseldonistio.ModelServer_SKLEARN_SERVER(),
			ModelUri:       jsii.String("gs://models/iris/" + version),
		},
	})
}

func chart(app cdk8s.App, id string) cdk8s.Chart {
	return cdk8s.NewChart(app, jsii.String(id), &cdk8s.ChartProps{Namespace: jsii.String("models")})
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: smoke OUTDIR")
		os.Exit(2)
	}
	defer jsii.Close()

	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(os.Args[1])})
	hosts := jsii.Strings("models.example.com")
	retries := &cdk8sseldonistio.RetryPolicy{Attempts: jsii.Number(3), PerTryTimeout: cdk8s.Duration_Seconds(jsii.Number(2))}

	// A canary in Seldon-managed mode.
	cdk8sseldonistio.NewCanary(chart(app, "canary-seldon"), jsii.String("Canary"), &cdk8sseldonistio.CanaryProps{
		Routing:   cdk8sseldonistio.Routing_SeldonOperator(&cdk8sseldonistio.SeldonOperatorRoutingOptions{Retries: retries}),
		Name:      jsii.String("iris-canary"),
		Hosts:     hosts,
		Stable:    iris("v1"),
		Candidate: iris("v2"),
		Traffic:   cdk8sseldonistio.CanaryTraffic_Steps(jsii.Numbers(5, 25, 50, 100), &cdk8sseldonistio.CanaryStepsOptions{Current: jsii.Number(1)}),
	})

	// A header A/B test in explicit Istio mode.
	cdk8sseldonistio.NewAbTest(chart(app, "abtest-istio"), jsii.String("AbTest"), &cdk8sseldonistio.AbTestProps{
		Routing: cdk8sseldonistio.Routing_Istio(&cdk8sseldonistio.IstioRoutingOptions{Retries: retries}),
		Name:    jsii.String("iris-abtest"),
		Hosts:   hosts,
		Variants: &[]*cdk8sseldonistio.AbTestVariant{
			{Name: jsii.String("model-a"), Model: iris("v1"), Weight: jsii.Number(50)},
			{
				Name:   jsii.String("model-b"),
				Model:  iris("v2"),
				Weight: jsii.Number(50),
				Matches: &[]*cdk8sseldonistio.HttpMatch{{
					Headers: &map[string]cdk8sseldonistio.StringMatch{"x-group": cdk8sseldonistio.StringMatch_Exact(jsii.String("beta"))},
				}},
			},
		},
	})

	app.Synth()
}

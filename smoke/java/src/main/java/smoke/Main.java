package smoke;

import io.github.cdk8sseldonistio.AbTest;
import io.github.cdk8sseldonistio.AbTestVariant;
import io.github.cdk8sseldonistio.Canary;
import io.github.cdk8sseldonistio.CanaryStepsOptions;
import io.github.cdk8sseldonistio.CanaryTraffic;
import io.github.cdk8sseldonistio.IstioRoutingOptions;
import io.github.cdk8sseldonistio.HttpMatch;
import io.github.cdk8sseldonistio.ModelServer;
import io.github.cdk8sseldonistio.ModelVariant;
import io.github.cdk8sseldonistio.RetryPolicy;
import io.github.cdk8sseldonistio.Routing;
import io.github.cdk8sseldonistio.SeldonGraph;
import io.github.cdk8sseldonistio.SeldonOperatorRoutingOptions;
import io.github.cdk8sseldonistio.SeldonVariantProps;
import io.github.cdk8sseldonistio.StringMatch;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Duration;

/** The smoke test's charts through the Java package (dist/java), as smoke/typescript/main.ts. */
public final class Main {
    private Main() {
    }

    private static ModelVariant iris(final String version) {
        return ModelVariant.seldon(SeldonVariantProps.builder()
                .graph(SeldonGraph.builder()
                        .name("classifier")
                        .implementation(ModelServer.SKLEARN_SERVER)
                        .modelUri("gs://models/iris/" + version)
                        .build())
                .build());
    }

    private static Chart chart(final App app, final String id) {
        return new Chart(app, id, ChartProps.builder().namespace("models").build());
    }

    public static void main(final String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Main OUTDIR");
        }
        App app = new App(AppProps.builder().outdir(args[0]).build());
        List<String> hosts = List.of("models.example.com");
        RetryPolicy retries = RetryPolicy.builder().attempts(3).perTryTimeout(Duration.seconds(2)).build();

        // A canary in Seldon-managed mode.
        Canary.Builder.create(chart(app, "canary-seldon"), "Canary")
                .routing(Routing.seldonOperator(SeldonOperatorRoutingOptions.builder().retries(retries).build()))
                .name("iris-canary")
                .hosts(hosts)
                .stable(iris("v1"))
                .candidate(iris("v2"))
                .traffic(CanaryTraffic.steps(List.of(5, 25, 50, 100), CanaryStepsOptions.builder().current(1).build()))
                .build();

        // A header A/B test in explicit Istio mode.
        AbTest.Builder.create(chart(app, "abtest-istio"), "AbTest")
                .routing(Routing.istio(IstioRoutingOptions.builder().retries(retries).build()))
                .name("iris-abtest")
                .hosts(hosts)
                .variants(List.of(
                        AbTestVariant.builder().name("model-a").model(iris("v1")).weight(50).build(),
                        AbTestVariant.builder().name("model-b").model(iris("v2")).weight(50)
                                .matches(List.of(HttpMatch.builder()
                                        .headers(Map.of("x-group", StringMatch.exact("beta")))
                                        .build()))
                                .build()))
                .build();

        app.synth();
    }
}

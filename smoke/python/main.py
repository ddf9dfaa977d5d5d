"""The smoke test's charts through the Python package (dist/python), as smoke/typescript/main.ts.

Usage: python main.py OUTDIR
"""
import sys

from cdk8s import App, Chart, Duration
from cdk8s_seldon_istio import (
    AbTest,
    AbTestVariant,
    Canary,
    CanaryTraffic,
    HttpMatch,
    ModelServer,
    ModelVariant,
    RetryPolicy,
    Routing,
    SeldonGraph,
    StringMatch,
)


def iris(version: str) -> ModelVariant:
    return ModelVariant.seldon(
        graph=SeldonGraph(
            name="classifier",
            implementation=ModelServer.SKLEARN_SERVER,
            model_uri=f"gs://models/iris/{version}",
        ),
    )


def main(outdir: str) -> None:
    app = App(outdir=outdir)
    hosts = ["models.example.com"]
    retries = RetryPolicy(attempts=3, per_try_timeout=Duration.seconds(2))

    # A canary in Seldon-managed mode.
    Canary(
        Chart(app, "canary-seldon", namespace="models"),
        "Canary",
        routing=Routing.seldon_operator(retries=retries),
        name="iris-canary",
        hosts=hosts,
        stable=iris("v1"),
        candidate=iris("v2"),
        traffic=CanaryTraffic.steps([5, 25, 50, 100], current=1),
    )

    # A header A/B test in explicit Istio mode.
    AbTest(
        Chart(app, "abtest-istio", namespace="models"),
        "AbTest",
        routing=Routing.istio(retries=retries),
        name="iris-abtest",
        hosts=hosts,
        variants=[
            AbTestVariant(name="model-a", model=iris("v1"), weight=50),
            AbTestVariant(
                name="model-b",
                model=iris("v2"),
                weight=50,
                matches=[HttpMatch(headers={"x-group": StringMatch.exact("beta")})],
            ),
        ],
    )

    app.synth()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: main.py OUTDIR")
    main(sys.argv[1])

"""Settings for benchmarks: the product's settings plus a bare view to compare against."""

from buurtwijs.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_bench"

"""Train the assistant's reader for the content now (or load it, when it is already stored)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from guides.library import get_library
from triage import reading
from triage.loading import get_tree
from understanding import store


class Command(BaseCommand):
    help = (
        "训练（或读取已存的）助手读懂商户原话的模型，放进 UNDERSTANDING_MODEL_DIR。"
        "之后启动的进程直接读取，不用再训练。"
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        library = get_library()
        samples = reading.samples(get_tree(library))
        stored = store.load(reading.model_fingerprint(library, samples)) is not None
        model = reading.get_model(library)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{'读取' if stored else '训练'}完成：{len(samples)} 条样本，"
            f"{len(model.labels)} 个答案，{len(model.rows)} 个特征，{seconds:.1f} 秒"
        )

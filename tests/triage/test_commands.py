"""manage.py train_reader: the reader's model trained once, then loaded by every process."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from tests.factories import SMALL_TREE, write_tree


def test_train_reader_trains_once_then_loads(content_dir, settings, tmp_path):
    settings.UNDERSTANDING_MODEL_DIR = tmp_path / "models"
    write_tree(
        content_dir,
        SMALL_TREE.replace("    keywords: [操作员已锁定]\n", "    examples: [锁死了]\n"),
    )
    first, second = StringIO(), StringIO()
    call_command("train_reader", stdout=first)
    assert first.getvalue().startswith("训练完成")
    assert len(list((tmp_path / "models").glob("*.weights"))) == 1
    call_command("train_reader", stdout=second)
    assert second.getvalue().startswith("读取完成")
